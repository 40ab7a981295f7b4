package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// accountKeys lists the keyring keys of account u of profile p.
func accountKeys(kr *fakeKeyring, p, u string) []string {
	var ks []string
	for _, k := range kr.keys() {
		if strings.HasPrefix(k, "profile/"+p+"/account/"+u+"/") {
			ks = append(ks, strings.TrimPrefix(k, "profile/"+p+"/account/"+u+"/"))
		}
	}
	return ks
}

func TestGrantRoundTrip(t *testing.T) {
	kr := newFakeKeyring()
	dir := t.TempDir()
	s := openStore(t, dir, kr)
	saveProfile(t, s, "p")
	ts := s.Tokens("p")

	if _, err := ts.Grant("u"); !errors.Is(err, auth.ErrNoAccount) {
		t.Errorf("Grant before SaveGrant = %v", err)
	}
	if _, err := s.Tokens("x").Grant("u"); !errors.Is(err, auth.ErrNoAccount) || !errors.Is(err, ErrNoProfile) {
		t.Errorf("Grant on a missing profile = %v", err)
	}
	if err := s.Tokens("x").SaveGrant(grant("u", "a", "r", 0)); !errors.Is(err, ErrNoProfile) {
		t.Errorf("SaveGrant on a missing profile = %v", err)
	}

	g1 := grant("u", "act.1", "rft.1", 0)
	g1.Nickname, g1.Avatar, g1.UnionID, g1.Role = "Nick", "https://a/b.png", "union", "EAccountM"
	if err := ts.SaveGrant(g1); err != nil {
		t.Fatal(err)
	}
	if got, err := openStore(t, dir, kr).Tokens("p").Grant("u"); err != nil || !reflect.DeepEqual(got, g1) {
		t.Errorf("Grant = %+v, %v; want %+v", got, err, g1)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/1"}) {
		t.Errorf("keys = %q", ks)
	}

	// A refresh that keeps the refresh token keeps the generation; empty
	// descriptive fields keep their values.
	g2 := grant("u", "act.2", "rft.1", 0)
	g2.Scope = ""
	if err := ts.SaveGrant(g2); err != nil {
		t.Fatal(err)
	}
	want := g2
	want.Nickname, want.Avatar, want.UnionID, want.Role, want.Scope = g1.Nickname, g1.Avatar, g1.UnionID, g1.Role, g1.Scope
	if got, err := ts.Grant("u"); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Grant after refresh = %+v, %v; want %+v", got, err, want)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/1"}) {
		t.Errorf("keys after refresh = %q", ks)
	}

	// A renewal moves to the next generation and drops the old one.
	g3 := grant("u", "act.3", "rft.3", 1)
	g3.Nickname = "New nick"
	if err := ts.SaveGrant(g3); err != nil {
		t.Fatal(err)
	}
	if got, _ := ts.Grant("u"); got.RefreshToken != "rft.3" || got.Nickname != "New nick" || got.Avatar != g1.Avatar || got.Renewals != 1 {
		t.Errorf("Grant after renewal = %+v", got)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/2"}) {
		t.Errorf("keys after renewal = %q", ks)
	}
	p, _ := s.Profile("p")
	if len(p.Accounts) != 1 || p.Accounts[0].Nickname != "New nick" || !p.Accounts[0].AccessExpiry.Equal(g3.AccessExpiry) {
		t.Errorf("Profile.Accounts = %+v", p.Accounts)
	}

	for _, bad := range []auth.Grant{
		grant("", "a", "r", 0),
		grant("a/b", "a", "r", 0),
		grant("u", "a", "", 0),
	} {
		var fe *auth.FieldError
		if err := ts.SaveGrant(bad); !errors.As(err, &fe) {
			t.Errorf("SaveGrant(%q, %q, %q) = %v", bad.OpenID, bad.AccessToken, bad.RefreshToken, err)
		}
	}
	if err := ts.SaveGrant(grant("u", strings.Repeat("a", 3000), "r", 0)); !errors.Is(err, ErrSecretTooLarge) {
		t.Errorf("oversized access token: %v", err)
	}
	if got, _ := ts.Grant("u"); got.RefreshToken != "rft.3" {
		t.Errorf("rejected grants changed the stored one: %+v", got)
	}
}

