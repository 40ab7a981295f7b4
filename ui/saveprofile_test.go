package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// dialogText returns the text of the labels of the dialog on top, or "".
func dialogText(u *Window) string {
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var b strings.Builder
	for _, o := range test.LaidOutObjects(top) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
		}
	}
	return b.String()
}

// tapInDialog taps the button labelled text of the dialog on top.
func tapInDialog(t *testing.T, u *Window, text string) {
	t.Helper()
	b := findButton(u.win.Canvas().Overlays().Top(), text)
	if b == nil {
		t.Fatalf("no %q in the dialog %q", text, dialogText(u))
	}
	test.Tap(b)
	u.wait()
}

// fillOther types a new profile of another server named name into step 1.
func fillOther(u *Window, name string) {
	v := u.creds
	v.name.SetText("")
	test.Type(v.name, name)
	v.environment.SetSelectedIndex(slices.Index(environments, storage.EnvCustom))
	v.baseURL.SetText("https://other.example")
	v.clientKey.SetText("awother0001")
	v.clientSecret.SetText("other-secret")
	v.redirectURI.SetText("https://other.example/cb")
	v.mode.SetSelectedIndex(slices.Index(callbackModes, storage.ModePaste))
}

// Saving a new profile under the name of a stored one asks: Cancel saves
// nothing, Save as takes the next free name, Overwrite replaces it and
// removes its accounts, which belonged to another server.
func TestSavingUnderATakenNameAsks(t *testing.T) {
	u, _, st := newTestApp(t)
	storeGrant(t, st, "beta", "http://127.0.0.1:1", testStart)
	fillOther(u, "beta")
	test.Tap(u.creds.saveBtn)
	u.wait()
	if text := dialogText(u); !strings.Contains(text, "“beta” exists already") || !strings.Contains(text, "“beta-2”") ||
		!strings.Contains(text, "1 account(s)") || !strings.Contains(text, "never sent") {
		t.Fatalf("dialog %q", text)
	}
	tapInDialog(t, u, "Cancel")
	if p, _ := st.Profile("beta"); p.ClientKey != testApp.ClientKey || len(p.Accounts) != 1 || u.session.active {
		t.Fatalf("Cancel saved: %+v", p)
	}

	test.Tap(u.creds.saveBtn)
	u.wait()
	tapInDialog(t, u, "Save as “beta-2”")
	if p, err := st.Profile("beta-2"); err != nil || p.ClientKey != "awother0001" || !u.session.is("beta-2") || u.creds.name.Text != "beta-2" {
		t.Fatalf("beta-2 %+v %v, session %q, status %q, dialog %q", p, err, u.session.profile.Name, u.creds.status.Text, dialogText(u))
	}
	if p, _ := st.Profile("beta"); p.ClientKey != testApp.ClientKey || len(p.Accounts) != 1 {
		t.Fatalf("beta changed: %+v", p)
	}

	u.creds.name.SetText("beta")
	test.Tap(u.creds.saveBtn)
	u.wait()
	tapInDialog(t, u, "Overwrite")
	if p, _ := st.Profile("beta"); p.ClientKey != "awother0001" || len(p.Accounts) != 0 {
		t.Fatalf("overwritten beta %+v", p)
	}
	if got := u.creds.status.Text; got != "Saved. 1 account(s) removed from it." {
		t.Fatalf("status %q", got)
	}
}

// An edit that points a profile with accounts at another client_key asks:
// keeping the accounts saves nothing, removing them saves the edit.
func TestEditMovingAccountsAsks(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "gamma", "http://127.0.0.1:1", testStart)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "gamma" })
	u, _, _ := newTestAppWith(t, st)
	if !u.session.is("gamma") {
		t.Fatal("gamma was not opened")
	}
	u.creds.clientKey.SetText("awnewkey001")
	test.Tap(u.creds.saveBtn)
	u.wait()
	if text := dialogText(u); !strings.Contains(text, "client_key awnewkey001") || !strings.Contains(text, "bound") {
		t.Fatalf("dialog %q", text)
	}
	tapInDialog(t, u, "Keep the accounts")
	if p, _ := st.Profile("gamma"); p.ClientKey != testApp.ClientKey || len(p.Accounts) != 1 {
		t.Fatalf("keeping saved: %+v", p)
	}
	test.Tap(u.creds.saveBtn)
	u.wait()
	tapInDialog(t, u, "Remove them and save")
	if p, _ := st.Profile("gamma"); p.ClientKey != "awnewkey001" || len(p.Accounts) != 0 {
		t.Fatalf("after removing: %+v", p)
	}
}

// An edit that keeps the server of a profile saves at once, accounts and
// all.
func TestEditKeepingTheServerSavesWithoutAsking(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "delta", "http://127.0.0.1:1", testStart)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "delta" })
	u, _, _ := newTestAppWith(t, st)
	u.creds.scopes.SetText("user_info,video.list.bind")
	test.Tap(u.creds.saveBtn)
	u.wait()
	if text := dialogText(u); text != "" {
		t.Fatalf("asked %q", text)
	}
	if p, _ := st.Profile("delta"); len(p.Accounts) != 1 || !slices.Contains(p.Scopes, "video.list.bind") {
		t.Fatalf("delta %+v", p)
	}
}
