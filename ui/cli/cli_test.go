package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func TestHelp(t *testing.T) {
	setup(t)
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		r := cli(t, "", args...)
		want(t, r, exitOK)
		for _, s := range []string{"Usage:", "sandbox", "profile add", "client-token", "Exit status:", "3  authorization needed", "Example:"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%v: help lacks %q:\n%s", args, s, r.stdout)
			}
		}
	}
	cmds := [][]string{{"sandbox"}, {"profile", "add"}, {"profile", "list"}, {"profile", "remove"}, {"login"},
		{"status"}, {"refresh"}, {"renew"}, {"verify"}, {"client-token"}, {"token"}}
	for _, c := range cmds {
		name := strings.Join(c, " ")
		for _, h := range []string{"--help", "-h"} {
			r := cli(t, "", append(c, h)...)
			want(t, r, exitOK)
			for _, s := range []string{"Usage: douyin-auth-desk " + name, "Flags:", "--help", "Example:", "Exit status:", "2  usage error"} {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("%s %s lacks %q:\n%s", name, h, s, r.stdout)
				}
			}
			if regexp.MustCompile(`(?m)(^|\s)-[a-z][a-z-]+`).MatchString(r.stdout) {
				t.Errorf("%s help shows single-dash flags:\n%s", name, r.stdout)
			}
		}
		r := cli(t, "", append([]string{"help"}, c...)...)
		want(t, r, exitOK)
		if !strings.Contains(r.stdout, "Usage: douyin-auth-desk "+name) {
			t.Errorf("help %s:\n%s", name, r)
		}
	}
	r := cli(t, "", "profile", "--help")
	want(t, r, exitOK)
	if !strings.Contains(r.stdout, "profile add NAME --client-key K") {
		t.Errorf("profile --help:\n%s", r)
	}
	r = cli(t, "", "login", "--help")
	for _, s := range []string{"--profile NAME", "--no-browser", "--timeout DURATION", "(default 10m0s)", "--relay-page FILE", "--relay-page index.html"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("login help lacks %q:\n%s", s, r.stdout)
		}
	}
	r = cli(t, "", "profile", "add", "--help")
	for _, s := range []string{"--callback MODE", "loopback, paste or relay", "--relay-target URL", "--callback relay --relay-target http://127.0.0.1:8792/relay"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("profile add help lacks %q:\n%s", s, r.stdout)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "p", base)
	cases := []struct {
		args  []string
		stdin string
		msg   string
	}{
		{nil, "", "no command"},
		{[]string{"frobnicate"}, "", `unknown command "frobnicate"`},
		{[]string{"help", "frobnicate"}, "", `unknown command "frobnicate"`},
		{[]string{"profile"}, "", "subcommand"},
		{[]string{"profile", "rename"}, "", `unknown profile subcommand "rename"`},
		{[]string{"login"}, "", "--profile is required"},
		{[]string{"login", "--profile", "p", "--timeout", "soon"}, "", "invalid value"},
		{[]string{"login", "--profile", "p", "--timeout", "-1s"}, "", "--timeout must be positive"},
		{[]string{"login", "--profile", "p", "extra"}, "", `unexpected argument "extra"`},
		{[]string{"login", "--profile", "nope"}, "", `no profile named "nope"`},
		{[]string{"status", "--bogus"}, "", "flag provided but not defined: --bogus"},
		{[]string{"status", "--profile", "nope"}, "", `no profile named "nope"`},
		{[]string{"refresh"}, "", "--profile is required"},
		{[]string{"renew", "--profile", "nope"}, "", `no profile named "nope"`},
		{[]string{"verify", "--profile"}, "", "flag needs an argument"},
		{[]string{"client-token"}, "", "--profile is required"},
		{[]string{"token", "--profile", "p", "--client", "--account", "x"}, "", "cannot be used together"},
		{[]string{"profile", "add"}, "", "missing NAME"},
		{[]string{"profile", "add", "q"}, testSecret + "\n", "--client-key is required"},
		{[]string{"profile", "add", "q", "--client-key", "   "}, testSecret + "\n", "client_key must not be empty"},
		{[]string{"profile", "add", "q", "--client-key", "a b"}, testSecret + "\n", "client_key is malformed"},
		{[]string{"profile", "add", "q", "--client-key", testKey}, "", "client_secret must not be empty"},
		{[]string{"profile", "add", "q", "--client-key", testKey}, "   \n", "client_secret must not be empty"},
		{[]string{"profile", "add", "q", "--client-key", testKey}, " sec ret\n", "client_secret is malformed"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--scopes", ""}, testSecret + "\n", "scope must not be empty"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--redirect-uri", "ftp://x/cb"}, testSecret + "\n", "redirect_uri is malformed"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--base-url", "not a url"}, testSecret + "\n", "--base-url"},
		{[]string{"profile", "add", "a/b", "--client-key", testKey}, testSecret + "\n", `must not contain "/"`},
		{[]string{"profile", "add", "p", "--client-key", testKey}, testSecret + "\n", `profile "p" already exists`},
		{[]string{"profile", "add", "q", "r", "--client-key", testKey}, testSecret + "\n", `unexpected argument "r"`},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "bogus"}, testSecret + "\n", `--callback "bogus" is not loopback, paste or relay`},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "relay"}, testSecret + "\n", "--callback relay needs --relay-target"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--relay-target", auth.DefaultRelayTarget}, testSecret + "\n", "--relay-target is used with --callback relay only"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "paste", "--relay-target", auth.DefaultRelayTarget}, testSecret + "\n", "--relay-target is used with --callback relay only"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "relay", "--relay-target", "http://127.0.0.1:0/relay"}, testSecret + "\n", "relay_target is malformed"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "relay", "--relay-target", "http://127.0.0.1/relay"}, testSecret + "\n", "loopback URL with a fixed port, such as http://127.0.0.1:8792/relay"},
		{[]string{"profile", "add", "q", "--client-key", testKey, "--callback", "relay", "--relay-target", "https://example.com:8443/relay"}, testSecret + "\n", "relay_target is malformed"},
		{[]string{"login", "--profile", "p", "--relay-page", filepath.Join(t.TempDir(), "p.html")}, "", "--relay-page needs a profile in relay mode"},
		{[]string{"profile", "remove"}, "", "missing NAME"},
		{[]string{"profile", "remove", "nope"}, "", `no profile named "nope"`},
		{[]string{"profile", "list", "extra"}, "", `unexpected argument "extra"`},
		{[]string{"sandbox", "--addr", "0.0.0.0:8790"}, "", "not a loopback address"},
		{[]string{"sandbox", "--addr", "8790"}, "", "not host:port"},
		{[]string{"sandbox", "--addr", "127.0.0.1:0", "--access-ttl", "-5m"}, "", "must not be negative"},
		{[]string{"sandbox", "--addr", "127.0.0.1:0", "--apps", filepath.Join(t.TempDir(), "none.json")}, "", "--apps"},
	}
	for _, c := range cases {
		r := cli(t, c.stdin, c.args...)
		if r.code != exitUsage {
			t.Errorf("%q: want exit 2, got %s", c.args, r)
			continue
		}
		if !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%q: stderr lacks %q:\n%s", c.args, c.msg, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("%q: usage error wrote to stdout: %q", c.args, r.stdout)
		}
		if strings.Contains(r.stderr, testSecret) {
			t.Errorf("%q: the secret was echoed:\n%s", c.args, r.stderr)
		}
	}
	// The failed adds stored nothing.
	r := cli(t, "", "profile", "list", "--json")
	want(t, r, exitOK)
	var l profileList
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || len(l.Profiles) != 1 {
		t.Fatalf("profiles after failed adds: %v %s", err, r)
	}
}