func TestClientToken(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	saveProfile(t, s, "p")
	ts := s.Tokens("p")
	if _, err := ts.ClientToken(false); !errors.Is(err, auth.ErrNoClientToken) {
		t.Errorf("ClientToken before saving = %v", err)
	}
	if _, err := s.Tokens("x").ClientToken(false); !errors.Is(err, auth.ErrNoClientToken) || !errors.Is(err, ErrNoProfile) {
		t.Errorf("ClientToken on a missing profile = %v", err)
	}
	want := auth.ClientToken{Token: "clt.1", Obtained: t0, Expiry: t0.Add(2 * time.Hour)}
	if err := ts.SaveClientToken(want); err != nil {
		t.Fatal(err)
	}
	if got, err := ts.ClientToken(false); err != nil || got != want {
		t.Errorf("ClientToken = %+v, %v", got, err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{}); err == nil {
		t.Error("empty client token accepted")
	}

	// A failed write keeps the token held before.
	withHook(t, func(step string) error {
		if step == "commit" {
			return errInjected
		}
		return nil
	})
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.2", Obtained: t0.Add(time.Hour)}); !errors.Is(err, errInjected) {
		t.Fatalf("SaveClientToken = %v", err)
	}
	if got, err := ts.ClientToken(false); err != nil || got != want {
		t.Errorf("ClientToken after a failed save = %+v, %v", got, err)
	}

	// A token the keyring lost is reported as missing.
	stepHook = nil
	kr.inner.Delete(clientTokenKey("p", false))
	if _, err := ts.ClientToken(false); !errors.Is(err, auth.ErrNoClientToken) || !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("ClientToken without its entry = %v", err)
	}
}

// TestStableClientToken: the stable client token has its own entry and
// metadata, and saving either kind leaves the other alone.
func TestStableClientToken(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	saveProfile(t, s, "p")
	ts := s.Tokens("p")
	rotating := auth.ClientToken{Token: "clt.r1", Obtained: t0, Expiry: t0.Add(2 * time.Hour)}
	if err := ts.SaveClientToken(rotating); err != nil {
		t.Fatal(err)
	}
	if _, err := ts.ClientToken(true); !errors.Is(err, auth.ErrNoClientToken) {
		t.Errorf("stable ClientToken before saving = %v", err)
	}
	stable := auth.ClientToken{Token: "clt.s1", Obtained: t0.Add(time.Minute), Expiry: t0.Add(2*time.Hour + time.Minute), Stable: true}
	if err := ts.SaveClientToken(stable); err != nil {
		t.Fatal(err)
	}
	if got, err := ts.ClientToken(true); err != nil || got != stable {
		t.Errorf("stable ClientToken = %+v, %v", got, err)
	}
	if got, err := ts.ClientToken(false); err != nil || got != rotating {
		t.Errorf("ClientToken after saving the stable one = %+v, %v", got, err)
	}
	if v := sealed(kr.value("profile/p/client_token_stable")); v != "clt.s1" {
		t.Errorf("keyring entry client_token_stable = %q", v)
	}
	p, _ := s.Profile("p")
	if p.StableClientToken == nil || p.StableClientToken.Token != "" || !p.StableClientToken.Stable ||
		!p.StableClientToken.Expiry.Equal(stable.Expiry) || !p.ClientToken.Expiry.Equal(rotating.Expiry) {
		t.Errorf("metadata %+v / %+v", p.StableClientToken, p.ClientToken)
	}

	// A failed write of the stable token keeps both held before.
	withHook(t, func(step string) error {
		if step == "client_token_stable" {
			return errInjected
		}
		return nil
	})
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.s2", Stable: true}); !errors.Is(err, errInjected) {
		t.Fatalf("SaveClientToken = %v", err)
	}
	if got, err := ts.ClientToken(true); err != nil || got != stable {
		t.Errorf("stable ClientToken after a failed save = %+v, %v", got, err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.r2"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := ts.ClientToken(true); got != stable {
		t.Errorf("a new rotating token replaced the stable one: %+v", got)
	}
	if got := secretName(clientTokenKey("p", true)); got != "client_token_stable" {
		t.Errorf("secretName = %q", got)
	}
}

