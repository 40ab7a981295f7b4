package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func TestPasteModeAcceptsRedirectedURL(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	fillCredentials(u, base)
	u.creds.mode.SetSelectedIndex(indexOf(callbackModes, storage.ModePaste))
	test.Tap(u.creds.continueBtn)
	u.wait()

	var redirected string
	var browserErr error
	done := make(chan struct{})
	u.openURL = func(target string) error {
		// The browser lands on a page the app cannot see.
		redirected, browserErr = consent(target, false)
		close(done)
		return browserErr
	}
	test.Tap(u.authz.startBtn)
	<-done // the login keeps waiting for the paste, so u.wait would not return
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	if !u.authz.waiting() || redirected == "" {
		t.Fatalf("not waiting for a paste: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
	if got := u.authz.remaining.label.Text; !strings.HasPrefix(got, "Code lifetime left: ") || !u.authz.remaining.label.Visible() {
		t.Fatalf("code countdown %q", got)
	}

	test.Type(u.authz.paste, "not a code or url!")
	test.Tap(u.authz.pasteBtn)
	if !u.authz.errLabel.Visible() || !u.authz.waiting() {
		t.Fatal("garbage paste accepted")
	}
	// The login's goroutine answers the paste; in the test driver the tap
	// takes the lock the app's UI updates take, as the UI goroutine would.
	u.do(func() {
		u.authz.paste.SetText("")
		test.Type(u.authz.paste, redirected)
		test.Tap(u.authz.pasteBtn)
	})
	u.wait()
	if u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 {
		t.Fatalf("paste did not authorize: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
}

func TestCancelEndsWaiting(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	fillCredentials(u, base)
	test.Tap(u.creds.continueBtn)
	u.wait()
	test.Tap(u.authz.startBtn)
	if !u.authz.waiting() || u.authz.cancelBtn.Disabled() {
		t.Fatal("not waiting")
	}
	test.Tap(u.authz.cancelBtn)
	u.wait()
	if u.authz.waiting() || u.authz.startBtn.Disabled() || u.authz.status.Text != "the authorization was cancelled" {
		t.Fatalf("after cancel: waiting %v, status %q", u.authz.waiting(), u.authz.status.Text)
	}
}
