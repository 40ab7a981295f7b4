package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// serverGrant authorizes openID on a profile of its own, standing for the
// app's server, and returns the grant it stored there.
func serverGrant(t *testing.T, base, openID string) auth.Grant {
	t.Helper()
	addProfile(t, "server", base)
	login(t, "server", openID)
	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	if openID == "" {
		openID = aliceOpenID
	}
	g, err := st.Tokens("server").Grant(openID)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// storedAccounts returns the open_ids stored for the profile.
func storedAccounts(t *testing.T, profile string) []string {
	t.Helper()
	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Profile(profile)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range p.Accounts {
		ids = append(ids, a.OpenID)
	}
	return ids
}

// TestImportRefreshToken imports a refresh token from stdin: the account is
// stored like any other, status marks it imported, token prints its access
// token, and renewing it asks first.
func TestImportRefreshToken(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)

	r := cli(t, g.RefreshToken+"\r\n", "import", "--profile", "demo", "--refresh-token")
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != aliceOpenID || field(t, r.stdout, "nickname") != "Sandbox Alice" ||
		field(t, r.stdout, "imported") != "yes" || field(t, r.stdout, "refresh_expires_at") == "unknown" {
		t.Errorf("import:\n%s", r)
	}
	if !strings.Contains(r.stderr, "added to profile") || strings.Contains(r.stdout+r.stderr, g.RefreshToken) {
		t.Errorf("import stderr or a token shown:\n%s", r)
	}
	r = cli(t, "", "status", "--profile", "demo")
	if !strings.Contains(r.stdout, aliceOpenID+" (Sandbox Alice) [imported]") || !strings.Contains(r.stdout, "refresh token: expires") {
		t.Errorf("status:\n%s", r)
	}
	r = cli(t, "", "token", "--profile", "demo")
	want(t, r, exitOK)
	if r.stdout != g.AccessToken+"\n" {
		t.Errorf("token = %q, want the server's live access token", r.stdout)
	}

	// Importing it again updates the account; --json prints it as status does.
	r = cli(t, g.RefreshToken, "import", "--profile", "demo", "--refresh-token", "--json")
	want(t, r, exitOK)
	var a accountStatus
	if err := json.Unmarshal([]byte(r.stdout), &a); err != nil || a.OpenID != aliceOpenID || !a.Imported || a.AccessOnly ||
		a.AccessExpiresAt == nil || a.RefreshExpiresAt == nil || !strings.Contains(r.stderr, "updated") {
		t.Errorf("import --json: %v\n%s", err, r)
	}

	// Renewing would end the server's token: it asks.
	r = cli(t, "", "renew", "--profile", "demo")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "was imported") || !strings.Contains(r.stderr, "--yes") {
		t.Errorf("renew of an imported account:\n%s", r)
	}
	want(t, cli(t, "", "renew", "--profile", "demo", "--yes"), exitOK)
}

// TestImportAccessToken imports an access token with its open_id: stored
// with its expiry unknown and no refresh token, shown so by status; verify
// and token work on it, refresh and renew explain why they cannot.
func TestImportAccessToken(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)

	r := cli(t, "\n"+g.AccessToken+"\n", "import", "--profile", "demo", "--access-token", "--open-id", aliceOpenID)
	want(t, r, exitOK)
	if field(t, r.stdout, "access_expires_at") != "unknown" || field(t, r.stdout, "refresh_token") != "none" || field(t, r.stdout, "imported") != "yes" {
		t.Errorf("import:\n%s", r)
	}
	r = cli(t, "", "status", "--profile", "demo")
	for _, s := range []string{"[imported]", "access token:  expiry unknown", "refresh token: none"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("status lacks %q:\n%s", s, r)
		}
	}
	r = cli(t, "", "status", "--profile", "demo", "--json")
	var s statusReport
	if err := json.Unmarshal([]byte(r.stdout), &s); err != nil || len(s.Profiles[0].Accounts) != 1 {
		t.Fatalf("status --json: %v\n%s", err, r)
	}
	if a := s.Profiles[0].Accounts[0]; !a.Imported || !a.AccessOnly || a.AccessExpiresAt != nil || a.RefreshExpiresAt != nil {
		t.Errorf("status --json account %+v", a)
	}
	want(t, cli(t, "", "verify", "--profile", "demo"), exitOK)
	if r := cli(t, "", "token", "--profile", "demo"); r.code != exitOK || r.stdout != g.AccessToken+"\n" {
		t.Errorf("token:\n%s", r)
	}
	for _, args := range [][]string{{"refresh"}, {"renew"}} {
		r := cli(t, "", append(args, "--profile", "demo")...)
		want(t, r, exitReauth)
		if !strings.Contains(r.stderr, "access token only") || !strings.Contains(r.stderr, "import --profile demo --refresh-token") {
			t.Errorf("%s of an access-only account:\n%s", args[0], r)
		}
	}
}

