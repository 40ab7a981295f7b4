package storage

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// plantProfile writes a profiles.json into a new directory holding profile
// p, as another process or user could, and opens a store on it that shares
// the keyring kr.
func plantProfile(t *testing.T, kr *fakeKeyring, p Profile, accounts []fileAccount) *Store {
	t.Helper()
	dir := t.TempDir()
	d := emptyData()
	d.Profiles = []fileProfile{{Profile: p, Accounts: accounts}}
	meta := auth.ClientToken{Obtained: time.Now(), Expiry: time.Now().Add(time.Hour)}
	d.Profiles[0].ClientToken = &meta
	stable := meta
	stable.Stable = true
	d.Profiles[0].StableClientToken = &stable
	if err := (&Store{dir: dir}).writeFile(d); err != nil {
		t.Fatal(err)
	}
	return openStore(t, dir, kr)
}

// TestSecretsStayWithTheirServer stores a profile's secrets, then opens
// profiles of the same name that point elsewhere, as a profiles.json
// planted in another configuration directory would: none of them may get
// a secret to send.
func TestSecretsStayWithTheirServer(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	real := Profile{Name: "p", ClientKey: "awreal", Environment: EnvDouyin, RedirectURI: "http://127.0.0.1:8910/cb"}
	if err := s.SaveProfile(real); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSecret("p", "cs-real-secret"); err != nil {
		t.Fatal(err)
	}
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u", "act.real", "rft.real", 0)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.real", Obtained: time.Now(), Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.stable", Expiry: time.Now().Add(time.Hour), Stable: true}); err != nil {
		t.Fatal(err)
	}
	accounts := []fileAccount{{Account: auth.Account{OpenID: "u"}, Generation: 1}}

	hostile := []Profile{
		{Name: "p", ClientKey: "awreal", Environment: EnvCustom, BaseURL: "https://evil.example"},
		{Name: "p", ClientKey: "awreal", Environment: EnvCustom, BaseURL: "https://open.douyin.com.evil.example"},
		{Name: "p", ClientKey: "awreal", Environment: EnvCustom, BaseURL: "http://open.douyin.com"},
		{Name: "p", ClientKey: "awreal", Environment: EnvSandbox, BaseURL: "http://127.0.0.1:8790"},
		{Name: "p", ClientKey: "awother", Environment: EnvDouyin},
	}
	for _, h := range hostile {
		planted := plantProfile(t, kr, h, accounts)
		what := fmt.Sprintf("%s at %s", h.ClientKey, h.Endpoint())
		if v, err := planted.Secret("p"); !errors.Is(err, ErrSecretBinding) || v != "" {
			t.Errorf("%s: Secret = %q, %v", what, v, err)
		} else if msg := err.(*BindingError).Message("en"); !strings.Contains(msg, h.Endpoint()) || !strings.Contains(msg, auth.DefaultBaseURL) {
			t.Errorf("%s: the refusal does not say why: %s", what, msg)
		}
		if g, err := planted.Tokens("p").Grant("u"); !errors.Is(err, ErrSecretBinding) || g.RefreshToken != "" || g.AccessToken != "" {
			t.Errorf("%s: Grant = %+v, %v", what, g, err)
		}
		if ct, err := planted.Tokens("p").ClientToken(false); !errors.Is(err, ErrSecretBinding) || ct.Token != "" {
			t.Errorf("%s: ClientToken = %+v, %v", what, ct, err)
		}
		var be *BindingError
		if ct, err := planted.Tokens("p").ClientToken(true); !errors.As(err, &be) || be.Secret != "client_token_stable" || ct.Token != "" {
			t.Errorf("%s: stable ClientToken = %+v, %v", what, ct, err)
		}
	}

	// The same server, written differently, is the same server.
	same := plantProfile(t, kr, Profile{Name: "p", ClientKey: "awreal", Environment: EnvCustom, BaseURL: "HTTPS://Open.Douyin.com/"}, accounts)
	if v, err := same.Secret("p"); v != "cs-real-secret" || err != nil {
		t.Errorf("same server: Secret = %q, %v", v, err)
	}
	// The store that saved them still reads them.
	if g, err := ts.Grant("u"); err != nil || g.RefreshToken != "rft.real" || g.AccessToken != "act.real" {
		t.Errorf("own Grant = %+v, %v", g, err)
	}
}

// TestEditedProfileAsksForItsSecretAgain changes a profile's base URL: its
// secret is refused until it is entered again, which binds it anew.
func TestEditedProfileAsksForItsSecretAgain(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	p := Profile{Name: "p", ClientKey: "awkey", Environment: EnvSandbox, BaseURL: "http://127.0.0.1:8790", RedirectURI: "http://127.0.0.1:0/cb"}
	s.SaveProfile(p)
	s.SetSecret("p", "cs-1")
	p.Environment, p.BaseURL = EnvCustom, "https://staging.example"
	if err := s.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret("p"); !errors.Is(err, ErrSecretBinding) {
		t.Fatalf("Secret after the base URL changed = %v", err)
	}
	if err := s.SetSecret("p", "cs-2"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("p"); v != "cs-2" || err != nil {
		t.Fatalf("Secret entered again = %q, %v", v, err)
	}
}

// TestSecretsStoredBeforeBinding reads keyring values written before
// secrets were bound: only a profile that talks to the platform itself or
// to this machine gets them.
func TestSecretsStoredBeforeBinding(t *testing.T) {
	for _, c := range []struct {
		p    Profile
		want bool
	}{
		{Profile{Environment: EnvDouyin}, true},
		{Profile{Environment: EnvSandbox, BaseURL: "http://127.0.0.1:8790"}, true},
		{Profile{Environment: EnvCustom, BaseURL: "http://localhost:9000"}, true},
		{Profile{Environment: EnvCustom, BaseURL: "http://[::1]:9000"}, true},
		{Profile{Environment: EnvCustom, BaseURL: "https://evil.example"}, false},
		{Profile{Environment: EnvCustom, BaseURL: "http://127.0.0.1.evil.example"}, false},
	} {
		kr := newFakeKeyring()
		c.p.Name, c.p.ClientKey, c.p.RedirectURI = "p", "awkey", "http://127.0.0.1:0/cb"
		s := openStore(t, t.TempDir(), kr)
		if err := s.SaveProfile(c.p); err != nil {
			t.Fatal(err)
		}
		kr.Set(secretKey("p"), "cs-legacy")
		v, err := s.Secret("p")
		if got := err == nil && v == "cs-legacy"; got != c.want {
			t.Errorf("%s: Secret = %q, %v", c.p.Endpoint(), v, err)
		}
		if !c.want && (!errors.Is(err, ErrSecretBinding) || err.(*BindingError).Was != nil) {
			t.Errorf("%s: err = %v", c.p.Endpoint(), err)
		}
	}
}

func TestBoundSecretTooLarge(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	long := "https://example.com/" + strings.Repeat("a", 600)
	if err := s.SaveProfile(Profile{Name: "p", ClientKey: "awkey", Environment: EnvCustom, BaseURL: long, RedirectURI: "http://127.0.0.1:0/cb"}); err != nil {
		t.Skipf("the base URL is refused already: %v", err)
	}
	if err := s.SetSecret("p", strings.Repeat("s", MaxSecretSize)); !errors.Is(err, ErrSecretTooLarge) {
		t.Fatalf("SetSecret = %v", err)
	}
}