// rotationSetup stores grant old for account u of profile p and returns it.
func rotationSetup(t *testing.T) (dir string, kr *fakeKeyring, s *Store, old auth.Grant) {
	t.Helper()
	dir = t.TempDir()
	kr = newFakeKeyring()
	s = openStore(t, dir, kr)
	saveProfile(t, s, "p")
	old = grant("u", "act.old", "rft.old", 0)
	old.Nickname = "Nick"
	if err := s.Tokens("p").SaveGrant(old); err != nil {
		t.Fatal(err)
	}
	return dir, kr, s, old
}

// renewed is the grant that replaces the one from rotationSetup.
func renewed() auth.Grant { return grant("u", "act.new", "rft.new", 1) }

// TestCrashDuringRotation interrupts SaveGrant before each of its steps, as
// a crash would (no error handling runs), and checks what the next Open and
// Grant see.
func TestCrashDuringRotation(t *testing.T) {
	for _, c := range []struct {
		step        string
		wantRefresh string
		wantAccess  string
		wantExpiry  bool // whether AccessExpiry is known
		wantKeys    []string
	}{
		{"refresh", "rft.old", "act.old", true, []string{"access_token", "refresh_token/1"}},
		{"intent", "rft.new", "act.old", false, []string{"access_token", "refresh_token/2"}},
		{"access", "rft.new", "act.old", false, []string{"access_token", "refresh_token/2"}},
		{"commit", "rft.new", "act.new", false, []string{"access_token", "refresh_token/2"}},
		{"retire", "rft.new", "act.new", true, []string{"access_token", "refresh_token/2"}},
	} {
		for _, reopen := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s/reopen=%v", c.step, reopen), func(t *testing.T) {
				dir, kr, s, old := rotationSetup(t)
				withHook(t, func(step string) error {
					if step == c.step {
						panic(crash)
					}
					return nil
				})
				if crashed, err := crashes(func() error { return s.Tokens("p").SaveGrant(renewed()) }); !crashed {
					t.Fatalf("SaveGrant did not reach step %s: %v", c.step, err)
				}
				stepHook = nil
				if reopen {
					s = openStore(t, dir, kr)
				}
				g, err := s.Tokens("p").Grant("u")
				if err != nil {
					t.Fatal(err)
				}
				if g.RefreshToken != c.wantRefresh || g.AccessToken != c.wantAccess {
					t.Errorf("Grant tokens = %q, %q; want %q, %q", g.RefreshToken, g.AccessToken, c.wantRefresh, c.wantAccess)
				}
				want := old.Account
				if c.wantRefresh == "rft.new" && c.step != "intent" {
					want = renewed().Account
					want.Nickname = "Nick"
				}
				// Before the note, the new token rolls forward with the
				// account data held before.
				if !c.wantExpiry {
					want.AccessObtained, want.AccessExpiry = time.Time{}, time.Time{}
				}
				if !reflect.DeepEqual(g.Account, want) {
					t.Errorf("Grant account = %+v\nwant %+v", g.Account, want)
				}
				if reopen {
					// Open cleaned up already.
					if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, c.wantKeys) {
						t.Errorf("keys = %q, want %q", ks, c.wantKeys)
					}
					if f := readFileString(t, filepath.Join(dir, fileName)); strings.Contains(f, "pending") || strings.Contains(f, "retired") {
						t.Errorf("file after recovery:\n%s", f)
					}
				}
				// The store goes on working from here.
				if err := s.Tokens("p").SaveGrant(grant("u", "act.3", "rft.3", 2)); err != nil {
					t.Fatal(err)
				}
				if g, _ := s.Tokens("p").Grant("u"); g.RefreshToken != "rft.3" {
					t.Errorf("Grant after the next save = %+v", g)
				}
				if ks := accountKeys(kr, "p", "u"); len(ks) != 2 {
					t.Errorf("keys after the next save = %q", ks)
				}
			})
		}
	}
}