func TestProfileAddListRemove(t *testing.T) {
	setup(t)
	// Flags after the name, secret on stdin, sandbox environment.
	r := cli(t, testSecret+"\r\n", "profile", "add", "local", "--client-key", testKey, "--base-url", "http://127.0.0.1:8790/")
	want(t, r, exitOK)
	if field(t, r.stdout, "environment") != storage.EnvSandbox || field(t, r.stdout, "callback_mode") != storage.ModeLoopback ||
		field(t, r.stdout, "redirect_uri") != sandbox.DemoRedirectURI || field(t, r.stdout, "scopes") != auth.DefaultScopes ||
		field(t, r.stdout, "base_url") != "http://127.0.0.1:8790" {
		t.Errorf("profile add local:\n%s", r)
	}
	// Flags before the name, secret from the environment, real platform.
	t.Setenv(secretEnv, "env-secret-value")
	r = cli(t, "", "profile", "add", "--client-key", "awprod", "--redirect-uri", "https://example.com/cb",
		"--scopes", "user_info, trial.whitelist", "prod")
	want(t, r, exitOK)
	if field(t, r.stdout, "environment") != storage.EnvDouyin || field(t, r.stdout, "callback_mode") != storage.ModePaste ||
		field(t, r.stdout, "base_url") != auth.DefaultBaseURL || field(t, r.stdout, "scopes") != "user_info,trial.whitelist" {
		t.Errorf("profile add prod:\n%s", r)
	}
	// A custom server; the name after "--".
	r = cli(t, "", "profile", "add", "--client-key", "awcustom", "--base-url", "https://douyin-proxy.example.com", "--", "custom")
	want(t, r, exitOK)
	if field(t, r.stdout, "environment") != storage.EnvCustom {
		t.Errorf("profile add custom:\n%s", r)
	}
	t.Setenv(secretEnv, "")

	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string]string{"local": testSecret, "prod": "env-secret-value", "custom": "env-secret-value"} {
		got, err := st.Secret(name)
		if err != nil || got != secret {
			t.Errorf("secret of %s = %q, %v", name, got, err)
		}
	}

	r = cli(t, "", "profile", "list")
	want(t, r, exitOK)
	for _, s := range []string{"NAME", "local", "prod", "custom", "https://open.douyin.com", "awprod", "paste"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("profile list lacks %q:\n%s", s, r.stdout)
		}
	}
	r = cli(t, "", "profile", "list", "--json")
	want(t, r, exitOK)
	var l profileList
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil {
		t.Fatal(err)
	}
	if len(l.Profiles) != 3 || l.Profiles[0].Name != "custom" || l.Profiles[1].Name != "local" ||
		l.Profiles[1].BaseURL != "http://127.0.0.1:8790" || len(l.Profiles[1].Accounts) != 0 || l.Profiles[1].Accounts == nil {
		t.Errorf("profile list --json: %+v", l)
	}
	for _, s := range []string{testSecret, "env-secret-value"} {
		if strings.Contains(r.stdout, s) {
			t.Errorf("profile list shows a secret")
		}
	}

	r = cli(t, "", "profile", "remove", "prod")
	want(t, r, exitOK)
	r = cli(t, "", "profile", "remove", "prod")
	want(t, r, exitUsage)
	if _, err := st.Secret("prod"); !errors.Is(err, storage.ErrNoProfile) {
		t.Errorf("secret of a removed profile: %v", err)
	}
	r = cli(t, "", "profile", "list", "--json")
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || len(l.Profiles) != 2 {
		t.Errorf("after remove: %v %s", err, r)
	}
}

