package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestClientTokens: on the sandbox both client tokens come without a
// question, each in its own row with its countdown and copy; the stable one
// stays the same, apart from the rotation.
func TestClientTokens(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.client
	test.Tap(c.clientBtn)
	u.wait()
	if c.errLabel.Visible() {
		t.Fatal(c.errLabel.Text)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Fatal("a sandbox profile was asked to confirm")
	}
	if !strings.HasPrefix(c.client.valueText.Text, "clt.") || c.client.countdown.label.Text != "2h 0m" {
		t.Fatalf("client token %q %q", c.client.valueText.Text, c.client.countdown.label.Text)
	}
	if c.stable.content.Visible() {
		t.Fatal("a stable token shown before one was fetched")
	}
	test.Tap(c.stableBtn)
	u.wait()
	if !c.stable.content.Visible() || c.stable.countdown.label.Text != "2h 0m" || c.stable.value == c.client.value {
		t.Fatalf("stable token %q %q", c.stable.valueText.Text, c.stable.countdown.label.Text)
	}
	first := c.stable.value
	test.Tap(c.clientBtn)
	u.wait()
	test.Tap(c.stableBtn)
	u.wait()
	if c.stable.value != first {
		t.Fatal("the stable token changed within its two hours")
	}
	test.Tap(c.stable.copyBtn)
	if got := u.fyne.Clipboard().Content(); got != first {
		t.Fatalf("clipboard %q", got)
	}
	ts := st.Tokens("ui-test")
	rotating, err1 := ts.ClientToken(false)
	stable, err2 := ts.ClientToken(true)
	if err1 != nil || err2 != nil || rotating.Token != c.client.value || stable.Token != first {
		t.Fatalf("stored %q (%v) and %q (%v)", rotating.Token, err1, stable.Token, err2)
	}
	if n := len(u.tokens.client.countdowns()); n != 2 {
		t.Fatalf("%d client countdowns registered", n)
	}
	if len(u.logView.entries) == 0 {
		t.Fatal("HTTP log is empty")
	}
}

// openRealPlatformProfile stores a profile of the real platform for the
// test app and opens it, its requests going to the sandbox at base.
func openRealPlatformProfile(t *testing.T, u *Window, st *storage.Store, base string) {
	t.Helper()
	p := storage.Profile{Name: "prod", Environment: storage.EnvDouyin, ClientKey: testApp.ClientKey,
		Scopes: testApp.Scopes, RedirectURI: "https://example.com/douyin/callback"}
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	p, _ = st.Profile("prod")
	u.do(func() {
		u.session.newFlow = func(p storage.Profile, secret string) *auth.Flow {
			f := u.flow(p, secret)
			f.Client.BaseURL = base
			return f
		}
		u.session.open(p, testApp.ClientSecret, nil)
	})
	u.wait()
	u.show(tabTokens)
}

// TestClientTokenConfirmationOnRealPlatform: the first rotating client
// token of a real-platform profile waits for the user's consent, which
// offers the stable token instead and is asked once per profile.
func TestClientTokenConfirmationOnRealPlatform(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	openRealPlatformProfile(t, u, st, base)
	c := u.tokens.client
	dialogButton := func(text string) func() {
		t.Helper()
		b := findButton(u.win.Canvas().Overlays().Top(), text)
		if b == nil {
			t.Fatalf("no %q in a confirmation dialog", text)
		}
		return func() { test.Tap(b); u.wait() }
	}
	stored := func(stable bool) string {
		ct, _ := st.Tokens("prod").ClientToken(stable)
		return ct.Token
	}

	test.Tap(c.clientBtn)
	dialogButton("Cancel")()
	if u.win.Canvas().Overlays().Top() != nil || stored(false) != "" || len(u.logView.entries) != 0 {
		t.Fatal("Cancel fetched a token or left the dialog open")
	}

	test.Tap(c.clientBtn)
	dialogButton("Get stable client token")()
	if stored(true) == "" || stored(false) != "" || !c.stable.has || c.client.has {
		t.Fatalf("the dialog's stable choice stored %q / %q", stored(true), stored(false))
	}
	test.Tap(c.stableBtn) // the stable token needs no consent
	u.wait()
	if u.win.Canvas().Overlays().Top() != nil {
		t.Fatal("the stable token asked for consent")
	}

	test.Tap(c.clientBtn)
	dialogButton("Fetch client token anyway")()
	if stored(false) == "" || !c.client.has || c.errLabel.Visible() {
		t.Fatalf("no client token after consenting: %q", c.errLabel.Text)
	}
	if p, _ := st.Profile("prod"); !p.ClientTokenConfirmed || !u.session.profile.ClientTokenConfirmed {
		t.Fatal("the consent was not remembered")
	}
	before := stored(false)
	test.Tap(c.clientBtn)
	u.wait()
	if u.win.Canvas().Overlays().Top() != nil {
		t.Fatal("asked again after the consent")
	}
	if stored(false) == before {
		t.Fatal("no new client token after the consent")
	}
}
