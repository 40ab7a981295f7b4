package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// httpLogName is the file the window keeps its HTTP log in across
// restarts, when Settings.KeepHTTPLog asks for it. Its entries hold only
// the texts the client masked.
const httpLogName = "httplog.json"

// httpLogVersion is the version of httplog.json's format.
const httpLogVersion = 1

type httpLogFile struct {
	Version int           `json:"version"`
	Entries []loggedEntry `json:"entries"`
}

type loggedEntry struct {
	Time          time.Time     `json:"time"`
	Method        string        `json:"method"`
	URL           string        `json:"url"`
	RequestType   string        `json:"request_type,omitempty"`
	RequestHeader http.Header   `json:"request_header,omitempty"`
	RequestBody   string        `json:"request_body,omitempty"`
	Status        int           `json:"status,omitempty"`
	ResponseBody  string        `json:"response_body,omitempty"`
	Duration      time.Duration `json:"duration"`
	Error         *LoggedError  `json:"error,omitempty"`
}

// LoggedError is an error of a kept HTTP log entry: what remains of it
// after a restart is its text in both languages.
type LoggedError struct {
	En string `json:"en"`
	Zh string `json:"zh"`
}

func (e *LoggedError) Error() string { return e.En }

// Message returns the error's text in lang.
func (e *LoggedError) Message(lang string) string {
	if auth.IsChinese(lang) {
		return e.Zh
	}
	return e.En
}

// SaveHTTPLog replaces the kept HTTP log with entries, whose texts the
// client has masked, in a file only the user can read.
func (s *Store) SaveHTTPLog(entries []auth.LogEntry) error {
	f := httpLogFile{Version: httpLogVersion, Entries: make([]loggedEntry, len(entries))}
	for i, e := range entries {
		f.Entries[i] = loggedEntry{Time: e.Time, Method: e.Method, URL: e.URL, RequestType: e.RequestType,
			RequestHeader: e.RequestHeader, RequestBody: e.RequestBody, Status: e.Status,
			ResponseBody: e.ResponseBody, Duration: e.Duration}
		if e.Err != nil {
			f.Entries[i].Error = &LoggedError{En: auth.Message(e.Err, "en"), Zh: auth.Message(e.Err, "zh")}
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	if err := writeAtomic(s.dir, httpLogName, b); err != nil {
		return fmt.Errorf("storage: writing %s: %w", httpLogName, err)
	}
	return nil
}

// HTTPLog returns the kept HTTP log, oldest first: none when nothing is
// kept. Each entry's error is a *LoggedError.
func (s *Store) HTTPLog() ([]auth.LogEntry, error) {
	b, err := readNoFollow(filepath.Join(s.dir, httpLogName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("storage: reading %s: %w", httpLogName, err)
	}
	var f httpLogFile
	if err := json.Unmarshal(b, &f); err != nil || f.Version != httpLogVersion {
		return nil, fmt.Errorf("storage: %s is not a log this version wrote", httpLogName)
	}
	out := make([]auth.LogEntry, len(f.Entries))
	for i, e := range f.Entries {
		out[i] = auth.LogEntry{Time: e.Time, Method: e.Method, URL: e.URL, RequestType: e.RequestType,
			RequestHeader: e.RequestHeader, RequestBody: e.RequestBody, Status: e.Status,
			ResponseBody: e.ResponseBody, Duration: e.Duration}
		if e.Error != nil {
			out[i].Err = e.Error
		}
	}
	return out, nil
}

// DeleteHTTPLog removes the kept HTTP log, if there is one.
func (s *Store) DeleteHTTPLog() error {
	if err := os.Remove(filepath.Join(s.dir, httpLogName)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}