func TestEmptyStore(t *testing.T) {
	setup(t)
	r := cli(t, "", "status")
	want(t, r, exitOK)
	if !strings.Contains(r.stderr, "No profiles") {
		t.Errorf("status without profiles:\n%s", r)
	}
	r = cli(t, "", "status", "--json")
	want(t, r, exitOK)
	var s statusReport
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || s.Profiles == nil || len(s.Profiles) != 0 {
		t.Errorf("status --json without profiles: %v %s", err, r)
	}
	r = cli(t, "", "profile", "list", "--json")
	want(t, r, exitOK)
	if !strings.Contains(r.stdout, `"profiles": []`) {
		t.Errorf("profile list --json without profiles:\n%s", r)
	}
}

func TestSessionOnlyWarning(t *testing.T) {
	setup(t)
	keyring.MockInitWithError(errors.New("no secret service"))
	defer keyring.MockInit()
	r := cli(t, "", "profile", "list")
	want(t, r, exitOK)
	if !strings.Contains(r.stderr, "warning:") || !strings.Contains(r.stderr, "memory") {
		t.Errorf("no session-only warning:\n%s", r)
	}
	keyring.MockInit()
	r = cli(t, "", "profile", "list")
	if strings.Contains(r.stderr, "warning:") {
		t.Errorf("warning with a working keyring:\n%s", r)
	}
}

