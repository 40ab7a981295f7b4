package ui

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// startPasteLogin starts a paste-mode login whose browser consents and
// lands on a page the app cannot see; it returns where the browser landed.
func startPasteLogin(t *testing.T, u *Window) *url.URL {
	t.Helper()
	_, base := startSandbox(t)
	fillCredentials(u, base)
	u.creds.mode.SetSelectedIndex(slices.Index(callbackModes, storage.ModePaste))
	var redirected *url.URL
	var browserErr error
	done := make(chan struct{})
	u.openURL = func(target string) error {
		redirected, browserErr = sandboxtest.Consent(target, "agree")
		close(done)
		return browserErr
	}
	test.Tap(u.creds.continueBtn) // saves, then starts the login
	<-done                        // the login keeps waiting for the paste, so u.wait would not return
	u.do(func() {})               // the start that opened the browser has returned
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	if !u.session.waiting() || redirected == nil {
		t.Fatalf("not waiting for a paste: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
	return redirected
}

// pasteText types text into the paste box and submits it. The login's
// goroutine answers the paste; in the test driver the tap takes the lock
// the app's UI updates take, as the UI goroutine would.
func pasteText(u *Window, text string) {
	u.do(func() {
		u.authz.paste.SetText("")
		test.Type(u.authz.paste, text)
		test.Tap(u.authz.pasteBtn)
	})
}

func TestPasteModeAcceptsRedirectedURL(t *testing.T) {
	u, _, _ := newTestApp(t)
	redirected := startPasteLogin(t, u)
	if got := u.authz.remaining.label.Text; !strings.HasPrefix(got, "Waiting for the callback; this login times out in ") || !u.authz.remaining.label.Visible() {
		t.Fatalf("code countdown %q", got)
	}

	test.Type(u.authz.paste, "not a code or url!")
	test.Tap(u.authz.pasteBtn)
	if !u.authz.errLabel.Visible() || !u.session.waiting() {
		t.Fatal("garbage paste accepted")
	}
	pasteText(u, redirected.String())
	u.wait()
	if u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 {
		t.Fatalf("paste did not authorize: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
	if u.authz.unchecked.Visible() {
		t.Fatal("a checked state is reported as unchecked")
	}
}

// TestPasteRefusesAnAddressWithoutState: an address whose state is missing
// or apart from its code is refused with its reason and the login keeps
// waiting; a bare code is taken, and the window says its state could not be
// checked, in the window's language.
func TestPasteRefusesAnAddressWithoutState(t *testing.T) {
	u, _, _ := newTestApp(t)
	redirected := startPasteLogin(t, u)
	code, state := redirected.Query().Get("code"), redirected.Query().Get("state")
	base := *redirected
	base.RawQuery = ""
	for text, reason := range map[string]string{
		base.String() + "?code=" + code:                             "no state",
		base.String() + "?code=" + code + "&state=":                 "no state",
		base.String() + "?state=" + state + "#code=" + code:         "different parts",
		base.String() + "?code=" + code + "&state=x&state=" + state: "more than once",
		base.String() + "?code=" + code + "&state=" + state[:10]:    "does not match",
	} {
		pasteText(u, text)
		u.do(func() {
			if !u.session.waiting() || !u.authz.errLabel.Visible() || !strings.Contains(u.authz.errLabel.Text, reason) {
				t.Errorf("%s: waiting %v, error %q", text, u.session.waiting(), u.authz.errLabel.Text)
			}
			if u.authz.unchecked.Visible() {
				t.Errorf("%s: unchecked notice shown", text)
			}
		})
	}
	// The rebuild keeps the login, which waits for the paste: no u.wait.
	u.do(func() { u.setLanguage(languageChinese) })
	pasteText(u, base.String()+"?code="+code)
	u.do(func() {
		if !strings.Contains(u.authz.errLabel.Text, "没有 state") {
			t.Errorf("refusal not in Chinese: %q", u.authz.errLabel.Text)
		}
	})
	pasteText(u, code)
	u.wait()
	if u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 {
		t.Fatalf("bare code did not authorize: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
	if !u.authz.unchecked.Visible() || !strings.HasPrefix(u.authz.unchecked.Text, "无法核对 state") {
		t.Fatalf("unchecked notice %v %q", u.authz.unchecked.Visible(), u.authz.unchecked.Text)
	}
	u.openURL = func(string) error { return nil }
	u.do(func() { test.Tap(u.authz.startBtn) })
	u.do(func() {
		if !u.session.waiting() || u.authz.unchecked.Visible() {
			t.Errorf("a new login: waiting %v, previous notice shown %v", u.session.waiting(), u.authz.unchecked.Visible())
		}
		test.Tap(u.authz.cancelBtn)
	})
	u.wait()
	u.do(func() { u.setLanguage(languageEnglish) })
	u.wait()
}

// startLoopbackLogin saves the test app's credentials and starts a login
// that waits for its loopback callback.
func startLoopbackLogin(t *testing.T, u *Window) {
	t.Helper()
	_, base := startSandbox(t)
	fillCredentials(u, base)
	test.Tap(u.creds.continueBtn) // saves, then starts the login
	// The save ends on the UI goroutine, which starts the login: read what
	// it did there too.
	waiting := func() (w bool) { u.do(func() { w = u.session.waiting() && !u.authz.cancelBtn.Disabled() }); return }
	for deadline := time.Now().Add(30 * time.Second); !waiting() && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	if !waiting() {
		t.Fatal("not waiting")
	}
}

func TestCancelEndsWaiting(t *testing.T) {
	u, _, _ := newTestApp(t)
	startLoopbackLogin(t, u)
	test.Tap(u.authz.cancelBtn)
	u.wait()
	if u.session.waiting() || u.authz.startBtn.Disabled() || u.authz.status.Text != "the authorization was cancelled" {
		t.Fatalf("after cancel: waiting %v, status %q", u.session.waiting(), u.authz.status.Text)
	}
}

func TestRelayModeForwardsTheCallback(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	relayApp := testApp
	relayApp.ClientKey, relayApp.RedirectURI = "awuirelay000001", "https://example.com/douyin/callback"
	sb.AddApp(relayApp)

	fillCredentials(u, base)
	u.creds.clientKey.SetText(relayApp.ClientKey)
	u.creds.redirectURI.SetText(relayApp.RedirectURI)
	u.creds.mode.SetSelectedIndex(slices.Index(callbackModes, storage.ModeRelay))
	if !u.creds.relayBox.Visible() || u.creds.relayTarget.Text != auth.DefaultRelayTarget {
		t.Fatalf("relay target %q visible %v", u.creds.relayTarget.Text, u.creds.relayBox.Visible())
	}
	u.creds.relayTarget.SetText("http://127.0.0.1:0/relay")
	if l := u.creds.errs["relay_target"]; !l.Visible() || !strings.Contains(l.Text, "fixed port") {
		t.Fatalf("no live error for port 0: %q", l.Text)
	}
	target := "http://" + freeLoopbackAddr(t) + "/relay"
	u.creds.relayTarget.SetText(target)
	if u.creds.errs["relay_target"].Visible() {
		t.Fatal(u.creds.errs["relay_target"].Text)
	}
	test.Tap(u.creds.saveBtn)
	u.wait()
	if !u.session.active || u.session.profile.RelayTarget != target || u.session.profile.CallbackMode != storage.ModeRelay {
		t.Fatalf("saved %+v; %q", u.session.profile, u.creds.status.Text)
	}
	if !u.authz.relay.Visible() || !strings.Contains(u.authz.relayInfo.Text, "Upload this page to your registered redirect URL: "+relayApp.RedirectURI) {
		t.Fatalf("relay info %q", u.authz.relayInfo.Text)
	}
	test.Tap(u.authz.copyPageBtn)
	page, _ := auth.RelayPage(target)
	if got := u.fyne.Clipboard().Content(); got != string(page) {
		t.Fatalf("clipboard holds %.80q", got)
	}

	var browserErr error
	u.openURL = func(authorizeURL string) error {
		// The browser consents and lands on the relay page, which
		// forwards the query to the relay target.
		loc, err := sandboxtest.Consent(authorizeURL, "agree")
		if err == nil && loc.String() != relayApp.RedirectURI+"?"+loc.RawQuery {
			err = fmt.Errorf("redirected to %s", loc)
		}
		if err == nil {
			var resp *http.Response
			resp, err = http.Get(target + "?" + loc.RawQuery)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					err = fmt.Errorf("relay target: HTTP %d", resp.StatusCode)
				}
			}
		}
		browserErr = err
		return err
	}
	test.Tap(u.authz.startBtn)
	u.wait()
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	if u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 {
		t.Fatalf("relay did not authorize: %q %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
}

func TestRelayFileName(t *testing.T) {
	for in, want := range map[string]string{
		"https://example.com/douyin/callback":   "index.html",
		"https://example.com/douyin/relay.html": "relay.html",
		"https://example.com":                   "index.html",
	} {
		if got := relayFileName(in); got != want {
			t.Errorf("relayFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

// freeLoopbackAddr returns a loopback address with a port free right now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func TestLoginSurvivesLanguageSwitch(t *testing.T) {
	u, _, _ := newTestApp(t)
	startLoopbackLogin(t, u)
	u.do(func() { test.Type(u.authz.paste, "half-typed") })
	u.do(func() { u.setLanguage(languageChinese) })
	u.do(func() {
		if !u.session.waiting() || u.authz.cancelBtn.Disabled() || u.authz.url.Text == "" {
			t.Error("the login was lost in the rebuild")
		}
		if u.authz.paste.Text != "half-typed" {
			t.Errorf("the paste box was lost in the rebuild: %q", u.authz.paste.Text)
		}
		if !strings.HasPrefix(u.authz.status.Text, "正在") {
			t.Errorf("status not in Chinese: %q", u.authz.status.Text)
		}
	})
	u.do(func() { test.Tap(u.authz.cancelBtn) })
	u.wait()
	u.do(func() { u.setLanguage(languageEnglish) })
	u.wait()
	if u.session.waiting() {
		t.Fatal("still waiting after cancel")
	}
}
