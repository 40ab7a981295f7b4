package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// authzSays returns what step 2 says: its status, and its error when shown.
func authzSays(u *Window) (status, errText string) {
	u.do(func() {
		status = u.authz.status.Text
		if u.authz.errLabel.Visible() {
			errText = u.authz.errLabel.Text
		}
	})
	return status, errText
}

// eventually waits until ok holds on the UI goroutine, for up to ten
// seconds, and reports whether it did: u.wait would not return while a
// login waits for its callback.
func eventually(u *Window, ok func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var done bool
		if u.do(func() { done = ok() }); done {
			return true
		}
	}
	return false
}

// TestForgettingTheAccountClearsItsAuthorizedMessage: "Authorized Sandbox
// Alice." goes once Alice was forgotten.
func TestForgettingTheAccountClearsItsAuthorizedMessage(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	if status, _ := authzSays(u); !strings.HasPrefix(status, "Authorized ") {
		t.Fatalf("after authorizing: %q", status)
	}
	test.Tap(u.tokens.cards[0].forgetBtn)
	tapDialogNoWait(t, u, "Forget account")
	u.wait()
	if len(u.session.profile.Accounts) != 0 {
		t.Fatalf("not forgotten: %+v", u.session.profile.Accounts)
	}
	if status, errText := authzSays(u); status != "" || errText != "" {
		t.Fatalf("after forgetting the account: %q, error %q", status, errText)
	}
}

// TestOpeningAnotherProfileClearsStep2: another profile opened takes the
// last profile's messages away, and its cancelled login says nothing.
func TestOpeningAnotherProfileClearsStep2(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	u.authz.paste.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // no login: "Start the authorization first."
	if status, errText := authzSays(u); status == "" || errText == "" {
		t.Fatalf("nothing to clear: %q, %q", status, errText)
	}
	storeGrant(t, st, "other", base, testStart)
	other, err := st.Profile("other")
	if err != nil {
		t.Fatal(err)
	}
	u.do(func() { u.openProfile(readProfile(st, other, true), tabAuthorize) })
	u.wait()
	if status, errText := authzSays(u); status != "" || errText != "" {
		t.Fatalf("another profile shows %q, error %q", status, errText)
	}

	// A login of "other" waits, the browser failed to open; "ui-test"
	// opened again cancels the login, whose messages go with it.
	u.openURL = func(string) error { return errNoBrowser }
	u.do(func() { test.Tap(u.authz.startBtn) })
	if !eventually(u, func() bool { return u.authz.errLabel.Visible() && u.session.waiting() }) {
		t.Fatalf("not waiting with the browser's error: %q", u.authz.errLabel.Text)
	}
	back, err := st.Profile("ui-test")
	if err != nil {
		t.Fatal(err)
	}
	u.do(func() { u.openProfile(readProfile(st, back, true), tabAuthorize) })
	u.wait()
	if status, errText := authzSays(u); status != "" || errText != "" || u.session.waiting() {
		t.Fatalf("back on ui-test: %q, error %q, waiting %v", status, errText, u.session.waiting())
	}
}

// errNoBrowser is the error of a system without a browser.
var errNoBrowser = &browserError{}

type browserError struct{}

func (*browserError) Error() string { return "no browser here" }

// TestCancelTakesTheBrowsersErrorAway: Cancel takes the browser's error
// with the login, also when the browser answers only after the Cancel.
func TestCancelTakesTheBrowsersErrorAway(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	fillCredentials(u, base)
	u.openURL = func(string) error { return errNoBrowser }
	test.Tap(u.creds.continueBtn)
	if !eventually(u, func() bool { return strings.Contains(u.authz.errLabel.Text, "no browser here") }) {
		t.Fatalf("no browser error: %q", u.authz.errLabel.Text)
	}
	u.do(func() { test.Tap(u.authz.cancelBtn) })
	u.wait()
	if status, errText := authzSays(u); status != "the authorization was cancelled" || errText != "" {
		t.Fatalf("after Cancel: %q, error %q", status, errText)
	}

	slow := make(chan struct{})
	u.openURL = func(string) error { <-slow; return errNoBrowser }
	u.do(func() { test.Tap(u.authz.startBtn) })
	if status, _ := authzSays(u); status == "the authorization was cancelled" {
		t.Fatal("a new login still says the last one was cancelled")
	}
	u.do(func() { test.Tap(u.authz.cancelBtn) })
	close(slow) // the browser answers after the Cancel
	u.wait()
	if status, errText := authzSays(u); status != "the authorization was cancelled" || errText != "" {
		t.Fatalf("after a Cancel before the browser's error: %q, error %q", status, errText)
	}
}