// TestCrashDuringFirstGrant interrupts the first SaveGrant of an account.
func TestCrashDuringFirstGrant(t *testing.T) {
	for _, c := range []struct {
		step string
		kept bool
	}{{"intent", false}, {"refresh", false}, {"access", true}, {"commit", true}} {
		t.Run(c.step, func(t *testing.T) {
			dir := t.TempDir()
			kr := newFakeKeyring()
			s := openStore(t, dir, kr)
			saveProfile(t, s, "p")
			withHook(t, func(step string) error {
				if step == c.step {
					panic(crash)
				}
				return nil
			})
			if crashed, _ := crashes(func() error { return s.Tokens("p").SaveGrant(grant("u", "act.1", "rft.1", 0)) }); !crashed {
				t.Fatal("no crash")
			}
			stepHook = nil
			s = openStore(t, dir, kr)
			p, _ := s.Profile("p")
			g, err := s.Tokens("p").Grant("u")
			if c.kept {
				if err != nil || g.RefreshToken != "rft.1" || len(p.Accounts) != 1 {
					t.Errorf("Grant = %+v, %v; accounts %+v", g, err, p.Accounts)
				}
				return
			}
			if !errors.Is(err, auth.ErrNoAccount) || len(p.Accounts) != 0 {
				t.Errorf("Grant = %+v, %v; accounts %+v", g, err, p.Accounts)
			}
			if ks := kr.keys(); len(ks) != 0 {
				t.Errorf("keys left = %q", ks)
			}
			if f := readFileString(t, filepath.Join(dir, fileName)); strings.Contains(f, `"u"`) {
				t.Errorf("file still mentions the account:\n%s", f)
			}
		})
	}
}

// TestFailureDuringRotation makes each keyring call and each file write of
// a renewal fail in turn. A failure before anything is written leaves the
// grant held before as it was. Once the platform's new refresh token is
// written nothing deletes it: SaveGrant reports an *auth.UnsavedError, this
// store keeps the new grant for the session, and the next store finds the
// new refresh token. A failure to write it at all leaves it in memory only,
// in the error, to be copied.
func TestFailureDuringRotation(t *testing.T) {
	// Count the keyring calls of an undisturbed renewal.
	_, kr, s, _ := rotationSetup(t)
	kr.setFault(nil)
	if err := s.Tokens("p").SaveGrant(renewed()); err != nil {
		t.Fatal(err)
	}
	calls := kr.callCount()
	if calls < 5 {
		t.Fatalf("only %d keyring calls", calls)
	}

	type fault struct {
		name string
		set  func(kr *fakeKeyring)
	}
	var faults []fault
	for n := 1; n <= calls; n++ {
		faults = append(faults, fault{fmt.Sprintf("keyring call %d", n), func(kr *fakeKeyring) {
			i := 0
			kr.setFault(func(op, key string) error {
				i++
				if i == n {
					return fmt.Errorf("%w: %s %s", errInjected, op, key)
				}
				return nil
			})
		}})
	}
	for _, st := range []string{"intent", "refresh", "access", "commit"} {
		faults = append(faults, fault{"step " + st, func(*fakeKeyring) {
			withHook(t, func(step string) error {
				if step == st {
					return errInjected
				}
				return nil
			})
		}})
	}
	faults = append(faults,
		fault{"every write of the access token", func(kr *fakeKeyring) {
			kr.setFault(func(op, key string) error {
				if op == "set" && strings.HasSuffix(key, "access_token") {
					return errInjected
				}
				return nil
			})
		}},
		fault{"every keyring write and delete", func(kr *fakeKeyring) {
			kr.setFault(func(op, key string) error {
				if op != "get" {
					return errInjected
				}
				return nil
			})
		}},
		fault{"every file write", func(*fakeKeyring) {
			withHook(t, func(step string) error {
				if step == "intent" || step == "commit" || step == "recover" {
					return errInjected
				}
				return nil
			})
		}})

	newest := renewed()
	newest.Nickname = "Nick"
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			dir, kr, s, old := rotationSetup(t)
			f.set(kr)
			err := s.Tokens("p").SaveGrant(renewed())
			kr.setFault(nil)
			stepHook = nil
			var ue *auth.UnsavedError
			switch {
			case err == nil:
				checkGrant(t, s, newest, true)
				checkGrant(t, openStore(t, dir, kr), newest, true)
			case errors.As(err, &ue):
				if !errors.Is(err, errInjected) || ue.Grant.RefreshToken != "rft.new" {
					t.Fatalf("SaveGrant error = %v, grant %+v", err, ue.Grant)
				}
				checkGrant(t, s, newest, true) // held for the session
				next := openStore(t, dir, kr)
				if ue.RefreshStored {
					checkGrant(t, next, newest, false)
				} else {
					checkGrant(t, next, old, true)
				}
			case kr.everSet("profile/p/account/u/refresh_token/2"):
				t.Fatalf("the new refresh token was written, then SaveGrant failed with %v, which does not keep it", err)
			case errors.Is(err, errInjected):
				// Failed before writing anything.
				checkGrant(t, s, old, true)
				checkGrant(t, openStore(t, dir, kr), old, true)
			default:
				t.Fatalf("SaveGrant error = %v", err)
			}
		})
	}
}

