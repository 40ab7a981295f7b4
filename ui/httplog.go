package ui

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

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

// summary is the one-line form of e.
func summary(e auth.LogEntry) string {
	status := "—"
	if e.Status != 0 {
		status = fmt.Sprint(e.Status)
	}
	s := fmt.Sprintf("%s  %s %s  → %s  %s", e.Time.Local().Format("15:04:05"), e.Method, e.URL, status,
		formatLatency(e.Duration))
	if e.Err != nil {
		s += "  ✗"
	}
	return s
}

// formatLatency shows a request's duration in milliseconds, with one decimal
// below 10 ms, where loopback answers fall.
func formatLatency(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return fmt.Sprintf("%.1f ms", ms)
	}
	return fmt.Sprintf("%.0f ms", ms)
}

// detail is the full form of e, with the error decoded.
func detail(e auth.LogEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", e.Method, e.URL)
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Time"), e.Time.Local().Format(timeLayout+".000"))
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Duration"), formatLatency(e.Duration))
	if e.RequestType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\n", e.RequestType)
	}
	if e.RequestBody != "" {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Request body"), e.RequestBody)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "\nHTTP %d\n", e.Status)
	} else {
		fmt.Fprintf(&b, "\n%s\n", lang.L("No answer arrived."))
	}
	if e.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Response body"), e.ResponseBody)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Error"), message(e.Err))
	}
	return b.String()
}

// logView shows the HTTP log.
type logView struct {
	u       *Window
	content fyne.CanvasObject
	entries []auth.LogEntry
	list    *widget.List
	detail  *widget.Label
	// notes shows the sandbox's notes on request shapes, when it has any.
	notes    *widget.Card
	clearBtn *widget.Button
}

func newLogView(u *Window) *logView {
	v := &logView{u: u}
	v.detail = widget.NewLabel(lang.L("Select a request to see it in full. Secrets are masked."))
	v.detail.Wrapping = fyne.TextWrapBreak
	v.detail.Selectable = true
	v.list = widget.NewList(
		func() int { return len(v.entries) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			e := v.entries[i]
			l.Text = summary(e)
			l.Importance = widget.MediumImportance
			if e.Err != nil {
				l.Importance = widget.DangerImportance
			}
			l.Refresh()
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(v.entries) {
			v.detail.SetText(detail(v.entries[i]))
		}
	}
	v.clearBtn = widget.NewButton(lang.L("Clear"), func() {
		u.log.clear()
		v.refresh()
		v.detail.SetText("")
	})
	split := container.NewVSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.45
	v.notes = widget.NewCard("", lang.L("The sandbox accepted requests in shapes the platform does not document (sandbox --strict refuses them):"),
		wrapped(""))
	v.notes.Hide()
	v.content = container.NewBorder(nil, container.NewVBox(v.notes, container.NewHBox(v.clearBtn)), nil, nil, split)
	// The log tells the view built last, the one on screen.
	u.log.mu.Lock()
	u.log.changed = v.refresh
	u.log.mu.Unlock()
	v.refresh()
	return v
}

// refresh reloads the list and the sandbox's notes from the log.
func (v *logView) refresh() {
	v.entries = v.u.log.snapshot()
	v.list.Refresh()
	text := v.u.log.noteText()
	v.notes.Content.(*widget.Label).SetText(text)
	if text == "" {
		v.notes.Hide()
	} else {
		v.notes.Show()
	}
}
