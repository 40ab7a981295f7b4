package storage

import (
	"errors"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

func TestLoginOptions(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	for _, c := range []struct {
		p           Profile
		listen, tls bool
		listenURI   string
	}{
		{Profile{CallbackMode: ModeLoopback, RedirectURI: "http://127.0.0.1:8910/cb"}, true, false, ""},
		{Profile{CallbackMode: ModeLoopback, RedirectURI: "https://localhost:8910/cb"}, true, true, ""},
		{Profile{CallbackMode: ModePaste, RedirectURI: "https://app.example.com/cb"}, false, false, ""},
		{Profile{CallbackMode: ModePaste, RedirectURI: "http://127.0.0.1:8910/cb"}, false, false, ""},
		{Profile{CallbackMode: ModeRelay, RedirectURI: "https://app.example.com/cb", RelayTarget: "http://127.0.0.1:8911/relay"}, true, false, "http://127.0.0.1:8911/relay"},
		{Profile{CallbackMode: ModeRelay, RedirectURI: "https://app.example.com/cb", RelayTarget: "https://127.0.0.1:8911/relay"}, true, true, "https://127.0.0.1:8911/relay"},
	} {
		o, err := s.LoginOptions(c.p)
		if err != nil || o.Listen != c.listen || (o.TLS != nil) != c.tls || o.ListenURI != c.listenURI {
			t.Errorf("%s %s: %+v, %v", c.p.CallbackMode, c.p.RedirectURI, o, err)
		}
	}
}

// TestLoginOptionsRefuseLoopbackOffThisMachine: a profile stored before
// loopback mode needed a loopback redirect URI is refused, not left waiting.
func TestLoginOptionsRefuseLoopbackOffThisMachine(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	_, err := s.LoginOptions(Profile{CallbackMode: ModeLoopback, RedirectURI: "https://app.example.com/cb"})
	var fe *auth.FieldError
	if !errors.As(err, &fe) || fe.Field != auth.FieldRedirectURI {
		t.Fatalf("LoginOptions = %v", err)
	}
}

func TestFlowOfAProfile(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	p := Profile{Name: "p", ClientKey: "awkey", Environment: EnvSandbox, BaseURL: "http://127.0.0.1:8790/", Scopes: []string{"user_info"}}
	f := s.Flow(p, "cs")
	if f.Client.BaseURL != "http://127.0.0.1:8790" || f.Credentials.ClientSecret != "cs" || f.Credentials.ClientKey != "awkey" || f.Store == nil {
		t.Fatalf("flow %+v", f)
	}
}

// TestPlatformSandboxEnvironment: the platform's sandbox host is a fixed
// address, like the platform itself; its base URL field is not used.
func TestPlatformSandboxEnvironment(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	p := Profile{Name: "ps", ClientKey: "awkey", Environment: EnvDouyinSandbox, BaseURL: "https://ignored.example", RedirectURI: "https://app.example.com/cb"}
	if err := s.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Profile("ps")
	if got.Endpoint() != "https://open-sandbox.douyin.com" || UsesBaseURL(got.Environment) || got.InsecureRedirect() {
		t.Fatalf("profile %+v endpoint %s", got, got.Endpoint())
	}
	if f := s.Flow(got, "cs"); f.Client.BaseURL != "https://open-sandbox.douyin.com" {
		t.Fatalf("flow talks to %s", f.Client.BaseURL)
	}
}
