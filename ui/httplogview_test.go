package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestLogShowsJSONIndentedWithCopy selects the code exchange: its detail
// is monospace with the JSON bodies indented, and Copy puts exactly that,
// masked, on the clipboard.
func TestLogShowsJSONIndentedWithCopy(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	v := u.logView
	if !v.copyBtn.Disabled() {
		t.Fatal("Copy is enabled with nothing selected")
	}
	i := -1
	for j, e := range v.entries {
		if strings.HasSuffix(e.URL, auth.PathAccessToken) {
			i = j
		}
	}
	if i < 0 {
		t.Fatal("no code exchange logged")
	}
	u.do(func() { u.show(tabLog); v.list.Select(i) })
	d := v.detail.Text
	if !strings.Contains(d, "\n{\n  \"data\": {\n    \"") || !v.detail.TextStyle.Monospace {
		t.Fatalf("the response is not indented JSON in monospace:\n%s", d)
	}
	u.do(func() { test.Tap(v.copyBtn) })
	got := u.fyne.Clipboard().Content()
	if got != d || strings.Contains(got, testApp.ClientSecret) || strings.Contains(got, u.tokens.cards[0].grant.AccessToken) {
		t.Fatalf("Copy put %q on the clipboard", got)
	}
	if indentJSON("<html>500</html>") != "<html>500</html>" {
		t.Fatal("a body that is not JSON was changed")
	}
}

// TestLogKeepsTheNewestInView fills the log past its height: the list
// scrolls to the newest exchange as each arrives.
func TestLogKeepsTheNewestInView(t *testing.T) {
	u, _, _ := newTestApp(t)
	u.do(func() { u.show(tabLog); layOut(u.win, smallWindow) })
	for n := range 60 {
		u.log.add(auth.LogEntry{Time: testStart.Add(time.Duration(n) * time.Second), Method: "POST", URL: "http://127.0.0.1:1/x"})
	}
	var offset float32
	u.do(func() { offset = u.logView.list.GetScrollOffset() })
	if offset <= 0 {
		t.Fatal("the list did not scroll to the newest exchange")
	}
}

// TestLogKeptAcrossRestartsWhenAsked keeps the log in the settings: the
// exchanges of an authorization are written, masked, and a window opened
// afterwards shows them; turning the setting off deletes the file.
func TestLogKeptAcrossRestartsWhenAsked(t *testing.T) {
	st := newTestStore(t, nil)
	storeSettings(t, st, func(s *storage.Settings) { s.KeepHTTPLog = true })
	u, _, _ := newTestAppWith(t, st)
	_, base := startSandbox(t)
	authorize(t, u, base)
	u.wait()
	g := u.tokens.cards[0].grant
	file := filepath.Join(st.Dir(), "httplog.json")
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range []string{testApp.ClientSecret, g.AccessToken, g.RefreshToken} {
		if strings.Contains(string(b), secret) {
			t.Fatal("the kept log holds a secret")
		}
	}
	logged := len(u.log.snapshot())

	again, _, _ := newTestAppWith(t, st)
	again.wait()
	if n := len(again.log.snapshot()); n != logged || logged == 0 {
		t.Fatalf("the next window shows %d of %d exchanges", n, logged)
	}
	again.do(func() {
		again.setView.keepLog.SetChecked(false)
		test.Tap(again.setView.saveBtn)
	})
	again.wait()
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("the kept log stayed after the setting was turned off: %v", err)
	}
}
