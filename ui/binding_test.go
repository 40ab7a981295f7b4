package ui

import (
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestProfileMovedElsewhereAsksForItsSecret opens a profile whose base URL
// changed after its secret was stored: the window must not use the secret
// and asks for it on the Credentials step, saying why.
func TestProfileMovedElsewhereAsksForItsSecret(t *testing.T) {
	st := newTestStore(t, nil)
	p := storage.Profile{Name: "moved", ClientKey: "awmoved", Environment: storage.EnvSandbox,
		BaseURL: "http://127.0.0.1:8790", RedirectURI: "http://127.0.0.1:0/cb"}
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret("moved", "cs-moved-secret"); err != nil {
		t.Fatal(err)
	}
	p.Environment, p.BaseURL = storage.EnvCustom, "https://elsewhere.example"
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "moved" })

	u, _, _ := newTestAppWith(t, st)
	if u.session.active || u.tabs.SelectedIndex() != tabCredentials {
		t.Fatalf("active %v, tab %d", u.session.active, u.tabs.SelectedIndex())
	}
	if u.creds.clientSecret.Text != "" {
		t.Fatal("the form holds the secret stored for another server")
	}
	if msg := u.creds.status.Text; !strings.Contains(msg, "https://elsewhere.example") || !strings.Contains(msg, "enter it") {
		t.Fatalf("status %q", msg)
	}
}
