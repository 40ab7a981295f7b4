package cli

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// The app of the relay tests: the platform redirects to its https page,
// which the tool cannot listen on.
const (
	relayKey    = "awclirelayapp003"
	relaySecret = "cli-relay-secret-03"
	relayURI    = "https://app.example.com/douyin/relay"
)

// relayFields are the callback parameters the relay page copies, in its
// order (auth/relay.go).
var relayFields = []string{"code", "state", "scopes", "error", "error_code", "error_description"}

// relayForward does what the relay page's script does in a browser that
// landed on loc: it copies the callback parameters present in loc to the
// fixed target and opens that address. It returns the target's status.
func relayForward(t *testing.T, target string, loc *url.URL) int {
	t.Helper()
	src := loc.Query()
	if src.Get("state") == "" {
		t.Fatalf("the relay page forwards nothing without a state: %s", loc)
	}
	out := url.Values{}
	for _, f := range relayFields {
		if v, ok := src[f]; ok {
			out.Set(f, v[0])
		}
	}
	fwd, err := url.Parse(target + "?" + out.Encode())
	if err != nil {
		t.Fatal(err)
	}
	return follow(t, fwd)
}

// addRelayProfile adds a relay profile for the relay app at base and
// returns its relay target.
func addRelayProfile(t *testing.T, sb *sandbox.Sandbox, name, base string) string {
	t.Helper()
	sb.AddApp(sandbox.App{Name: "CLI Relay App", ClientKey: relayKey, ClientSecret: relaySecret, RedirectURI: relayURI})
	target := "http://" + freeAddr(t) + "/relay"
	r := cli(t, relaySecret+"\n", "profile", "add", name, "--client-key", relayKey, "--base-url", base,
		"--redirect-uri", relayURI, "--callback", "relay", "--relay-target", target)
	want(t, r, exitOK)
	if field(t, r.stdout, "callback_mode") != storage.ModeRelay || field(t, r.stdout, "relay_target") != target {
		t.Fatalf("profile add --callback relay:\n%s", r)
	}
	return target
}

// TestLoginRelay authorizes a relay profile: the platform redirects to the
// registered https page, whose relay page forwards code and state to the
// relay target, where login listens.
func TestLoginRelay(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	target := addRelayProfile(t, sb, "relayed", base)

	page := filepath.Join(t.TempDir(), "index.html")
	lr := start(t, "login", "--profile", "relayed", "--no-browser", "--timeout", "30s", "--relay-page", page)
	authURL := lr.authorizeURL(t)
	for _, s := range []string{
		"Relay page written to " + page + ": upload it to " + relayURI,
		"the browser goes to " + relayURI + ", where the relay page forwards the callback to " + target,
		"Waiting for the callback on " + target,
	} {
		lr.waitFor(t, s)
	}
	if strings.Contains(lr.stderr.String(), "write it with --relay-page") {
		t.Errorf("asks for the page it wrote:\n%s", lr.stderr)
	}
	got, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if wantPage, _ := auth.RelayPage(target); !bytes.Equal(got, wantPage) {
		t.Fatalf("the written page is not the relay page of %s:\n%.200s", target, got)
	}

	loc := consent(t, authURL, "agree", bobOpenID)
	if loc.Scheme+"://"+loc.Host+loc.Path != relayURI || loc.Query().Get("code") == "" {
		t.Fatalf("redirect %s", loc)
	}
	if code := relayForward(t, target, loc); code != http.StatusOK {
		t.Fatalf("the relay target answered %d", code)
	}
	r := lr.wait(t)
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != bobOpenID || !strings.Contains(r.stderr, "Authorized.") {
		t.Errorf("login through the relay:\n%s", r)
	}
	if strings.Contains(r.stdout+r.stderr, loc.Query().Get("code")) {
		t.Errorf("the code was echoed")
	}
	// The relay target stops listening with the login.
	if _, err := noFollow.Get(target); err == nil {
		t.Errorf("the relay target still answers after the login")
	}
}

// TestLoginRelayPaste pastes the redirected address into a relay login,
// as when the relay page is not uploaded yet.
func TestLoginRelayPaste(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	addRelayProfile(t, sb, "relayed", base)

	lr := start(t, "login", "--profile", "relayed", "--no-browser", "--timeout", "30s")
	loc := consent(t, lr.authorizeURL(t), "agree", "")
	lr.waitFor(t, "The relay page must be uploaded to "+relayURI+"; write it with --relay-page FILE.")
	fmt.Fprintln(lr.stdin, loc.String())
	r := lr.wait(t)
	want(t, r, exitOK)
	if field(t, r.stdout, "open_id") != aliceOpenID {
		t.Errorf("pasted into a relay login:\n%s", r)
	}
	r = cli(t, "", "status", "--profile", "relayed", "--json")
	if !strings.Contains(r.stdout, aliceOpenID) {
		t.Errorf("status after the relay login:\n%s", r)
	}
}

// TestCallbackFlag: --callback chooses loopback or paste against the
// redirect URI's default; loopback mode needs a loopback redirect URI.
func TestCallbackFlag(t *testing.T) {
	setup(t)
	for mode, redirect := range map[string]string{storage.ModePaste: testRedirect, storage.ModeLoopback: testRedirect} {
		r := cli(t, relaySecret+"\n", "profile", "add", "m-"+mode, "--client-key", relayKey,
			"--redirect-uri", redirect, "--callback", mode)
		want(t, r, exitOK)
		if field(t, r.stdout, "callback_mode") != mode || strings.Contains(r.stdout, "relay_target") {
			t.Errorf("--callback %s:\n%s", mode, r)
		}
	}
	r := cli(t, relaySecret+"\n", "profile", "add", "m-off", "--client-key", relayKey,
		"--redirect-uri", relayURI, "--callback", storage.ModeLoopback)
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "127.0.0.1") {
		t.Errorf("loopback mode with %s:\n%s", relayURI, r)
	}
}