// TestFlow drives every account command against the sandbox: login through
// the loopback callback, status, refresh, renew, verify, client-token and
// token, checking that no output but token's holds a secret.
func TestFlow(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)

	var outputs []result
	check := func(r result, code int) result {
		t.Helper()
		want(t, r, code)
		outputs = append(outputs, r)
		return r
	}

	// No account yet: authorization needed.
	for _, cmd := range []string{"refresh", "renew", "verify", "token"} {
		r := check(cli(t, "", cmd, "--profile", "demo"), exitReauth)
		if !strings.Contains(r.stderr, "no authorized account") || !strings.Contains(r.stderr, "login --profile demo") {
			t.Errorf("%s without account:\n%s", cmd, r)
		}
	}

	before := time.Now()
	r := login(t, "demo", "")
	outputs = append(outputs, r)
	if field(t, r.stdout, "open_id") != aliceOpenID || field(t, r.stdout, "nickname") != "Sandbox Alice" {
		t.Errorf("login:\n%s", r)
	}
	access, err := time.Parse(time.RFC3339, field(t, r.stdout, "access_expires_at"))
	if err != nil || access.Before(before.Add(sandbox.DefaultAccessTTL-time.Minute)) || access.After(time.Now().Add(sandbox.DefaultAccessTTL+time.Second)) {
		t.Errorf("access expiry %v (%v)", access, err)
	}
	if n, _ := strconv.Atoi(field(t, r.stdout, "refresh_seconds_left")); n < int(sandbox.DefaultRefreshTTL/time.Second)-60 {
		t.Errorf("refresh_seconds_left %d", n)
	}
	if !strings.Contains(r.stderr, "Waiting for the callback on http://127.0.0.1:") {
		t.Errorf("login instructions:\n%s", r.stderr)
	}

	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.Tokens("demo").Grant(aliceOpenID)
	if err != nil || !sb.TokenValid(g.AccessToken) {
		t.Fatalf("stored grant: %v", err)
	}

	// token prints exactly the access token.
	r = cli(t, "", "token", "--profile", "demo")
	want(t, r, exitOK)
	if r.stdout != g.AccessToken+"\n" || r.stderr != "" {
		t.Errorf("token: %q %q", r.stdout, r.stderr)
	}

	r = check(cli(t, "", "verify", "--profile", "demo"), exitOK)
	if field(t, r.stdout, "open_id") != aliceOpenID || field(t, r.stdout, "verified") != "yes" {
		t.Errorf("verify:\n%s", r)
	}

	r = check(cli(t, "", "refresh", "--profile", "demo", "--account", aliceOpenID), exitOK)
	g2, _ := st.Tokens("demo").Grant(aliceOpenID)
	// A still valid access token comes back with a new expiry.
	if g2.AccessToken != g.AccessToken || !g2.AccessExpiry.After(g.AccessExpiry) || g2.RefreshToken != g.RefreshToken {
		t.Errorf("refresh did not extend only the access token's life")
	}
	r = cli(t, "", "token", "--profile", "demo", "--account", aliceOpenID)
	if r.stdout != g2.AccessToken+"\n" {
		t.Errorf("token after refresh: %q", r.stdout)
	}

	r = check(cli(t, "", "renew", "--profile", "demo"), exitOK)
	if field(t, r.stdout, "renewals_used") != "1" || field(t, r.stdout, "renewals_left") != "4" {
		t.Errorf("renew:\n%s", r)
	}
	g3, _ := st.Tokens("demo").Grant(aliceOpenID)
	if g3.RefreshToken == g2.RefreshToken || sb.TokenValid(g2.RefreshToken) || !sb.TokenValid(g3.RefreshToken) {
		t.Errorf("renew did not replace the refresh token")
	}

	r = check(cli(t, "", "client-token", "--profile", "demo"), exitOK)
	if n, _ := strconv.Atoi(field(t, r.stdout, "client_token_seconds_left")); n < 7100 || n > 7200 {
		t.Errorf("client-token:\n%s", r)
	}
	r = cli(t, "", "token", "--profile", "demo", "--client")
	want(t, r, exitOK)
	ct, _ := st.Tokens("demo").ClientToken(false)
	if !strings.HasPrefix(r.stdout, "clt.") || r.stdout != ct.Token+"\n" || !sb.TokenValid(ct.Token) {
		t.Errorf("token --client: %q", r.stdout)
	}

	// status, as text and JSON.
	r = check(cli(t, "", "status"), exitOK)
	for _, s := range []string{"profile: demo (sandbox, " + base, "account: " + aliceOpenID + " (Sandbox Alice)",
		"access token:  expires", "refresh token: expires", "renewals:      1 of 5 used", "client token:    expires"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("status lacks %q:\n%s", s, r.stdout)
		}
	}
	r = check(cli(t, "", "status", "--json"), exitOK)
	var s statusReport
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil {
		t.Fatal(err)
	}
	if len(s.Profiles) != 1 || len(s.Profiles[0].Accounts) != 1 {
		t.Fatalf("status --json: %s", r.stdout)
	}
	p := s.Profiles[0]
	a := p.Accounts[0]
	if p.Name != "demo" || p.Environment != storage.EnvSandbox || p.BaseURL != base || p.ClientKey != testKey ||
		a.OpenID != aliceOpenID || a.Nickname != "Sandbox Alice" || a.RenewalsUsed != 1 || a.RenewalsLeft != 4 ||
		a.AccessSecondsLeft == nil || *a.AccessSecondsLeft < 1295000 || a.RefreshSecondsLeft == nil || *a.RefreshSecondsLeft < 2591000 ||
		p.ClientToken == nil || p.ClientToken.SecondsLeft < 7100 || !strings.Contains(a.Scope, "user_info") {
		t.Errorf("status --json: %s", r.stdout)
	}
	if at, err := time.Parse(time.RFC3339, *a.AccessExpiresAt); err != nil || at.Sub(g3.AccessExpiry).Abs() > time.Second {
		t.Errorf("access_expires_at %s vs %v", *a.AccessExpiresAt, g3.AccessExpiry)
	}
	// The documented keys, exactly.
	var raw map[string]any
	json.Unmarshal([]byte(r.stdout), &raw)
	rp := raw["profiles"].([]any)[0].(map[string]any)
	keys := func(m map[string]any) string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		return strings.Join(sortStrings(k), ",")
	}
	if got := keys(rp); got != "accounts,base_url,client_key,client_token,environment,name,stable_client_token" {
		t.Errorf("profile keys %s", got)
	}
	if got := keys(rp["accounts"].([]any)[0].(map[string]any)); got != "access_expires_at,access_only,access_seconds_left,imported,nickname,open_id,refresh_expires_at,refresh_seconds_left,renewals_left,renewals_used,scope" {
		t.Errorf("account keys %s", got)
	}
	if got := keys(rp["client_token"].(map[string]any)); got != "expires_at,seconds_left" {
		t.Errorf("client_token keys %s", got)
	}
	if rp["stable_client_token"] != nil {
		t.Errorf("stable_client_token before one was fetched: %v", rp["stable_client_token"])
	}

	// Nothing but token printed a secret.
	ct, _ = st.Tokens("demo").ClientToken(false)
	g4, _ := st.Tokens("demo").Grant(aliceOpenID)
	secrets := []string{testSecret, g.AccessToken, g.RefreshToken, g2.AccessToken, g3.RefreshToken, g4.AccessToken, ct.Token}
	tokenLike := regexp.MustCompile(`\b(act|rft|clt)\.`)
	for _, o := range outputs {
		all := o.stdout + o.stderr
		for _, sec := range secrets {
			if sec != "" && strings.Contains(all, sec) {
				t.Errorf("output holds a secret:\n%s", o)
			}
		}
		if tokenLike.MatchString(all) {
			t.Errorf("output holds something token-like:\n%s", o)
		}
	}
}

