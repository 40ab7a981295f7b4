package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestImportTokensInTheWindow authorizes, forgets the account here (the
// platform's grant lives on), then imports its refresh token through the
// Tokens step: the account comes back marked imported, with both
// countdowns. Its access token alone, imported with the open_id, gives an
// account that cannot be refreshed and says why, with an unknown expiry.
func TestImportTokensInTheWindow(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	g := u.tokens.cards[0].grant
	forget := func() {
		t.Helper()
		u.do(func() { u.tokens.cards[0].doForget() })
		u.wait()
		if len(u.tokens.cards) != 0 {
			t.Fatal("the account was not forgotten")
		}
	}
	forget()
	v := u.tokens.importer
	if !v.importBtn.Disabled() {
		t.Fatal("Import is enabled with no token typed")
	}
	u.do(func() {
		test.Type(v.token, g.RefreshToken)
		test.Tap(v.importBtn)
	})
	u.wait()
	if len(u.tokens.cards) != 1 || !strings.HasPrefix(v.status.Text, "Imported ") || v.token.Text != "" {
		t.Fatalf("%d cards, status %q", len(u.tokens.cards), v.status.Text)
	}
	c := u.tokens.cards[0]
	if !c.grant.Imported || !strings.HasPrefix(c.who.Text, "Imported · open_id: "+g.OpenID) || c.refreshBtn.Disabled() {
		t.Fatalf("imported card: %+v, %q", c.grant.Account, c.who.Text)
	}
	if c.access.countdown.label.Text != "15d 0h 0m" || c.refresh.countdown.expiry.IsZero() {
		t.Fatalf("countdowns %q %v", c.access.countdown.label.Text, c.refresh.countdown.expiry)
	}
	access := c.grant.AccessToken

	forget()
	u.do(func() {
		v.kind.SetSelected(v.kind.Options[importAccess])
		test.Type(v.token, access)
	})
	if !v.openID.Visible() || !v.importBtn.Disabled() {
		t.Fatal("an access token is importable without its open_id")
	}
	u.do(func() {
		test.Type(v.openID, g.OpenID)
		test.Tap(v.importBtn)
	})
	u.wait()
	if len(u.tokens.cards) != 1 {
		t.Fatalf("access import: %d cards, status %q", len(u.tokens.cards), v.status.Text)
	}
	c = u.tokens.cards[0]
	if !c.grant.AccessOnly || !c.refreshBtn.Disabled() || !c.renewBtn.Disabled() || !strings.Contains(c.renewals.Text, "cannot be refreshed") {
		t.Fatalf("access-only card: refresh %v renew %v, %q", c.refreshBtn.Disabled(), c.renewBtn.Disabled(), c.renewals.Text)
	}
	if c.access.countdown.label.Text != "unknown" || c.refresh.content.Visible() {
		t.Fatalf("access-only countdown %q, refresh row shown %v", c.access.countdown.label.Text, c.refresh.content.Visible())
	}

	// A token the platform does not know is explained, and nothing added.
	forget()
	u.do(func() {
		v.kind.SetSelected(v.kind.Options[importRefresh])
		test.Type(v.token, "rft.not-a-token")
		test.Tap(v.importBtn)
	})
	u.wait()
	if len(u.tokens.cards) != 0 || v.status.Importance != widget.DangerImportance || v.status.Text == "" {
		t.Fatalf("bad token: %d cards, status %q", len(u.tokens.cards), v.status.Text)
	}
}