// checkGrant fails the test unless s holds want for account u of profile
// p, with the same access expiry when exact, or that or an unknown one (a
// grant rolled forward) when not.
func checkGrant(t *testing.T, s *Store, want auth.Grant, exact bool) {
	t.Helper()
	g, err := s.Tokens("p").Grant("u")
	if err != nil || g.RefreshToken != want.RefreshToken {
		t.Fatalf("Grant = %+v, %v; want refresh token %q", g, err, want.RefreshToken)
	}
	if exact && !reflect.DeepEqual(g, want) {
		t.Errorf("Grant = %+v\nwant %+v", g, want)
	}
	if !exact && !g.AccessExpiry.IsZero() && (g.AccessToken != want.AccessToken || !g.AccessExpiry.Equal(want.AccessExpiry)) {
		t.Errorf("Grant has access token %q until %v, want %q until %v or an unknown expiry",
			g.AccessToken, g.AccessExpiry, want.AccessToken, want.AccessExpiry)
	}
}

// TestFailedUndoRollsForward covers a SaveGrant whose undo cannot delete
// the new refresh token: the next Grant must use it rather than lose it.
func TestFailedUndoRollsForward(t *testing.T) {
	dir, kr, s, _ := rotationSetup(t)
	withHook(t, func(step string) error {
		if step == "commit" {
			return errInjected
		}
		return nil
	})
	kr.setFault(func(op, key string) error {
		if op == "delete" {
			return errInjected
		}
		return nil
	})
	if err := s.Tokens("p").SaveGrant(renewed()); !errors.Is(err, errInjected) {
		t.Fatalf("SaveGrant = %v", err)
	}
	stepHook = nil
	kr.setFault(nil)
	g, err := openStore(t, dir, kr).Tokens("p").Grant("u")
	if err != nil || g.RefreshToken != "rft.new" || g.Renewals != 1 {
		t.Errorf("Grant = %+v, %v", g, err)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/2"}) {
		t.Errorf("keys = %q", ks)
	}
}

// TestConcurrentRotation renews the same account from two stores at once.
func TestConcurrentRotation(t *testing.T) {
	dir := t.TempDir()
	kr := newFakeKeyring()
	a := openStore(t, dir, kr)
	saveProfile(t, a, "p")
	b := openStore(t, dir, kr)
	var wg sync.WaitGroup
	for w, s := range []*Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				g := grant("u", fmt.Sprintf("act.%d.%d", w, i), fmt.Sprintf("rft.%d.%d", w, i), i)
				if err := s.Tokens("p").SaveGrant(g); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Tokens("p").Grant("u"); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	g, err := a.Tokens("p").Grant("u")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(g.RefreshToken, ".19") || strings.TrimPrefix(g.AccessToken, "act") != strings.TrimPrefix(g.RefreshToken, "rft") {
		t.Errorf("Grant = %+v", g)
	}
	if ks := accountKeys(kr, "p", "u"); !slices.Equal(ks, []string{"access_token", "refresh_token/40"}) {
		t.Errorf("keys = %q", ks)
	}
}