func sortStrings(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}

func TestPlatformAndReauthErrors(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	login(t, "demo", "")

	// A gateway error is a platform/network failure; the tokens stay.
	st, _ := storage.Open("")
	before, _ := st.Tokens("demo").Grant(aliceOpenID)
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, Status: 502, Once: true})
	r := cli(t, "", "refresh", "--profile", "demo")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "502") {
		t.Errorf("502:\n%s", r)
	}
	after, _ := st.Tokens("demo").Grant(aliceOpenID)
	if after.AccessToken != before.AccessToken || after.RefreshToken != before.RefreshToken {
		t.Errorf("a failed refresh changed the tokens")
	}

	// A platform error code that needs no new authorization.
	sb.Inject(sandbox.Fault{Endpoint: auth.PathUserInfo, ErrorCode: 28001008})
	r = cli(t, "", "verify", "--profile", "demo")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "platform error 28001008") || !strings.Contains(r.stderr, "refresh the access token") {
		t.Errorf("28001008:\n%s", r)
	}

	// An expired refresh token: authorize again.
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 10010})
	r = cli(t, "", "refresh", "--profile", "demo")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "platform error 10010") || !strings.Contains(r.stderr, "login --profile demo") {
		t.Errorf("10010:\n%s", r)
	}

	// In Chinese.
	t.Setenv("LC_ALL", "zh_CN.UTF-8")
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 10010})
	r = cli(t, "", "refresh", "--profile", "demo")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "平台错误 10010") {
		t.Errorf("zh 10010:\n%s", r)
	}
	t.Setenv("LC_ALL", "")

	// The renewal limit: five renewals, then 10020.
	for i := 1; i <= auth.MaxRenewals; i++ {
		r = cli(t, "", "renew", "--profile", "demo")
		want(t, r, exitOK)
		if field(t, r.stdout, "renewals_used") != strconv.Itoa(i) {
			t.Fatalf("renewal %d:\n%s", i, r)
		}
	}
	r = cli(t, "", "renew", "--profile", "demo")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "10020") {
		t.Errorf("10020:\n%s", r)
	}

	// An unknown account.
	r = cli(t, "", "verify", "--profile", "demo", "--account", "_000Nobody")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, `has no account "_000Nobody"`) {
		t.Errorf("unknown account:\n%s", r)
	}

	// A wrong client_secret: the platform says 10013.
	r = cli(t, "not-the-secret\n", "profile", "add", "wrong", "--client-key", testKey, "--base-url", base, "--redirect-uri", testRedirect)
	want(t, r, exitOK)
	r = cli(t, "", "client-token", "--profile", "wrong")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "platform error 10013") || strings.Contains(r.stderr, "not-the-secret") {
		t.Errorf("10013:\n%s", r)
	}
	lr := start(t, "login", "--profile", "wrong", "--no-browser")
	follow(t, consent(t, lr.authorizeURL(t), "agree", ""))
	r = lr.wait(t)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "platform error 10013") {
		t.Errorf("login with a wrong secret:\n%s", r)
	}

	// No client token stored yet.
	r = cli(t, "", "token", "--profile", "wrong", "--client")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "client-token --profile wrong") || r.stdout != "" {
		t.Errorf("token --client without one:\n%s", r)
	}

	// A platform that cannot be reached.
	sb.Close()
	r = cli(t, "", "verify", "--profile", "demo")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "cannot reach") {
		t.Errorf("unreachable:\n%s", r)
	}
}

