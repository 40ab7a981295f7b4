package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// built lists the tabs whose screen exists.
func built(u *Window) []bool {
	return []bool{u.creds != nil, u.authz != nil, u.tokens != nil, u.apiView != nil, u.profiles != nil,
		u.logView != nil, u.setView != nil}
}

// TestScreensAreBuiltWhenFirstShown starts the window as the app does:
// Credentials and Tokens are built with it, each other screen when its tab
// is first selected, and a change of language rebuilds the screens built
// and leaves the others for later.
func TestScreensAreBuiltWhenFirstShown(t *testing.T) {
	u, _, _ := startTestApp(t, newTestStore(t, nil), false)
	u.wait()
	want := []bool{true, false, true, false, false, false, false}
	var got []bool
	u.do(func() { got = built(u) })
	if !slices.Equal(got, want) {
		t.Fatalf("built at start %v, want %v", got, want)
	}
	u.do(func() {
		for i, it := range u.tabs.Items {
			if shown := it.Content == u.screens[i] && it.Content != nil; shown != (i == tabCredentials) {
				t.Errorf("tab %d holds its screen: %v", i, shown)
			}
		}
	})

	u.do(func() { u.show(tabAuthorize) })
	want[tabAuthorize] = true
	u.do(func() { got = built(u) })
	if !slices.Equal(got, want) || u.tabs.Items[tabAuthorize].Content != u.authz.content {
		t.Fatalf("after Authorize was selected %v, want %v", got, want)
	}

	authz := u.authz
	u.do(func() { u.setLanguage(languageChinese) })
	u.do(func() { got = built(u) })
	if !slices.Equal(got, want) || u.authz == authz {
		t.Fatalf("after the language changed %v, want %v, Authorize rebuilt", got, want)
	}
	if title := u.tabs.Items[tabAuthorize].Text; title != "2 · 授权" {
		t.Fatalf("tab title %q", title)
	}
	u.do(func() { u.tabs.SelectIndex(tabSettings) })
	if u.setView == nil || u.tabs.Items[tabSettings].Content != u.setView.content {
		t.Fatal("Settings not built when selected")
	}
}

// TestHTTPLogKeptWithoutItsScreen keeps the log across restarts while the
// log's screen was never shown: a kept log that cannot be read is reported
// when the screen is first shown, and new exchanges are still written.
func TestHTTPLogKeptWithoutItsScreen(t *testing.T) {
	st := newTestStore(t, nil)
	storeSettings(t, st, func(s *storage.Settings) { s.KeepHTTPLog = true })
	file := filepath.Join(st.Dir(), "httplog.json")
	if err := os.WriteFile(file, []byte("<html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	u, _, _ := startTestApp(t, st, false)
	u.wait()
	if u.logView != nil {
		t.Fatal("the log's screen was built at start")
	}
	u.do(func() { u.show(tabLog) })
	if !u.logView.status.Visible() || !strings.Contains(u.logView.status.Text, "httplog.json") {
		t.Fatalf("the unreadable kept log is not reported: %q", u.logView.status.Text)
	}

	other, _, _ := startTestApp(t, newTestStore(t, nil), false)
	other.wait()
	storeSettings(t, other.st, func(s *storage.Settings) { s.KeepHTTPLog = true })
	other.settings.KeepHTTPLog = true
	other.log.add(auth.LogEntry{Time: time.Now(), Method: "GET", URL: "http://127.0.0.1/oauth/userinfo/", Status: 200})
	other.wait()
	entries, err := other.st.HTTPLog()
	if err != nil || len(entries) != 1 || other.logView != nil {
		t.Fatalf("kept %d entries (%v) with the screen built: %v", len(entries), err, other.logView != nil)
	}
}

// TestFormFilledWhenFirstShown starts on the Tokens of the profile open
// last time, with the credentials form not built: shown later, it holds
// the profile, unedited.
func TestFormFilledWhenFirstShown(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "restored", "http://127.0.0.1:1", testStart)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "restored" })
	u, _, _ := startTestApp(t, st, false)
	u.wait()
	var got []bool
	u.do(func() { got = built(u) })
	if want := []bool{false, false, true, false, false, false, false}; !slices.Equal(got, want) {
		t.Fatalf("built at start %v, want %v", got, want)
	}
	u.do(func() { u.show(tabCredentials) })
	if u.creds.name.Text != "restored" || u.creds.clientSecret.Text != testApp.ClientSecret || u.creds.edited() {
		t.Fatalf("form %q, edited %v", u.creds.name.Text, u.creds.edited())
	}
}
