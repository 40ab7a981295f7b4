package storage

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// TestHTTPLogKeptAcrossOpens saves a log, reads it from a store opened
// afresh, and checks every field, the error's text in both languages, the
// file's mode, and that ForgetEverything removes it.
func TestHTTPLogKeptAcrossOpens(t *testing.T) {
	dir := t.TempDir()
	st, err := OpenWith(dir, Memory())
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	in := []auth.LogEntry{{Time: when, Method: "POST", URL: "http://127.0.0.1:1/oauth/access_token/",
		RequestType: "application/json", RequestBody: `{"client_secret":"se…et"}`, Status: 200,
		ResponseBody: `{"data":{"error_code":10008}}`, Duration: 3 * time.Millisecond,
		RequestHeader: http.Header{"Access-Token": {"act.…"}},
		Err:           &auth.FieldError{Field: auth.FieldClientKey, Reason: auth.ReasonEmpty}}}
	if err := st.SaveHTTPLog(in); err != nil {
		t.Fatal(err)
	}
	again, err := OpenWith(dir, Memory())
	if err != nil {
		t.Fatal(err)
	}
	out, err := again.HTTPLog()
	if err != nil || len(out) != 1 {
		t.Fatalf("read %d entries, %v", len(out), err)
	}
	got, want := out[0], in[0]
	if !got.Time.Equal(want.Time) || got.Method != want.Method || got.URL != want.URL || got.RequestType != want.RequestType ||
		got.RequestBody != want.RequestBody || got.Status != want.Status || got.ResponseBody != want.ResponseBody ||
		got.Duration != want.Duration || got.RequestHeader.Get("Access-Token") != "act.…" {
		t.Fatalf("read back %+v", got)
	}
	var le *LoggedError
	if !errors.As(got.Err, &le) || auth.Message(got.Err, "en") != auth.Message(want.Err, "en") ||
		auth.Message(got.Err, "zh") != auth.Message(want.Err, "zh") || le.Zh == le.En {
		t.Fatalf("error read back as %#v", got.Err)
	}
	if fi, err := os.Stat(filepath.Join(dir, httpLogName)); err != nil || runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Fatalf("log file: %v %v", fi.Mode(), err)
	}
	if err := again.ForgetEverything(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, httpLogName)); !os.IsNotExist(err) {
		t.Fatalf("ForgetEverything left the log: %v", err)
	}
	if out, err := again.HTTPLog(); err != nil || out != nil {
		t.Fatalf("no log reads as %v, %v", out, err)
	}
}
