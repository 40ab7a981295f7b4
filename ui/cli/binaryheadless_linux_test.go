package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// TestBinaryHeadless runs the built binary as a CI job would, on a system
// without a Secret Service: every process finds no keyring, so only the
// environment carries the secrets from one command to the next.
func TestBinaryHeadless(t *testing.T) {
	bin := binaryUnderTest(t)
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	home := filepath.Join(t.TempDir(), "home")
	if err := os.MkdirAll(home, 0o700); err != nil {
		t.Fatal(err)
	}
	// No D-Bus session: go-keyring finds no Secret Service.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"), "LANG=en_US.UTF-8"}
	exe := func(env []string, stdin string, code int, args ...string) result {
		t.Helper()
		r := exeEnv(t, bin, env, stdin, args...)
		want(t, r, code)
		return r
	}

	r := exe(env, testSecret+"\n", exitOK, "profile", "add", "ci", "--client-key", testKey, "--base-url", base, "--redirect-uri", testRedirect)
	if !strings.Contains(r.stderr, "memory") || !strings.Contains(r.stderr, "$DOUYIN_CLIENT_SECRET") {
		t.Errorf("profile add:\n%s", r)
	}
	r = exe(env, "", exitError, "client-token", "--profile", "ci")
	if !strings.Contains(r.stderr, "not stored") || !strings.Contains(r.stderr, "$DOUYIN_CLIENT_SECRET") || strings.Contains(r.stderr, "profile remove") {
		t.Errorf("client-token without the secret:\n%s", r)
	}
	withSecret := withEnv(env, secretEnv+"="+testSecret)
	r = exe(withSecret, "", exitOK, "client-token", "--profile", "ci")
	field(t, r.stdout, "client_token_expires_at")
	r = exe(withSecret, "", exitReauth, "token", "--profile", "ci")
	if !strings.Contains(r.stderr, "$DOUYIN_REFRESH_TOKEN") {
		t.Errorf("token without an account:\n%s", r)
	}
	r = exe(withEnv(env, refreshTokenEnv+"="+g.RefreshToken), "", exitOK, "token", "--profile", "ci")
	if r.stdout != g.AccessToken+"\n" {
		t.Errorf("token with $DOUYIN_REFRESH_TOKEN:\n%s", r)
	}
	r = exe(env, "", exitOK, "status", "--profile", "ci")
	if !strings.Contains(r.stdout, "no accounts") {
		t.Errorf("status after the environment route:\n%s", r)
	}
	checkNoSecrets(t, filepath.Join(home, ".config", "douyin-auth-desk"), g.RefreshToken, g.AccessToken, testSecret, "clt.")
}
