package storage

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// accessOnly is an imported access token without a refresh token.
func accessOnly(openID, access string) auth.Grant {
	return auth.Grant{Account: auth.Account{OpenID: openID, Nickname: "Imported", AccessObtained: t0,
		Imported: true, AccessOnly: true}, AccessToken: access}
}

// TestAccessOnlyGrant stores an access token without a refresh token: it
// loads after a restart with no refresh token and its expiry unknown, the
// file says so, and only its access_token entry exists.
func TestAccessOnlyGrant(t *testing.T) {
	kr := newFakeKeyring()
	dir := t.TempDir()
	s := openStore(t, dir, kr)
	saveProfile(t, s, "p")
	if err := s.Tokens("p").SaveGrant(accessOnly("u", "act.imported")); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, dir, kr)
	g, err := s.Tokens("p").Grant("u")
	if err != nil || g.AccessToken != "act.imported" || g.RefreshToken != "" || !g.AccessOnly || !g.Imported ||
		g.AccessExpiryKnown() || !g.RefreshExpiry.IsZero() || g.Nickname != "Imported" {
		t.Fatalf("Grant after reopening = %+v, %v", g, err)
	}
	p, _ := s.Profile("p")
	if len(p.Accounts) != 1 || !p.Accounts[0].AccessOnly || !p.Accounts[0].Imported {
		t.Errorf("Profile.Accounts = %+v", p.Accounts)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token"}) {
		t.Errorf("keys = %q", ks)
	}
	file := readFileString(t, filepath.Join(dir, fileName))
	if !strings.Contains(file, `"access_only": true`) || !strings.Contains(file, `"refresh_generation": 1`) || strings.Contains(file, "act.imported") {
		t.Errorf("profiles.json:\n%s", file)
	}

	// A second access token replaces the first, still without a refresh token.
	if err := s.Tokens("p").SaveGrant(accessOnly("u", "act.second")); err != nil {
		t.Fatal(err)
	}
	if g, err := s.Tokens("p").Grant("u"); err != nil || g.AccessToken != "act.second" || !g.AccessOnly {
		t.Errorf("Grant after a second import = %+v, %v", g, err)
	}

	// A refresh token later makes it an ordinary account, at the next
	// generation.
	full := grant("u", "act.full", "rft.full", 0)
	if err := s.Tokens("p").SaveGrant(full); err != nil {
		t.Fatal(err)
	}
	g, err = openStore(t, dir, kr).Tokens("p").Grant("u")
	if err != nil || g.RefreshToken != "rft.full" || g.AccessOnly || g.Nickname != "Imported" {
		t.Errorf("Grant after a refresh token = %+v, %v", g, err)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/2"}) {
		t.Errorf("keys after a refresh token = %q", ks)
	}
}

// TestAccessOnlyKeepsRefreshToken saves an access token alone onto an
// account with a refresh token: the refresh token stays, and a refresh token
// that the keyring lost makes the account access only.
func TestAccessOnlyKeepsRefreshToken(t *testing.T) {
	kr := newFakeKeyring()
	dir := t.TempDir()
	s := openStore(t, dir, kr)
	saveProfile(t, s, "p")
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u", "act.1", "rft.1", 2)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveGrant(accessOnly("u", "act.imported")); err != nil {
		t.Fatal(err)
	}
	g, err := openStore(t, dir, kr).Tokens("p").Grant("u")
	if err != nil || g.AccessToken != "act.imported" || g.RefreshToken != "rft.1" || g.AccessOnly || g.Renewals != 0 {
		t.Fatalf("Grant = %+v, %v", g, err)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/1"}) {
		t.Errorf("keys = %q", ks)
	}

	// The keyring lost the refresh token, as after a session without one.
	if err := kr.Delete(refreshKey("p", "u", 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.Grant("u"); !errors.Is(err, auth.ErrNoAccount) || !errors.Is(err, ErrSecretNotFound) {
		t.Fatalf("Grant without its refresh token = %v", err)
	}
	if err := ts.SaveGrant(accessOnly("u", "act.again")); err != nil {
		t.Fatal(err)
	}
	if g, err := openStore(t, dir, kr).Tokens("p").Grant("u"); err != nil || g.AccessToken != "act.again" || !g.AccessOnly || g.RefreshToken != "" {
		t.Errorf("Grant after importing onto a lost refresh token = %+v, %v", g, err)
	}
}

// TestAccessOnlyRefused: an access-only grant needs its access token, and a
// grant without a refresh token that does not say it is access only is
// still refused, so that no caller drops a refresh token by mistake.
func TestAccessOnlyRefused(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	saveProfile(t, s, "p")
	for _, g := range []auth.Grant{accessOnly("u", ""), grant("u", "act.1", "", 0)} {
		var fe *auth.FieldError
		if err := s.Tokens("p").SaveGrant(g); !errors.As(err, &fe) {
			t.Errorf("SaveGrant(access %q, access only %v) = %v", g.AccessToken, g.AccessOnly, err)
		}
	}
	if p, _ := s.Profile("p"); len(p.Accounts) != 0 {
		t.Errorf("accounts = %+v", p.Accounts)
	}
}

// TestAccessOnlyInterrupted crashes and fails the first save of an access
// token alone at every step: nothing is left behind, neither in the file
// nor in the keyring, and the import can simply be repeated.
func TestAccessOnlyInterrupted(t *testing.T) {
	for _, step := range []string{"intent", "access", "commit"} {
		for _, dies := range []bool{true, false} {
			t.Run(step+map[bool]string{true: " crash", false: " failure"}[dies], func(t *testing.T) {
				dir := t.TempDir()
				kr := newFakeKeyring()
				s := openStore(t, dir, kr)
				saveProfile(t, s, "p")
				withHook(t, failAt(step, dies))
				crashed, err := crashes(func() error { return s.Tokens("p").SaveGrant(accessOnly("u", "act.1")) })
				if crashed != dies || !dies && err == nil {
					t.Fatalf("crashed %v, err %v", crashed, err)
				}
				stepHook = nil
				if !dies {
					// A failure cleans up at once, not only at the next start.
					if f := readFileString(t, filepath.Join(dir, fileName)); strings.Contains(f, `"u"`) || len(kr.keys()) != 0 {
						t.Errorf("after the failure: keys %q, file:\n%s", kr.keys(), f)
					}
				}
				s = openStore(t, dir, kr)
				if _, err := s.Tokens("p").Grant("u"); !errors.Is(err, auth.ErrNoAccount) {
					t.Errorf("Grant = %v", err)
				}
				if ks := kr.keys(); len(ks) != 0 {
					t.Errorf("keys left = %q", ks)
				}
				if f := readFileString(t, filepath.Join(dir, fileName)); strings.Contains(f, `"u"`) {
					t.Errorf("file still mentions the account:\n%s", f)
				}
				if err := s.Tokens("p").SaveGrant(accessOnly("u", "act.1")); err != nil {
					t.Errorf("repeating the import: %v", err)
				}
			})
		}
	}
}

// failAt returns a step hook that crashes (panics) or fails at step.
func failAt(step string, dies bool) func(string) error {
	return func(s string) error {
		if s != step {
			return nil
		}
		if dies {
			panic(crash)
		}
		return errInjected
	}
}
