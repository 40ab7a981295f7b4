package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestFieldErrorTakesTheHintsPlace types a bad client_key: its error shows
// in the place of the field's hint, the field keeps its height (the form
// does not jump), and fixing it brings the hint back.
func TestFieldErrorTakesTheHintsPlace(t *testing.T) {
	u, _, _ := newTestApp(t)
	v := u.creds
	hint, errLine := v.hints[auth.FieldClientKey], v.errs[auth.FieldClientKey]
	u.do(func() { layOut(u.win, smallWindow) })
	if !hint.Visible() || !strings.Contains(hint.Text, "App info") || errLine.Visible() {
		t.Fatalf("untouched client_key: hint %v %q, error %v", hint.Visible(), hint.Text, errLine.Visible())
	}
	box := fieldBox(t, u, auth.FieldClientKey)
	before := box.MinSize().Height

	u.do(func() { test.Type(v.clientKey, "has space") })
	if hint.Visible() || !errLine.Visible() || errLine.Text == "" {
		t.Fatalf("bad client_key: hint %v, error %v %q", hint.Visible(), errLine.Visible(), errLine.Text)
	}
	if after := box.MinSize().Height; after != before {
		t.Fatalf("the field grew from %.1f to %.1f when its error showed", before, after)
	}
	u.do(func() { v.clientKey.SetText("awgood0000001") })
	if !hint.Visible() || errLine.Visible() {
		t.Fatal("the hint did not come back once the error was fixed")
	}
}

// fieldBox returns the box of entry, hint and error line of field f.
func fieldBox(t *testing.T, u *Window, f auth.Field) fyne.CanvasObject {
	t.Helper()
	var box fyne.CanvasObject
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if c, ok := o.(*fyne.Container); ok && slices.Contains(c.Objects, fyne.CanvasObject(u.creds.hints[f])) {
			box = c
		}
		for _, c := range drawn(o) {
			walk(c)
		}
	}
	walk(u.creds.content)
	if box == nil {
		t.Fatalf("no box holds the hint of %s", f)
	}
	return box
}

// TestHintsFollowEnvironmentAndMode: the sandbox environment has its own
// placeholder and hint, a custom server is explained, and the relay mode
// says what a relay page is, in both languages.
func TestHintsFollowEnvironmentAndMode(t *testing.T) {
	u, _, _ := newTestApp(t)
	v := u.creds
	pick := func(env string) { v.environment.SetSelectedIndex(slices.Index(environments, env)) }
	u.do(func() { pick(storage.EnvSandbox) })
	if p := v.baseURL.PlaceHolder; !strings.Contains(p, "127.0.0.1:8790") || p == auth.DefaultBaseURL {
		t.Fatalf("sandbox base URL placeholder %q", p)
	}
	if h := v.hints[auth.FieldBaseURL].Text; !strings.Contains(h, "built into this app") {
		t.Fatalf("sandbox base URL hint %q", h)
	}
	u.do(func() { pick(storage.EnvCustom) })
	if h := v.hints[auth.FieldBaseURL].Text; !strings.HasPrefix(h, "Custom server:") {
		t.Fatalf("custom server hint %q", h)
	}
	u.do(func() { v.mode.SetSelectedIndex(slices.Index(callbackModes, storage.ModeRelay)) })
	if h := v.modeHint.Text; !strings.HasPrefix(h, "Relay page:") || !v.modeHint.Visible() {
		t.Fatalf("relay mode hint %q", h)
	}
	u.do(func() { u.setLanguage(languageChinese) })
	v = u.creds
	if h := v.modeHint.Text; !strings.HasPrefix(h, "中转页：") {
		t.Fatalf("Chinese relay mode hint %q", h)
	}
	if h := v.hints[auth.FieldBaseURL].Text; !strings.HasPrefix(h, "自定义服务器：") {
		t.Fatalf("Chinese custom server hint %q", h)
	}
}
