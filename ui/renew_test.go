package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// TestRenewAsksAndStopsAtTheLimit: each renewal is confirmed in a dialog
// that says how many remain after it; Cancel renews nothing; at none left
// Renew is disabled, with the reason, and stays so after other actions.
func TestRenewAsksAndStopsAtTheLimit(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]

	test.Tap(c.renewBtn)
	if text := overlayText(u); !strings.Contains(text, "4 will remain after this one") {
		t.Fatalf("the dialog says %q", text)
	}
	tapDialog(t, u, "Cancel")
	if c.grant.Renewals != 0 || c.info.Visible() {
		t.Fatalf("Cancel renewed: %d renewals, %q", c.grant.Renewals, c.info.Text)
	}
	for i := 1; i <= auth.MaxRenewals; i++ {
		test.Tap(c.renewBtn)
		if want := "will remain after this one"; !strings.Contains(overlayText(u), want) {
			t.Fatalf("renewal %d: no confirmation", i)
		}
		tapDialog(t, u, "Renew")
		if c.errLabel.Visible() || c.grant.Renewals != i {
			t.Fatalf("renewal %d: %d renewals, %q", i, c.grant.Renewals, c.errLabel.Text)
		}
	}
	wantNoRenewal(t, c)
	// The end of a job enables the card's buttons, a failed one too.
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 10001})
	test.Tap(c.refreshBtn)
	u.wait()
	wantNoRenewal(t, c)
	test.Tap(c.refreshBtn)
	u.wait()
	wantNoRenewal(t, c)
}

// TestRenewLimitFromThePlatform: 10020 on renew is the renewal limit,
// whatever the count here says: its advice is to authorize again, and
// Renew is disabled.
func TestRenewLimitFromThePlatform(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRenewRefresh, ErrorCode: 10020})
	confirmRenew(t, u, c)
	text := c.errLabel.Text
	if !strings.Contains(text, "10020") || !strings.Contains(text, "authorize again for a new one") ||
		strings.Contains(text, "slow down") || !strings.Contains(text, "Use Re-authorize") {
		t.Fatalf("renew's 10020 says %q", text)
	}
	wantNoRenewal(t, c)
}

// TestClientTokenLimitAdvice: 10020 on client_token is a rate limit: slow
// down, not authorize again.
func TestClientTokenLimitAdvice(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	sb.Inject(sandbox.Fault{Endpoint: auth.PathClientToken, ErrorCode: 10020})
	ct := u.tokens.client
	test.Tap(ct.clientBtn)
	u.wait()
	if text := ct.errLabel.Text; !ct.errLabel.Visible() || !strings.Contains(text, "slow down") || strings.Contains(text, "authorize again") {
		t.Fatalf("client_token's 10020 says %q", text)
	}
	if c := u.tokens.cards[0]; c.renewBtn.Disabled() {
		t.Fatal("a client token limit disabled Renew")
	}
}

// TestInvalidTokensShownInvalid: once the platform answered that a token
// no longer works, its row says so in red in place of a green countdown;
// a reload keeps that, and a new authorization takes it away.
func TestInvalidTokensShownInvalid(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	wantValid(t, c.access)
	confirmRevoke(t, u, c)
	test.Tap(c.verifyBtn)
	u.wait()
	wantInvalid(t, c.access, "28001003")
	wantValid(t, c.refresh)
	test.Tap(c.refreshBtn)
	u.wait()
	wantInvalid(t, c.refresh, "10010")
	wantInvalid(t, c.access, "28001003")

	u.do(u.tokens.reload) // the same tokens read again
	u.wait()
	wantInvalid(t, c.access, "28001003")
	wantInvalid(t, c.refresh, "10010")

	test.Tap(c.reauthBtn)
	u.wait()
	u.show(tabTokens)
	if len(u.tokens.cards) != 1 || u.tokens.cards[0] != c {
		t.Fatalf("%d cards after re-authorizing", len(u.tokens.cards))
	}
	wantValid(t, c.access)
	wantValid(t, c.refresh)
	if c.errLabel.Visible() {
		t.Fatalf("the error about the old tokens stays: %q", c.errLabel.Text)
	}
}

func wantInvalid(t *testing.T, r *tokenRow, code string) {
	t.Helper()
	if !r.invalid.Visible() || !strings.Contains(r.invalid.Text, code) || r.invalid.Importance != widget.DangerImportance ||
		r.countdown.label.Visible() || r.valueText.Importance != widget.DangerImportance {
		t.Fatalf("not shown invalid (%s): %q, countdown %q shown %v", code, r.invalid.Text, r.countdown.label.Text, r.countdown.label.Visible())
	}
}

func wantValid(t *testing.T, r *tokenRow) {
	t.Helper()
	if r.invalid.Visible() || !r.countdown.label.Visible() || r.countdown.label.Importance != widget.SuccessImportance {
		t.Fatalf("not shown valid: %q, countdown %q", r.invalid.Text, r.countdown.label.Text)
	}
}

func wantNoRenewal(t *testing.T, c *accountCard) {
	t.Helper()
	if !c.renewBtn.Disabled() || !strings.Contains(c.renewals.Text, "No renewals left") ||
		!strings.Contains(c.renewals.Text, "Re-authorize") || c.renewals.Importance != widget.DangerImportance {
		t.Fatalf("Renew disabled %v, renewals %q", c.renewBtn.Disabled(), c.renewals.Text)
	}
}

// confirmRenew taps the card's Renew button and confirms.
func confirmRenew(t *testing.T, u *Window, c *accountCard) {
	t.Helper()
	test.Tap(c.renewBtn)
	tapDialog(t, u, "Renew")
}

// tapDialog taps the button labelled text in the dialog on top and waits
// for what it started.
func tapDialog(t *testing.T, u *Window, text string) {
	t.Helper()
	tapDialogNoWait(t, u, text)
	u.wait()
}

// overlayText returns the text of the labels in the dialog on top.
func overlayText(u *Window) string {
	if top := u.win.Canvas().Overlays().Top(); top != nil {
		return labelText(top)
	}
	return ""
}
