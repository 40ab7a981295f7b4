package ui

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestReauthorizeAsAnotherUserSaysSo: Re-authorize on Alice's card that
// comes back as Bob stays on step 2 with a notice naming both, and Bob is
// the profile's second account; coming back as Alice goes to the tokens.
func TestReauthorizeAsAnotherUserSaysSo(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	alice, bob := sandbox.DemoUsers()[0], sandbox.DemoUsers()[1]
	if len(u.session.profile.Accounts) != 1 || u.session.profile.Accounts[0].OpenID != alice.OpenID {
		t.Fatalf("accounts %+v", u.session.profile.Accounts)
	}

	browserErr := signInAs(u, bob.OpenID)
	test.Tap(findButton(u.tokens.content, "Re-authorize"))
	u.wait()
	if *browserErr != nil {
		t.Fatal(*browserErr)
	}
	s := u.authz.status
	if u.tabs.SelectedIndex() != tabAuthorize || s.Importance != widget.WarningImportance ||
		!strings.Contains(s.Text, "signed in Sandbox Bob, not Sandbox Alice") {
		t.Fatalf("tab %d, status %q", u.tabs.SelectedIndex(), s.Text)
	}
	if len(u.session.profile.Accounts) != 2 {
		t.Fatalf("Bob was not added: %+v", u.session.profile.Accounts)
	}

	browserErr = signInAs(u, alice.OpenID)
	test.Tap(u.authz.startBtn) // no account is expected: Bob or Alice is welcome
	u.wait()
	if *browserErr != nil {
		t.Fatal(*browserErr)
	}
	if u.tabs.SelectedIndex() != tabTokens || s.Importance != widget.SuccessImportance {
		t.Fatalf("tab %d, status %q", u.tabs.SelectedIndex(), s.Text)
	}
}

// signInAs makes the browser consent as the user openID and follow the
// redirect to the loopback callback; the returned error is the browser's.
func signInAs(u *Window, openID string) *error {
	var browserErr error
	u.openURL = func(target string) error {
		loc, err := sandboxtest.ConsentWith(target, "agree", url.Values{"open_id": {openID}})
		if err == nil {
			var resp *http.Response
			if resp, err = http.Get(loc.String()); err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("callback: HTTP %d", resp.StatusCode)
				}
			}
		}
		browserErr = err
		return err
	}
	return &browserErr
}

// TestLoginCountdownIsTheTimeoutUntilTheCode: before a code exists the
// countdown is the login's timeout, said so; the code's lifetime counts
// from when the code arrives.
func TestLoginCountdownIsTheTimeoutUntilTheCode(t *testing.T) {
	u, _, _ := newTestApp(t)
	redirected := startPasteLogin(t, u)
	cd := u.authz.remaining.label
	if !cd.Visible() || !strings.HasPrefix(cd.Text, "Waiting for the callback; this login times out in ") {
		t.Fatalf("before the code: %q", cd.Text)
	}
	u.do(func() {
		test.Type(u.authz.paste, redirected.String())
		test.Tap(u.authz.pasteBtn)
		// The exchange's answer waits for this lock.
		if cd.Text != "Code lifetime left: 10m 0s" {
			t.Errorf("once the code arrived: %q", cd.Text)
		}
	})
	u.wait()
	if u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("paste did not authorize: %q", u.authz.errLabel.Text)
	}
}

// TestLoopbackModeNeedsALoopbackRedirectURI: saving loopback mode with a
// redirect URI off this machine is refused next to the redirect URI, with
// the reason, instead of falling back to paste.
func TestLoopbackModeNeedsALoopbackRedirectURI(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	fillCredentials(u, base)
	u.creds.redirectURI.SetText("https://example.com/douyin/callback")
	test.Tap(u.creds.saveBtn)
	u.wait()
	l := u.creds.errs["redirect_uri"]
	if !l.Visible() || !strings.Contains(l.Text, "not on this machine") || !strings.Contains(l.Text, "paste or relay") {
		t.Fatalf("redirect_uri error %v %q", l.Visible(), l.Text)
	}
	if ps, _ := st.Profiles(); u.session.active || len(ps) != 0 {
		t.Fatalf("saved: active %v, %d profile(s)", u.session.active, len(ps))
	}
}

// TestSaveAndAuthorizeStartsTheLogin: "Save and authorize" saves the
// profile and starts its authorization, as Start authorization does.
func TestSaveAndAuthorizeStartsTheLogin(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	fillCredentials(u, base)
	browserErr := signInAs(u, sandbox.DemoUsers()[0].OpenID)
	test.Tap(u.creds.continueBtn)
	u.wait()
	if *browserErr != nil {
		t.Fatal(*browserErr)
	}
	if u.tabs.SelectedIndex() != tabTokens || len(u.session.profile.Accounts) != 1 {
		t.Fatalf("not authorized: tab %d, status %q, error %q", u.tabs.SelectedIndex(), u.authz.status.Text, u.authz.errLabel.Text)
	}
}

// TestStartRefusesAnOldLoopbackProfileOffThisMachine: a profile stored
// before the rule, in loopback mode with a redirect URI elsewhere, is
// refused at Start authorization with the reason, not turned into paste.
func TestStartRefusesAnOldLoopbackProfileOffThisMachine(t *testing.T) {
	st := newTestStore(t, nil)
	old := storage.Profile{Name: "old", ClientKey: "awold", Scopes: []string{"user_info"},
		RedirectURI: "https://example.com/douyin/callback", CallbackMode: storage.ModePaste}
	if err := st.SaveProfile(old); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret("old", "old-secret"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(st.Dir(), "profiles.json")
	data, err := os.ReadFile(path)
	if err == nil {
		data = bytes.Replace(data, []byte(`"callback_mode": "paste"`), []byte(`"callback_mode": "loopback"`), 1)
		err = os.WriteFile(path, data, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	u, _, _ := newTestAppWith(t, st)
	if !u.session.is("old") || u.session.profile.CallbackMode != storage.ModeLoopback {
		t.Fatalf("not opened as stored: %+v", u.session.profile)
	}
	test.Tap(u.authz.startBtn) // a refusal comes at once, before any login
	if u.session.waiting() {
		u.session.cancelLogin()
		u.wait()
		t.Fatal("a login was started")
	}
	if !u.authz.errLabel.Visible() || !strings.Contains(u.authz.errLabel.Text, "not on this machine") {
		t.Fatalf("error %q", u.authz.errLabel.Text)
	}
}
