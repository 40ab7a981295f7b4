package storage

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/zalando/go-keyring"
)

const (
	realKeyringEnv   = "DOUYIN_AUTH_DESK_REAL_KEYRING"
	realKeyringChild = "DOUYIN_AUTH_DESK_TEST_REAL_KEYRING_CHILD"
)

// TestRealKeyring runs TestRealKeyringChild in a fresh process, where
// go-keyring talks to the system keyring: other tests in this process
// replace it with go-keyring's mock.
func TestRealKeyring(t *testing.T) {
	if os.Getenv(realKeyringEnv) != "1" {
		t.Skip("set " + realKeyringEnv + "=1 to test against the system keyring")
	}
	if os.Getenv(realKeyringChild) != "" {
		t.Skip("in a child")
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRealKeyringChild$", "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), realKeyringChild+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("child output:\n%s", out)
	if err != nil {
		t.Fatal(err)
	}
}

// TestRealKeyringChild saves, loads, rotates and deletes secrets in the
// system keyring.
func TestRealKeyringChild(t *testing.T) {
	if os.Getenv(realKeyringChild) == "" {
		t.Skip("runs only as a child of TestRealKeyring")
	}
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionOnly() {
		t.Fatalf("the system keyring is not usable: %q", s.Notices())
	}
	// A name no real profile has, since keyring entries are shared.
	name := fmt.Sprintf("keyring-test-%d-%d", os.Getpid(), time.Now().UnixNano())
	saveProfile(t, s, name)
	if err := s.SetSecret(name, "cs-real"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret(name); v != "cs-real" || err != nil {
		t.Fatalf("Secret = %q, %v", v, err)
	}
	ts := s.Tokens(name)
	if err := ts.SaveGrant(grant("u1", "act.real1", "rft.real1", 0)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveGrant(grant("u1", "act.real2", "rft.real2", 1)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.real", Expiry: t0}); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.stable", Expiry: t0, Stable: true}); err != nil {
		t.Fatal(err)
	}

	s2, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	g, err := s2.Tokens(name).Grant("u1")
	if err != nil || g.AccessToken != "act.real2" || g.RefreshToken != "rft.real2" || g.Renewals != 1 {
		t.Fatalf("Grant = %+v, %v", g, err)
	}
	if ct, err := s2.Tokens(name).ClientToken(false); err != nil || ct.Token != "clt.real" {
		t.Fatalf("ClientToken = %+v, %v", ct, err)
	}
	if ct, err := s2.Tokens(name).ClientToken(true); err != nil || ct.Token != "clt.stable" {
		t.Fatalf("stable ClientToken = %+v, %v", ct, err)
	}
	get := func(key string) (string, error) { return keyring.Get(ServiceName, key) }
	if v, err := get(refreshKey(name, "u1", 2)); sealed(v) != "rft.real2" || err != nil {
		t.Errorf("generation 2 = %q, %v", v, err)
	}
	if _, err := get(refreshKey(name, "u1", 1)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("generation 1 still stored: %v", err)
	}

	// A crash after the new refresh token was stored.
	withHook(t, func(step string) error {
		if step == "access" {
			panic(crash)
		}
		return nil
	})
	if crashed, _ := crashes(func() error { return ts.SaveGrant(grant("u1", "act.real3", "rft.real3", 2)) }); !crashed {
		t.Fatal("no crash")
	}
	stepHook = nil
	s3, err := Open(s.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if g, err := s3.Tokens(name).Grant("u1"); err != nil || g.RefreshToken != "rft.real3" {
		t.Fatalf("Grant after a crash = %+v, %v", g, err)
	}
	if _, err := get(refreshKey(name, "u1", 2)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("generation 2 still stored after rolling forward: %v", err)
	}

	if err := s3.DeleteAccount(name, "u1"); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{accessKey(name, "u1"), refreshKey(name, "u1", 3)} {
		if _, err := get(key); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("%s left after DeleteAccount: %v", key, err)
		}
	}
	if err := s3.Tokens(name).SaveGrant(grant("u2", "act.u2", "rft.u2", 0)); err != nil {
		t.Fatal(err)
	}
	if err := s3.DeleteProfile(name); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{secretKey(name), clientTokenKey(name, false), clientTokenKey(name, true), accessKey(name, "u2"), refreshKey(name, "u2", 1)} {
		if _, err := get(key); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("%s left after DeleteProfile: %v", key, err)
		}
	}

	saveProfile(t, s3, name)
	if err := s3.SetSecret(name, "cs-again"); err != nil {
		t.Fatal(err)
	}
	if err := s3.ForgetEverything(); err != nil {
		t.Fatal(err)
	}
	if _, err := get(secretKey(name)); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("secret left after ForgetEverything: %v", err)
	}
}
