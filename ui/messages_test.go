package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// TestCardShowsOneMessageAtATime: an action's start takes the last one's
// message away, and its result is the only message on the card.
func TestCardShowsOneMessageAtATime(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]

	confirmRenew(t, u, c)
	if !c.info.Visible() || c.info.Text != "Refresh token renewed." {
		t.Fatalf("renew said %q", c.info.Text)
	}
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRenewRefresh, ErrorCode: 10020, Latency: 300 * time.Millisecond})
	test.Tap(c.renewBtn)
	tapDialogNoWait(t, u, "Renew")
	u.do(func() {
		if c.info.Visible() || c.errLabel.Visible() {
			t.Errorf("while renewing again: %q and %q shown", c.info.Text, c.errLabel.Text)
		}
	})
	u.wait()
	if !c.errLabel.Visible() || c.info.Visible() {
		t.Fatalf("after 10020: error %q, success %q shown %v", c.errLabel.Text, c.info.Text, c.info.Visible())
	}

	test.Tap(c.verifyBtn)
	u.wait()
	if c.errLabel.Visible() || !c.info.Visible() {
		t.Fatalf("after Verify: error %q shown %v", c.errLabel.Text, c.errLabel.Visible())
	}
	// Copy as curl runs beside a job: the job's end replaces its message.
	sb.Inject(sandbox.Fault{Endpoint: auth.PathUserInfo, ErrorCode: 10001, Latency: 300 * time.Millisecond})
	u.do(func() {
		test.Tap(c.verifyBtn)
		test.Tap(c.curlBtn)
	})
	u.do(func() {
		if !c.info.Visible() || !strings.Contains(c.info.Text, "curl") {
			t.Errorf("Copy as curl said %q", c.info.Text)
		}
	})
	u.wait()
	if !c.errLabel.Visible() || c.info.Visible() {
		t.Fatalf("after a failed Verify: success %q shown %v", c.info.Text, c.info.Visible())
	}
}

// TestProfileChangeClearsTokenMessages: the active profile saved again (its
// credentials fixed) or another one opened takes the Tokens step's
// messages away, those of the cards and of the client tokens.
func TestProfileChangeClearsTokenMessages(t *testing.T) {
	u, _, st := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c, ct := u.tokens.cards[0], u.tokens.client
	fail := func() {
		t.Helper()
		sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 10001})
		sb.Inject(sandbox.Fault{Endpoint: auth.PathClientToken, ErrorCode: 10013})
		// Typed on the window's goroutine: the first job may end while
		// the second button is tapped.
		u.do(func() {
			test.Tap(c.refreshBtn)
			test.Tap(ct.clientBtn)
		})
		u.wait()
		if !c.errLabel.Visible() || !ct.errLabel.Visible() {
			t.Fatalf("no errors: %q, %q", c.errLabel.Text, ct.errLabel.Text)
		}
	}

	fail()
	p, secret := u.session.profile, u.session.secret
	u.do(func() { u.session.open(p, secret, nil) }) // as Save does
	u.wait()
	if len(u.tokens.cards) != 1 || u.tokens.cards[0] != c {
		t.Fatal("saving the profile again replaced its card")
	}
	if c.errLabel.Visible() || ct.errLabel.Visible() {
		t.Fatalf("after saving the profile: %q, %q", c.errLabel.Text, ct.errLabel.Text)
	}

	fail()
	storeGrant(t, st, "other", base, testStart)
	other, err := st.Profile("other")
	if err != nil {
		t.Fatal(err)
	}
	u.do(func() { u.openProfile(readProfile(st, other, true), tabTokens) })
	u.wait()
	if u.tokens.shown != "other" || ct.errLabel.Visible() {
		t.Fatalf("after opening another profile: %q shown, client error %q", u.tokens.shown, ct.errLabel.Text)
	}
	for _, card := range u.tokens.cards {
		if card.errLabel.Visible() || card.info.Visible() {
			t.Fatalf("another profile's card says %q %q", card.errLabel.Text, card.info.Text)
		}
	}
}

// TestClientTokenFetchClearsTheLastError: a new fetch's start takes the
// last fetch's error away.
func TestClientTokenFetchClearsTheLastError(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	ct := u.tokens.client
	sb.Inject(sandbox.Fault{Endpoint: auth.PathClientToken, ErrorCode: 10013})
	test.Tap(ct.clientBtn)
	u.wait()
	if !ct.errLabel.Visible() || !strings.Contains(ct.errLabel.Text, "10013") {
		t.Fatalf("no error: %q", ct.errLabel.Text)
	}
	sb.Inject(sandbox.Fault{Endpoint: auth.PathClientToken, Latency: 300 * time.Millisecond})
	test.Tap(ct.clientBtn)
	u.do(func() {
		if ct.errLabel.Visible() {
			t.Errorf("the last error stays while fetching again: %q", ct.errLabel.Text)
		}
	})
	u.wait()
	sb.ClearFaults()
	if ct.errLabel.Visible() || !ct.client.has {
		t.Fatalf("after fetching: %q", ct.errLabel.Text)
	}
}

// tapDialogNoWait taps the button labelled text in the dialog on top.
func tapDialogNoWait(t *testing.T, u *Window, text string) {
	t.Helper()
	b := findButton(u.win.Canvas().Overlays().Top(), text)
	if b == nil {
		t.Fatalf("no %q in a dialog", text)
	}
	test.Tap(b)
}