// TestRenewWithoutAccessToken: a grant whose access token was lost can still
// store the refresh token a renewal returned (the old one is dead by then).
func TestRenewWithoutAccessToken(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	saveProfile(t, s, "p")
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u1", "act.first-access-token", "rft.first-refresh-token", 0)); err != nil {
		t.Fatal(err)
	}
	if err := kr.Delete(accessKey("p", "u1")); err != nil {
		t.Fatal(err)
	}
	g, err := ts.Grant("u1")
	if err != nil || g.AccessToken != "" {
		t.Fatalf("grant without access token: %+v, %v", g, err)
	}
	g.RefreshToken = "rft.renewed-refresh-token"
	g.Renewals++
	if err := ts.SaveGrant(g); err != nil {
		t.Fatalf("the renewed refresh token was refused: %v", err)
	}
	got, err := ts.Grant("u1")
	if err != nil || got.RefreshToken != "rft.renewed-refresh-token" || got.AccessToken != "" || got.Renewals != 1 {
		t.Fatalf("after renewal: %+v, %v", got, err)
	}
	// A refresh then fills the access token in again.
	got.AccessToken = "act.new-access-token"
	if err := ts.SaveGrant(got); err != nil {
		t.Fatal(err)
	}
	if g, _ := ts.Grant("u1"); g.AccessToken != "act.new-access-token" {
		t.Fatalf("access token %q", g.AccessToken)
	}
}

// TestFailureDuringFirstGrant makes each keyring call and each file write of
// an account's first SaveGrant (after a code exchange) fail in turn: the
// grant is stored whole, or kept for the session with an
// *auth.UnsavedError and absent, not half stored, for the next store.
func TestFailureDuringFirstGrant(t *testing.T) {
	first := grant("u", "act.1", "rft.1", 0)
	var faults []func(kr *fakeKeyring)
	for n := 1; n <= 8; n++ {
		faults = append(faults, func(kr *fakeKeyring) {
			i := 0
			kr.setFault(func(op, key string) error {
				if i++; i == n {
					return errInjected
				}
				return nil
			})
		})
	}
	for _, st := range []string{"intent", "refresh", "access", "commit"} {
		faults = append(faults, func(*fakeKeyring) {
			withHook(t, func(step string) error {
				if step == st {
					return errInjected
				}
				return nil
			})
		})
	}
	for i, set := range faults {
		dir, kr := t.TempDir(), newFakeKeyring()
		s := openStore(t, dir, kr)
		saveProfile(t, s, "p")
		set(kr)
		err := s.Tokens("p").SaveGrant(first)
		kr.setFault(nil)
		stepHook = nil
		var ue *auth.UnsavedError
		if err != nil && !errors.As(err, &ue) {
			t.Fatalf("fault %d: SaveGrant error = %v", i, err)
		}
		if g, gerr := s.Tokens("p").Grant("u"); gerr != nil || g.RefreshToken != "rft.1" || g.AccessToken != "act.1" {
			t.Errorf("fault %d (%v): this store's Grant = %+v, %v", i, err, g, gerr)
		}
		g, gerr := openStore(t, dir, kr).Tokens("p").Grant("u")
		switch {
		case err == nil || ue.RefreshStored:
			if gerr != nil || g.RefreshToken != "rft.1" {
				t.Errorf("fault %d (%v): next store's Grant = %+v, %v", i, err, g, gerr)
			}
		case !errors.Is(gerr, auth.ErrNoAccount):
			t.Errorf("fault %d (%v): next store's Grant = %+v, %v; want no account", i, err, g, gerr)
		}
	}
}
