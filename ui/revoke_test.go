package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// A grant revoked in the sandbox, by the window's own sandbox or through
// the control endpoint of another, makes Verify and Refresh show the
// platform's answer explained.
func TestRevokeInSandbox(t *testing.T) {
	for _, own := range []bool{true, false} {
		name := "control endpoint"
		if own {
			name = "own sandbox"
		}
		t.Run(name, func(t *testing.T) {
			u, _, _ := newTestApp(t)
			sb, base := startSandbox(t)
			if own {
				u.do(func() { u.sandbox, u.sandboxURL = sb, base })
			}
			authorize(t, u, base)
			c := u.tokens.cards[0]
			if !c.revokeBtn.Visible() {
				t.Fatal("no revoke button on a sandbox profile")
			}
			confirmRevoke(t, u, c)
			if c.errLabel.Visible() || !strings.Contains(c.info.Text, "The sandbox revoked the authorization") {
				t.Fatalf("revoke said %q, error %q", c.info.Text, c.errLabel.Text)
			}

			test.Tap(c.verifyBtn)
			u.wait()
			wantExplained(t, c, 28001003)
			test.Tap(c.refreshBtn)
			u.wait()
			wantExplained(t, c, 10010)
			if !strings.Contains(c.errLabel.Text, "Use Re-authorize") {
				t.Fatalf("refresh after revocation: %q", c.errLabel.Text)
			}

			confirmRevoke(t, u, c)
			if !strings.Contains(c.errLabel.Text, "no live authorization") {
				t.Fatalf("second revocation: %q", c.errLabel.Text)
			}
		})
	}
}

// A sandbox that is gone: the error names its address.
func TestRevokeUnreachableSandbox(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	sb.Close()
	c := u.tokens.cards[0]
	confirmRevoke(t, u, c)
	if !c.errLabel.Visible() || !strings.Contains(c.errLabel.Text, "The sandbox at "+base+" did not revoke") {
		t.Fatalf("unreachable sandbox: %q", c.errLabel.Text)
	}
}

func TestRevokeOnlyForSandboxProfiles(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "custom", "http://127.0.0.1:1", testStart)
	p, err := st.Profile("custom")
	if err != nil {
		t.Fatal(err)
	}
	p.Environment = storage.EnvCustom
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "custom" })
	u, _, _ := newTestAppWith(t, st)
	if len(u.tokens.cards) != 1 {
		t.Fatalf("%d accounts shown", len(u.tokens.cards))
	}
	if u.tokens.cards[0].revokeBtn.Visible() {
		t.Fatal("revoke button on a custom server's profile")
	}
}

// confirmRevoke taps the card's revoke button and confirms.
func confirmRevoke(t *testing.T, u *Window, c *accountCard) {
	t.Helper()
	test.Tap(c.revokeBtn)
	confirm := findButton(u.win.Canvas().Overlays().Top(), "Revoke")
	if confirm == nil {
		t.Fatal("no confirmation dialog")
	}
	test.Tap(confirm)
	u.wait()
}

// wantExplained fails unless the card's error shows code with its
// explanation.
func wantExplained(t *testing.T, c *accountCard, code int) {
	t.Helper()
	x, ok := auth.Explain(code)
	if !ok {
		t.Fatalf("no explanation of %d", code)
	}
	text := c.errLabel.Text
	if !c.errLabel.Visible() || !strings.Contains(text, x.Meaning("en")) || !strings.Contains(text, x.Action("en")) {
		t.Fatalf("error %d not explained: %q", code, text)
	}
}