func TestSeveralAccounts(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	login(t, "demo", aliceOpenID)
	r := login(t, "demo", bobOpenID)
	if field(t, r.stdout, "open_id") != bobOpenID {
		t.Fatalf("second login:\n%s", r)
	}
	for _, cmd := range []string{"refresh", "renew", "verify", "token"} {
		r = cli(t, "", cmd, "--profile", "demo")
		want(t, r, exitUsage)
		if !strings.Contains(r.stderr, "--account") || !strings.Contains(r.stderr, aliceOpenID) || !strings.Contains(r.stderr, bobOpenID) {
			t.Errorf("%s with two accounts:\n%s", cmd, r)
		}
	}
	r = cli(t, "", "verify", "--profile", "demo", "--account", bobOpenID)
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != bobOpenID {
		t.Errorf("verify bob:\n%s", r)
	}
	r = cli(t, "", "status", "--profile", "demo", "--json")
	var s statusReport
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || len(s.Profiles[0].Accounts) != 2 {
		t.Errorf("status with two accounts: %v\n%s", err, r)
	}
}

func TestTokenExpiry(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	login(t, "demo", "")
	r := cli(t, "", "client-token", "--profile", "demo")
	want(t, r, exitOK)

	defer func(old func() time.Time) { now = old }(now)
	now = func() time.Time { return time.Now().Add(16 * 24 * time.Hour) }
	r = cli(t, "", "token", "--profile", "demo")
	want(t, r, exitError)
	if r.stdout != "" || !strings.Contains(r.stderr, "refresh --profile demo") {
		t.Errorf("expired access token:\n%s", r)
	}
	r = cli(t, "", "token", "--profile", "demo", "--client")
	want(t, r, exitError)
	if r.stdout != "" || !strings.Contains(r.stderr, "expired") {
		t.Errorf("expired client token:\n%s", r)
	}
	r = cli(t, "", "status")
	if !strings.Contains(r.stdout, "access token:  expired") || !strings.Contains(r.stdout, "refresh token: expires") {
		t.Errorf("status, access expired:\n%s", r)
	}
	r = cli(t, "", "status", "--json")
	var s statusReport
	json.Unmarshal([]byte(r.stdout), &s)
	if a := s.Profiles[0].Accounts[0]; *a.AccessSecondsLeft > -23*3600 || *a.RefreshSecondsLeft < 0 || s.Profiles[0].ClientToken.SecondsLeft > 0 {
		t.Errorf("status --json, access expired:\n%s", r.stdout)
	}

	now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	r = cli(t, "", "token", "--profile", "demo")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "login --profile demo") {
		t.Errorf("expired refresh token:\n%s", r)
	}
}