// gatedTransport holds every request to path until gate is closed.
type gatedTransport struct {
	path string
	gate chan struct{}
}

func (g gatedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasPrefix(r.URL.Path, strings.TrimSuffix(g.path, "/")) {
		<-g.gate
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestLoopbackCallbackStartsTheCodeLifetime: the code's lifetime counts
// from the loopback callback's arrival, while the code is exchanged.
func TestLoopbackCallbackStartsTheCodeLifetime(t *testing.T) {
	u, clk, _ := newTestApp(t)
	_, base := startSandbox(t)
	gate := make(chan struct{})
	u.httpClient = &http.Client{Transport: gatedTransport{path: auth.PathAccessToken, gate: gate}}
	fillCredentials(u, base)
	opened := make(chan string, 1)
	u.openURL = func(target string) error { opened <- target; return nil }
	test.Tap(u.creds.continueBtn)
	target := <-opened
	clk.advance(3 * time.Minute) // the user takes a while to consent
	browsed := make(chan error, 1)
	go func() { browsed <- actAsBrowser(target) }()

	cd := u.authz.remaining.label
	var text, status string
	eventually(u, func() bool {
		text, status = cd.Text, u.authz.status.Text
		return strings.HasPrefix(text, "Code lifetime left: ")
	})
	if text != "Code lifetime left: 10m 0s" || status != "Code received; exchanging it for tokens…" {
		t.Errorf("once the callback arrived: %q, status %q", text, status)
	}
	clk.advance(time.Minute)
	u.do(func() { u.clock.tick(); text = cd.Text })
	if text != "Code lifetime left: 9m 0s" {
		t.Errorf("a minute later: %q", text)
	}
	close(gate)
	if err := <-browsed; err != nil {
		t.Fatal(err)
	}
	u.wait()
	if u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("not authorized: %q", u.authz.errLabel.Text)
	}
}

// TestStartFocusesTheNextAction: after "Save and authorize" or Start
// authorization the keyboard is on Cancel while a callback is awaited.
func TestStartFocusesTheNextAction(t *testing.T) {
	u, _, _ := newTestApp(t)
	startLoopbackLogin(t, u)
	focused := func() (f fyne.Focusable) {
		u.do(func() { f = u.win.Canvas().Focused() })
		return f
	}
	if f := focused(); f != u.authz.cancelBtn {
		t.Errorf("after Save and authorize the focus is on %T", f)
	}
	u.do(func() { test.Tap(u.authz.cancelBtn) })
	u.wait()
	u.do(func() {
		u.win.Canvas().Focus(u.authz.startBtn)
		test.Tap(u.authz.startBtn)
	})
	if f := focused(); f != u.authz.cancelBtn {
		t.Errorf("after Start authorization the focus is on %T", f)
	}
	u.do(func() { test.Tap(u.authz.cancelBtn) })
	u.wait()
}

// TestEnterSubmitsThePaste: in paste mode the keyboard lands in the paste
// box, and Enter there submits what was pasted.
func TestEnterSubmitsThePaste(t *testing.T) {
	u, _, _ := newTestApp(t)
	redirected := startPasteLogin(t, u)
	u.do(func() {
		if f := u.win.Canvas().Focused(); f != u.authz.paste {
			t.Errorf("after Save and authorize the focus is on %T", f)
		}
		test.Type(u.authz.paste, redirected.String())
		u.authz.paste.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	})
	if !eventually(u, func() bool { return u.tabs.SelectedIndex() == tabTokens }) {
		u.do(u.session.cancelLogin)
		u.wait()
		t.Fatalf("Enter did not submit: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
	u.wait()
	if len(u.tokens.cards) != 1 {
		t.Fatalf("%d cards", len(u.tokens.cards))
	}
}
