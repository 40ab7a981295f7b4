package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

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

// detail is the full form of e, with the error decoded and JSON bodies
// indented.
func detail(e auth.LogEntry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", e.Method, e.URL)
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Time"), e.Time.Local().Format(timeLayout+".000"))
	fmt.Fprintf(&b, "%s: %s\n", lang.L("Duration"), formatLatency(e.Duration))
	if e.RequestType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\n", e.RequestType)
	}
	for _, k := range slices.Sorted(maps.Keys(e.RequestHeader)) {
		fmt.Fprintf(&b, "%s: %s\n", k, strings.Join(e.RequestHeader[k], ", "))
	}
	if e.RequestBody != "" {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Request body"), indentJSON(e.RequestBody))
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, "\nHTTP %d\n", e.Status)
	} else {
		fmt.Fprintf(&b, "\n%s\n", lang.L("No answer arrived."))
	}
	if e.ResponseBody != "" {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Response body"), indentJSON(e.ResponseBody))
	}
	if e.Err != nil {
		fmt.Fprintf(&b, "\n%s:\n%s\n", lang.L("Error"), message(e.Err))
	}
	return b.String()
}

// indentJSON returns body indented when it is JSON, and as it is
// otherwise (a cut or HTML answer).
func indentJSON(body string) string {
	var b bytes.Buffer
	if json.Indent(&b, []byte(body), "", "  ") != nil {
		return body
	}
	return b.String()
}

// logView shows the HTTP log: the exchanges, newest in view, and the one
// selected in full.
type logView struct {
	u       *Window
	content fyne.CanvasObject
	entries []auth.LogEntry
	list    *widget.List
	detail  *widget.Label
	// shown is the index of the entry in detail, or -1.
	shown int
	// notes shows the sandbox's notes on request shapes, when it has any.
	notes             *widget.Card
	status            *widget.Label
	copyBtn, clearBtn *widget.Button
}

func newLogView(u *Window) *logView {
	v := &logView{u: u, shown: -1}
	v.detail = widget.NewLabel(lang.L("Select a request to see it in full. Secrets are masked."))
	v.detail.Wrapping = fyne.TextWrapBreak
	v.detail.Selectable = true
	v.detail.TextStyle.Monospace = true
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
	v.list.OnSelected = v.show
	v.copyBtn = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		u.fyne.Clipboard().SetContent(v.detail.Text)
	})
	v.copyBtn.Disable()
	v.clearBtn = widget.NewButton(lang.L("Clear"), func() {
		u.log.clear()
		v.refresh()
		v.show(-1)
		u.keepLog()
	})
	v.status = hiddenNote("", widget.DangerImportance)
	split := container.NewVSplit(v.list, container.NewVScroll(v.detail))
	split.Offset = 0.45
	v.notes = widget.NewCard("", lang.L("The sandbox accepted requests in shapes the platform does not document (sandbox --strict refuses them):"),
		wrapped(""))
	v.notes.Hide()
	v.content = container.NewBorder(nil, container.NewVBox(v.notes, v.status,
		actionRow([]fyne.CanvasObject{v.copyBtn, v.clearBtn})), nil, nil, split)
	if u.kept.logError != nil {
		setError(v.status, message(u.kept.logError))
	}
	v.refresh()
	return v
}

// show shows the entry i in full, or the invitation to select one.
func (v *logView) show(i int) {
	v.shown = -1
	if i < 0 || i >= len(v.entries) {
		v.detail.SetText("")
		v.copyBtn.Disable()
		return
	}
	v.shown = i
	v.detail.SetText(detail(v.entries[i]))
	v.copyBtn.Enable()
}

// refresh reloads the list and the sandbox's notes from the log, scrolled
// to the newest exchange when one was added.
func (v *logView) refresh() {
	before := len(v.entries)
	v.entries = v.u.log.snapshot()
	v.list.Refresh()
	if len(v.entries) != before && len(v.entries) > 0 {
		v.list.ScrollToBottom()
	}
	text := v.u.log.noteText()
	v.notes.Content.(*widget.Label).SetText(text)
	if text == "" {
		v.notes.Hide()
	} else {
		v.notes.Show()
	}
}
