package ui

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// brokenKeyring is a keyring whose writes fail while broken is set.
type brokenKeyring struct {
	storage.Secrets
	broken atomic.Bool
}

func (k *brokenKeyring) Set(key, value string) error {
	if k.broken.Load() {
		return errors.New("the keyring is locked")
	}
	return k.Secrets.Set(key, value)
}

// TestRenewThatCannotBeSavedShowsTheNewToken renews while the keyring
// refuses every write: the platform's new refresh token, the only one that
// works now, must be on the card to copy, and the card must say so.
func TestRenewThatCannotBeSavedShowsTheNewToken(t *testing.T) {
	kr := &brokenKeyring{Secrets: storage.Memory()}
	st := newTestStore(t, kr)
	u, _, _ := newTestAppWith(t, st)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	old := c.grant.RefreshToken

	kr.broken.Store(true)
	confirmRenew(t, u, c)
	kr.broken.Store(false)
	if c.grant.RefreshToken == old || c.grant.RefreshToken == "" {
		t.Fatal("the card does not show the new refresh token")
	}
	if c.refresh.value != c.grant.RefreshToken {
		t.Fatalf("the refresh token row copies %q, not the new token", c.refresh.value)
	}
	if msg := c.errLabel.Text; !strings.Contains(msg, "copy it") || !strings.Contains(msg, "keyring is locked") {
		t.Fatalf("the card says %q", msg)
	}
	// The store keeps it for the session, so the account goes on working.
	test.Tap(c.refreshBtn)
	u.wait()
	if c.grant.RefreshToken == old || !c.errLabel.Hidden && c.errLabel.Text != "" {
		t.Fatalf("refresh after the failed save: %q, %q", c.grant.RefreshToken, c.errLabel.Text)
	}
}
