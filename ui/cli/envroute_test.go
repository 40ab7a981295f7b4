package cli

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// noKeyring makes every command of the test run as on a system without a
// keyring: each one opens a store that keeps secrets in its own memory, so
// nothing passes from one command to the next but profiles.json.
func noKeyring(t *testing.T) {
	t.Helper()
	keyring.MockInitWithError(errors.New("no-secret-service"))
	t.Cleanup(keyring.MockInit)
}

// TestHeadless follows a new user on a system without a keyring (a CI
// runner): the profile is added, client-token needs $DOUYIN_CLIENT_SECRET
// and says so, the account commands take the refresh token from
// $DOUYIN_REFRESH_TOKEN, and no secret reaches the disk.
func TestHeadless(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	dir := os.Getenv(storage.ConfigDirEnv)
	noKeyring(t)

	r := cli(t, testSecret+"\n", "profile", "add", "ci", "--client-key", testKey, "--base-url", base, "--redirect-uri", testRedirect)
	want(t, r, exitOK)
	if !strings.Contains(r.stderr, "memory") || !strings.Contains(r.stderr, "$DOUYIN_CLIENT_SECRET") {
		t.Errorf("profile add without a keyring:\n%s", r)
	}

	// The advice names the environment, not adding the profile again.
	r = cli(t, "", "client-token", "--profile", "ci")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, `the client_secret of profile "ci" is not stored`) || !strings.Contains(r.stderr, "$DOUYIN_CLIENT_SECRET") ||
		strings.Contains(r.stderr, "profile remove") {
		t.Errorf("client-token without a secret:\n%s", r)
	}
	t.Setenv(secretEnv, testSecret)
	r = cli(t, "", "client-token", "--profile", "ci")
	want(t, r, exitOK)
	field(t, r.stdout, "client_token_expires_at")
	if !strings.Contains(r.stderr, "comes from $DOUYIN_CLIENT_SECRET") || !strings.Contains(r.stderr, "token --profile ci --client") {
		t.Errorf("client-token with $DOUYIN_CLIENT_SECRET:\n%s", r)
	}
	r = cli(t, "", "token", "--profile", "ci", "--client")
	want(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "clt.") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("token --client with $DOUYIN_CLIENT_SECRET:\n%s", r)
	}

	// No account: the advice names $DOUYIN_REFRESH_TOKEN.
	r = cli(t, "", "token", "--profile", "ci")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "$DOUYIN_REFRESH_TOKEN") || r.stdout != "" {
		t.Errorf("token without an account:\n%s", r)
	}
	t.Setenv(refreshTokenEnv, g.RefreshToken)
	r = cli(t, "", "token", "--profile", "ci")
	want(t, r, exitOK)
	if r.stdout != g.AccessToken+"\n" || !strings.Contains(r.stderr, "comes from $DOUYIN_REFRESH_TOKEN") {
		t.Errorf("token with $DOUYIN_REFRESH_TOKEN:\n%s", r)
	}
	for _, args := range [][]string{{"refresh"}, {"verify"}, {"refresh", "--account", aliceOpenID}} {
		r = cli(t, "", append(args, "--profile", "ci")...)
		want(t, r, exitOK)
		if field(t, r.stdout, "open_id") != aliceOpenID {
			t.Errorf("%q with $DOUYIN_REFRESH_TOKEN:\n%s", args, r)
		}
	}
	checkNoSecrets(t, dir, g.RefreshToken, g.AccessToken, testSecret, "clt.")
	if ids := storedAccounts(t, "ci"); len(ids) != 0 {
		t.Errorf("the environment route stored %q", ids)
	}

	// An import checks the token but cannot keep it.
	r = cli(t, g.RefreshToken, "import", "--profile", "ci", "--refresh-token")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "the token works") || !strings.Contains(r.stderr, "$DOUYIN_REFRESH_TOKEN") {
		t.Errorf("import without a keyring:\n%s", r)
	}
	checkNoSecrets(t, dir, g.RefreshToken, g.AccessToken, testSecret, "clt.")
}

// TestEnvironmentRoute: with a keyring, the environment is used only for
// what the keyring lacks, for the account it names, and never for renew.
func TestEnvironmentRoute(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)

	// The keyring's account wins over the environment.
	t.Setenv(refreshTokenEnv, "rft.from-the-environment")
	if r := cli(t, "", "token", "--profile", "server"); r.code != exitOK || r.stdout != g.AccessToken+"\n" || strings.Contains(r.stderr, "note:") {
		t.Errorf("token of a stored account with the environment set:\n%s", r)
	}
	t.Setenv(refreshTokenEnv, g.RefreshToken)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"token", "--profile", "demo", "--account", bobOpenID}, exitUsage, "is the refresh token of " + aliceOpenID + ", not of " + bobOpenID},
		{[]string{"renew", "--profile", "demo"}, exitUsage, "the new one would be lost"},
		{[]string{"token", "--profile", "demo"}, exitOK, "nothing obtained with it is stored"},
	} {
		r := cli(t, "", c.args...)
		want(t, r, c.code)
		if !strings.Contains(r.stderr, c.msg) {
			t.Errorf("%q lacks %q:\n%s", c.args, c.msg, r)
		}
	}
	// The access token in the environment, for verify, needs its open_id.
	t.Setenv(refreshTokenEnv, "")
	t.Setenv(accessTokenEnv, g.AccessToken)
	r := cli(t, "", "verify", "--profile", "demo")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--account OPEN_ID is needed") {
		t.Errorf("verify of $DOUYIN_ACCESS_TOKEN without --account:\n%s", r)
	}
	r = cli(t, "", "verify", "--profile", "demo", "--account", aliceOpenID)
	want(t, r, exitOK)
	if field(t, r.stdout, "verified") != "yes" {
		t.Errorf("verify of $DOUYIN_ACCESS_TOKEN:\n%s", r)
	}
	r = cli(t, "", "verify", "--profile", "demo", "--account", bobOpenID)
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "28001015") || strings.Contains(r.stderr, "not imported") {
		t.Errorf("verify of $DOUYIN_ACCESS_TOKEN as another user:\n%s", r)
	}
	if ids := storedAccounts(t, "demo"); len(ids) != 0 {
		t.Errorf("the environment route stored %q", ids)
	}
}

// checkNoSecrets fails when a file of the configuration directory holds one
// of the secrets.
func checkNoSecrets(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds the secret %.8s…", e.Name(), s)
			}
		}
	}
}