// TestLoginPaste authorizes a profile whose redirect URI is on a web server
// the tool cannot listen on: the user pastes the redirected address.
func TestLoginPaste(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	r := cli(t, pasteSecret+"\n", "profile", "add", "web", "--client-key", pasteKey, "--base-url", base,
		"--redirect-uri", pasteURI, "--scopes", "user_info")
	want(t, r, exitOK)
	if field(t, r.stdout, "callback_mode") != storage.ModePaste {
		t.Fatalf("profile add:\n%s", r)
	}

	lr := start(t, "login", "--profile", "web", "--no-browser")
	authURL := lr.authorizeURL(t)
	if !strings.Contains(lr.stderr.String(), "Paste that full address") {
		t.Errorf("paste instructions:\n%s", lr.stderr)
	}
	loc := consent(t, authURL, "agree", "")
	if loc.Host != "app.example.com" || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s", loc)
	}
	// A line that is not a callback, and one for another authorization,
	// are reported and the login keeps waiting.
	fmt.Fprintln(lr.stdin, "what do I paste?")
	lr.waitFor(t, "neither a redirect URL nor a code")
	other := *loc
	q := other.Query()
	q.Set("state", "someone-elses-state")
	other.RawQuery = q.Encode()
	fmt.Fprintln(lr.stdin, other.String())
	lr.waitFor(t, "does not match")
	// The code without its state is refused too.
	stateless := *loc
	q = stateless.Query()
	q.Del("state")
	stateless.RawQuery = q.Encode()
	fmt.Fprintln(lr.stdin, stateless.String())
	lr.waitFor(t, "has no state")
	fmt.Fprintln(lr.stdin, loc.String())
	r = lr.wait(t)
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != aliceOpenID || field(t, r.stdout, "scope") != "user_info" {
		t.Errorf("login by paste:\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, loc.Query().Get("code")) {
		t.Errorf("the code was echoed")
	}

	// The user denies: the pasted failure ends the login.
	lr = start(t, "login", "--profile", "web", "--no-browser")
	loc = consent(t, lr.authorizeURL(t), "deny", "")
	fmt.Fprintln(lr.stdin, loc.String())
	r = lr.wait(t)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "denied") {
		t.Errorf("denied:\n%s", r)
	}

	// A code pasted twice: the second exchange answers 10007.
	lr = start(t, "login", "--profile", "web", "--no-browser")
	loc = consent(t, lr.authorizeURL(t), "agree", "")
	fmt.Fprintln(lr.stdin, loc.String())
	want(t, lr.wait(t), exitOK)
	lr = start(t, "login", "--profile", "web", "--no-browser")
	lr.authorizeURL(t)
	fmt.Fprintln(lr.stdin, loc.Query().Get("code"))
	r = lr.wait(t)
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "10007") || !strings.Contains(r.stderr, "state could not be checked") {
		t.Errorf("used bare code:\n%s", r)
	}

	// Standard input ends without a paste: nothing can deliver the code.
	r = cli(t, "", "login", "--profile", "web", "--no-browser")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "standard input ended") {
		t.Errorf("stdin closed:\n%s", r)
	}
}

