package cli

import (
	"strconv"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// After sandbox-revoke, verify and refresh get the platform's answer,
// explained, as after a user revokes in the Douyin app.
func TestSandboxRevoke(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	login(t, "demo", "")

	r := cli(t, "", "sandbox-revoke", "--profile", "demo")
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != aliceOpenID || field(t, r.stdout, "revoked") != "yes" {
		t.Fatalf("sandbox-revoke:\n%s", r)
	}

	r = cli(t, "", "verify", "--profile", "demo")
	want(t, r, exitError)
	wantExplained(t, r, 28001003)
	r = cli(t, "", "refresh", "--profile", "demo")
	want(t, r, exitReauth)
	wantExplained(t, r, 10010)
	if !strings.Contains(r.stderr, "login --profile demo") {
		t.Errorf("refresh after revocation gives no hint:\n%s", r)
	}

	// Nothing left to revoke, and a user this profile never stored.
	for _, args := range [][]string{{}, {"--account", bobOpenID}} {
		r = cli(t, "", append([]string{"sandbox-revoke", "--profile", "demo"}, args...)...)
		want(t, r, exitError)
		if !strings.Contains(r.stderr, "has no live authorization") || r.stdout != "" {
			t.Errorf("revoking %v again:\n%s", args, r)
		}
	}

	// A new authorization works as before.
	login(t, "demo", "")
	want(t, cli(t, "", "verify", "--profile", "demo"), exitOK)

	sb.Close()
	r = cli(t, "", "sandbox-revoke", "--profile", "demo")
	want(t, r, exitError)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "cannot reach the sandbox at "+base) {
		t.Errorf("unreachable sandbox:\n%s", r)
	}
}

func TestSandboxRevokeRefusesOtherProfiles(t *testing.T) {
	setup(t)
	r := cli(t, testSecret+"\n", "profile", "add", "prod", "--client-key", testKey,
		"--redirect-uri", "https://app.example.com/douyin/callback")
	want(t, r, exitOK)
	r = cli(t, "", "sandbox-revoke", "--profile", "prod")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, `profile "prod" is not a sandbox profile`) || !strings.Contains(r.stderr, "授权管理") {
		t.Errorf("non-sandbox profile:\n%s", r)
	}
	r = cli(t, "", "sandbox-revoke")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--profile is required") {
		t.Errorf("no profile:\n%s", r)
	}
	r = cli(t, "", "--help")
	if !strings.Contains(r.stdout, "sandbox-revoke") {
		t.Errorf("help does not list sandbox-revoke:\n%s", r.stdout)
	}
	r = cli(t, "", "sandbox-revoke", "--help")
	want(t, r, exitOK)
	for _, s := range []string{"Usage: douyin-auth-desk sandbox-revoke --profile NAME", "--account OPEN_ID", "/_sandbox/revoke", "Example:"} {
		if !strings.Contains(r.stdout, s) {
			t.Errorf("help lacks %q:\n%s", s, r.stdout)
		}
	}
}

// wantExplained fails unless r's stderr shows the platform error code with
// its explanation.
func wantExplained(t *testing.T, r result, code int) {
	t.Helper()
	x, ok := auth.Explain(code)
	if !ok {
		t.Fatalf("no explanation of %d", code)
	}
	if !strings.Contains(r.stderr, "platform error "+strconv.Itoa(code)) || !strings.Contains(r.stderr, x.Meaning("en")) ||
		!strings.Contains(r.stderr, x.Action("en")) {
		t.Errorf("%d not explained:\n%s", code, r)
	}
}