// TestImportRefused: a token on the command line is refused without being
// repeated; an empty stdin, a wrong combination of flags and a token the
// platform refuses are explained, and nothing is stored.
func TestImportRefused(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)
	const secret = "rft.OnTheCommandLine"
	for _, args := range [][]string{
		{"--refresh-token", secret},
		{"--refresh-token=" + secret},
		{secret, "--refresh-token"},
		{"--access-token", "--open-id", aliceOpenID, secret},
		{"--refresh-token", "--", secret},
	} {
		r := cli(t, g.RefreshToken, append([]string{"import", "--profile", "demo"}, args...)...)
		want(t, r, exitUsage)
		if strings.Contains(r.stdout+r.stderr, secret) || !strings.Contains(r.stderr, "standard input only") {
			t.Errorf("%q:\n%s", args, r)
		}
	}
	for _, c := range []struct {
		stdin string
		args  []string
		code  int
		msg   []string
	}{
		{"", []string{"--refresh-token"}, exitUsage, []string{"standard input held no refresh_token", "< token.txt"}},
		{" \r\n\t", []string{"--access-token", "--open-id", aliceOpenID}, exitUsage, []string{"held no access_token"}},
		{g.RefreshToken, nil, exitUsage, []string{"give --refresh-token, or --access-token with --open-id"}},
		{g.RefreshToken, []string{"--refresh-token", "--access-token"}, exitUsage, []string{"give --refresh-token"}},
		{g.AccessToken, []string{"--access-token"}, exitUsage, []string{"--access-token needs --open-id"}},
		{g.RefreshToken, []string{"--refresh-token", "--open-id", aliceOpenID}, exitUsage, []string{"--open-id goes with --access-token only"}},
		{g.RefreshToken + " " + g.AccessToken, []string{"--refresh-token"}, exitError, []string{"white space inside"}},
		{g.AccessToken, []string{"--access-token", "--open-id", bobOpenID}, exitError, []string{"does not belong to open_id " + bobOpenID, "28001015"}},
		{"rft.unknown", []string{"--refresh-token"}, exitError, []string{"knows no such refresh token", "10002"}},
	} {
		r := cli(t, c.stdin, append([]string{"import", "--profile", "demo"}, c.args...)...)
		want(t, r, c.code)
		for _, m := range c.msg {
			if !strings.Contains(r.stderr, m) {
				t.Errorf("%q lacks %q:\n%s", c.args, m, r)
			}
		}
		if strings.Contains(r.stdout+r.stderr, g.RefreshToken) || strings.Contains(r.stdout+r.stderr, g.AccessToken) {
			t.Errorf("%q showed a token:\n%s", c.args, r)
		}
	}
	// Revoked by the user: the refresh token's end, authorize again.
	sb.Revoke(testKey, aliceOpenID)
	r := cli(t, g.RefreshToken, "import", "--profile", "demo", "--refresh-token")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "no longer works") || !strings.Contains(r.stderr, "10010") || !strings.Contains(r.stderr, "login --profile demo") {
		t.Errorf("revoked:\n%s", r)
	}
	r = cli(t, g.AccessToken, "import", "--profile", "demo", "--access-token", "--open-id", aliceOpenID)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "no longer accepts") || !strings.Contains(r.stderr, "28001003") {
		t.Errorf("revoked access token:\n%s", r)
	}
	if ids := storedAccounts(t, "demo"); len(ids) != 0 {
		t.Errorf("refused imports stored %q", ids)
	}
}

// TestImportHelp: import is listed, and its help shows its flags.
func TestImportHelp(t *testing.T) {
	setup(t)
	if r := cli(t, "", "--help"); !strings.Contains(r.stdout, "import          store an account") || !strings.Contains(r.stdout, "DOUYIN_REFRESH_TOKEN") {
		t.Errorf("--help:\n%s", r)
	}
	for _, args := range [][]string{{"import", "--help"}, {"help", "import"}} {
		r := cli(t, "", args...)
		want(t, r, exitOK)
		for _, s := range []string{"Usage: douyin-auth-desk import --profile NAME", "--refresh-token", "--open-id OPEN_ID", "standard input only"} {
			if !strings.Contains(r.stdout, s) {
				t.Errorf("%q lacks %q:\n%s", args, s, r.stdout)
			}
		}
	}
}