// TestLoginLoopbackPasteAndBrowser pastes into a login that also listens,
// and lets the login open the (test's) browser.
func TestLoginLoopbackPasteAndBrowser(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)

	opened := make(chan string, 1)
	openBrowser = func(u string) error { opened <- u; return nil }
	lr := start(t, "login", "--profile", "demo")
	var u string
	select {
	case u = <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not opened")
	}
	if u != lr.authorizeURL(t) {
		t.Errorf("opened %s", u)
	}
	loc := consent(t, u, "agree", bobOpenID)
	if loc.Hostname() != "127.0.0.1" {
		t.Fatalf("redirect %s", loc)
	}
	fmt.Fprintln(lr.stdin, loc.String())
	r := lr.wait(t)
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != bobOpenID {
		t.Errorf("login:\n%s", r)
	}
	// The loopback server is gone with the login.
	if _, err := noFollow.Get(loc.String()); err == nil {
		t.Errorf("the callback server still answers after the login")
	}
}

func TestLoginTimeoutAndInterrupt(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	lr := start(t, "login", "--profile", "demo", "--no-browser", "--timeout", "300ms")
	r := lr.wait(t)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "no callback arrived") {
		t.Errorf("timeout:\n%s", r)
	}
	lr = start(t, "login", "--profile", "demo", "--no-browser")
	lr.authorizeURL(t)
	lr.cancel()
	r = lr.wait(t)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "interrupted") {
		t.Errorf("interrupt:\n%s", r)
	}
}

func TestSandboxCommand(t *testing.T) {
	setup(t)
	apps := filepath.Join(t.TempDir(), "apps.json")
	os.WriteFile(apps, []byte(`[{"name":"Mine","client_key":"awmine","client_secret":"mine-secret","redirect_uri":"http://127.0.0.1:0/callback","scopes":["user_info","renew_refresh_token"]}]`), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, errOut := &safeBuffer{}, &safeBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--access-ttl", "2m", "--apps", apps}, strings.NewReader(""), out, errOut)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "profile_add: ") {
		if time.Now().After(deadline) {
			t.Fatalf("sandbox printed nothing:\n%s\n%s", out, errOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s := out.String()
	base := field(t, s, "base_url")
	if !strings.HasPrefix(base, "http://127.0.0.1:") || field(t, s, "client_key") != "awmine" ||
		field(t, s, "client_secret") != "mine-secret" || field(t, s, "redirect_uri") != "http://127.0.0.1:0/callback" ||
		!strings.Contains(field(t, s, "profile_add"), "--base-url "+base+" --client-key awmine") {
		t.Errorf("sandbox output:\n%s", s)
	}

	// The running sandbox serves a whole login, with the shorter lifetime.
	r := cli(t, "mine-secret\n", "profile", "add", "mine", "--client-key", "awmine", "--base-url", base, "--redirect-uri", "http://127.0.0.1:0/callback")
	want(t, r, exitOK)
	r = login(t, "mine", "")
	if n, _ := strconv.Atoi(field(t, r.stdout, "access_seconds_left")); n > 120 || n < 100 {
		t.Errorf("--access-ttl 2m gave %d seconds", n)
	}

	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("sandbox exit %d:\n%s", code, errOut)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("sandbox did not stop")
	}
	r = cli(t, "", "verify", "--profile", "mine")
	want(t, r, exitError)

	// The address is taken: exit 1.
	sb, taken := startSandbox(t, sandbox.Options{})
	_ = sb
	r = cli(t, "", "sandbox", "--addr", strings.TrimPrefix(taken, "http://"))
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "cannot start the sandbox") {
		t.Errorf("address in use:\n%s", r)
	}
}
