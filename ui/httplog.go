package ui

import (
	"fmt"
	"strings"
	"sync"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// maxLogEntries bounds the HTTP log.
const maxLogEntries = 500

// httpLog collects every exchange with the platform. The client adds to it
// from any goroutine; the view reads it on the UI goroutine.
type httpLog struct {
	mu      sync.Mutex
	entries []auth.LogEntry
	// notes are what the window's sandbox said of requests in shapes the
	// platform does not document: those of the developer's own backend.
	notes []sandbox.Note
	// changed runs on the UI goroutine after an exchange was added.
	changed func()
	// do runs a function on the UI goroutine.
	do func(func())
}

func newHTTPLog(do func(func())) *httpLog { return &httpLog{do: do} }

// add records e; it is the auth.Client's Log function.
func (l *httpLog) add(e auth.LogEntry) {
	l.record(func() { l.entries = appendBounded(l.entries, e, maxLogEntries) })
}

// addNote records a note of the window's sandbox; it is the sandbox's
// OnNote function.
func (l *httpLog) addNote(n sandbox.Note) {
	l.record(func() { l.notes = appendBounded(l.notes, n, maxNotesShown) })
}

// record makes change under the log's lock, then tells the view on the UI
// goroutine.
func (l *httpLog) record(change func()) {
	l.mu.Lock()
	change()
	changed := l.changed
	l.mu.Unlock()
	if changed != nil {
		l.do(changed)
	}
}

// appendBounded appends v to s and keeps the newest max elements.
func appendBounded[T any](s []T, v T, max int) []T {
	s = append(s, v)
	if len(s) > max {
		s = s[len(s)-max:]
	}
	return s
}

// maxNotesShown bounds the sandbox notes the log keeps.
const maxNotesShown = 20

// noteText returns the sandbox's notes, oldest first, one a line.
func (l *httpLog) noteText() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var b strings.Builder
	for _, n := range l.notes {
		fmt.Fprintf(&b, "%s  %s\n", n.Time.Local().Format("15:04:05"), n.Text)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// snapshot returns the recorded exchanges, oldest first.
func (l *httpLog) snapshot() []auth.LogEntry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]auth.LogEntry(nil), l.entries...)
}

func (l *httpLog) clear() {
	l.mu.Lock()
	l.entries, l.notes = nil, nil
	l.mu.Unlock()
}
