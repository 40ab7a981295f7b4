package cli

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestStableClientToken: client-token --stable fetches the stable token,
// the same within its two hours and stored apart from the rotating one;
// token --client --stable prints it and status shows its expiry.
func TestStableClientToken(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)

	r := cli(t, "", "token", "--profile", "demo", "--client", "--stable")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "no stable client token") || !strings.Contains(r.stderr, "client-token --profile demo --stable") {
		t.Errorf("token --client --stable before a fetch:\n%s", r)
	}
	r = cli(t, "", "client-token", "--profile", "demo", "--stable")
	want(t, r, exitOK)
	if n, _ := strconv.Atoi(field(t, r.stdout, "stable_client_token_seconds_left")); n < 7100 || n > 7200 || strings.Contains(r.stdout+r.stderr, "clt.") {
		t.Errorf("client-token --stable:\n%s", r)
	}
	first := cli(t, "", "token", "--profile", "demo", "--client", "--stable")
	want(t, first, exitOK)
	want(t, cli(t, "", "client-token", "--profile", "demo"), exitOK)
	want(t, cli(t, "", "client-token", "--profile", "demo", "--stable"), exitOK)
	again := cli(t, "", "token", "--profile", "demo", "--client", "--stable")
	rotating := cli(t, "", "token", "--profile", "demo", "--client")
	if !strings.HasPrefix(first.stdout, "clt.") || again.stdout != first.stdout || rotating.stdout == first.stdout {
		t.Errorf("stable %q then %q, rotating %q", first.stdout, again.stdout, rotating.stdout)
	}

	r = cli(t, "", "status", "--profile", "demo")
	if !strings.Contains(r.stdout, "client token:    expires") || !strings.Contains(r.stdout, "stable client token: expires") {
		t.Errorf("status:\n%s", r.stdout)
	}
	r = cli(t, "", "status", "--json")
	var s statusReport
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	if p := s.Profiles[0]; p.StableClientToken == nil || p.StableClientToken.SecondsLeft < 7100 || p.ClientToken == nil {
		t.Errorf("status --json: %s", r.stdout)
	}
	r = cli(t, "", "token", "--profile", "demo", "--stable")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--stable is used with --client only") {
		t.Errorf("token --stable:\n%s", r)
	}
}

// platformRoute sends the requests meant for the real platform to a
// sandbox, recording their paths, and refuses any other host that is not
// a loopback address: no test reaches the internet.
type platformRoute struct {
	to    *url.URL
	mu    sync.Mutex
	paths []string
}

func (p *platformRoute) RoundTrip(req *http.Request) (*http.Response, error) {
	platform, _ := url.Parse(auth.DefaultBaseURL)
	if req.URL.Host != platform.Host {
		if ip := net.ParseIP(req.URL.Hostname()); ip == nil || !ip.IsLoopback() {
			return nil, errors.New("the tests reach no other host: " + req.URL.Host)
		}
		return http.DefaultTransport.RoundTrip(req)
	}
	p.mu.Lock()
	p.paths = append(p.paths, req.URL.Path)
	p.mu.Unlock()
	r := req.Clone(req.Context())
	r.URL.Scheme, r.URL.Host, r.Host = p.to.Scheme, p.to.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

func (p *platformRoute) sent() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.paths...)
}

// routePlatform sends the real platform's requests to the sandbox at base
// for the length of the test.
func routePlatform(t *testing.T, base string) *platformRoute {
	t.Helper()
	to, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	p := &platformRoute{to: to}
	old := http.DefaultClient.Transport
	http.DefaultClient.Transport = p
	t.Cleanup(func() { http.DefaultClient.Transport = old })
	return p
}

// addPlatformProfile adds a profile of the real platform for the test app.
func addPlatformProfile(t *testing.T, name string) {
	t.Helper()
	r := cli(t, testSecret+"\n", "profile", "add", name, "--client-key", testKey,
		"--redirect-uri", "https://app.example.com/douyin/callback")
	want(t, r, exitOK)
	if field(t, r.stdout, "environment") != storage.EnvDouyin {
		t.Fatalf("profile add:\n%s", r)
	}
}

// TestClientTokenConfirmation: on the real platform the first rotating
// client token needs --yes (or a typed yes at a terminal); without it the
// command sends nothing and suggests the stable token, which needs none.
func TestClientTokenConfirmation(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	route := routePlatform(t, base)
	addPlatformProfile(t, "prod")

	for _, stdin := range []string{"", "yes\n"} { // not a terminal: no prompt
		r := cli(t, stdin, "client-token", "--profile", "prod")
		want(t, r, exitUsage)
		for _, s := range []string{"real platform", "5-minute grace", "your own server", "client-token --profile prod --stable", "--yes"} {
			if !strings.Contains(r.stderr, s) {
				t.Errorf("refusal lacks %q:\n%s", s, r)
			}
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if r := cli(t, "", "client-token", "--profile", "prod"); r.code != exitUsage || !strings.Contains(r.stderr, "正式平台") {
		t.Errorf("refusal in Chinese:\n%s", r)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	if got := route.sent(); len(got) != 0 {
		t.Fatalf("a refused fetch sent %v", got)
	}

	r := cli(t, "", "client-token", "--profile", "prod", "--stable")
	want(t, r, exitOK)
	field(t, r.stdout, "stable_client_token_expires_at")
	if got := route.sent(); len(got) != 1 || got[0] != auth.PathStableClientToken {
		t.Fatalf("sent %v", got)
	}
	want(t, cli(t, "", "client-token", "--profile", "prod"), exitUsage) // the stable token consented to nothing

	r = cli(t, "", "client-token", "--profile", "prod", "--yes")
	want(t, r, exitOK)
	field(t, r.stdout, "client_token_expires_at")
	// The profile remembers the consent.
	r = cli(t, "", "client-token", "--profile", "prod")
	want(t, r, exitOK)
	if got := route.sent(); len(got) != 3 || got[1] != auth.PathClientToken || got[2] != auth.PathClientToken {
		t.Fatalf("sent %v", got)
	}
	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := st.Profile("prod")
	if !p.ClientTokenConfirmed || p.ClientToken == nil || p.StableClientToken == nil {
		t.Fatalf("profile %+v", p)
	}
}
