package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// Credentials of the app the tests register with their sandbox.
const (
	testKey      = "awclitestapp0001"
	testSecret   = "cli-test-secret-0001"
	testRedirect = "http://127.0.0.1:0/callback" // any port
	pasteKey     = "awclipasteapp002"
	pasteSecret  = "cli-paste-secret-02"
	pasteURI     = "https://app.example.com/douyin/callback"
	aliceOpenID  = "_000SandboxAliceOpenID0000000000001"
	bobOpenID    = "_000SandboxBobOpenID00000000000002"
)

// setup gives the test an empty configuration directory, the mock keyring,
// English messages and no secret in the environment.
func setup(t *testing.T) {
	t.Helper()
	keyring.MockInit()
	t.Setenv(storage.ConfigDirEnv, t.TempDir())
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv(secretEnv, "")
	old := openBrowser
	openBrowser = func(string) error { return errors.New("tests open no browser") }
	t.Cleanup(func() { openBrowser = old })
}

// startSandbox starts an in-process sandbox on a free loopback port with
// the loopback test app and the paste test app.
func startSandbox(t *testing.T, opts sandbox.Options) (*sandbox.Sandbox, string) {
	t.Helper()
	if opts.Apps == nil {
		opts.Apps = []sandbox.App{
			{Name: "CLI Test App", ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRedirect},
			{Name: "CLI Paste App", ClientKey: pasteKey, ClientSecret: pasteSecret, RedirectURI: pasteURI},
		}
	}
	sb := sandbox.New(opts)
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb, base
}

// safeBuffer is a bytes.Buffer that a running command may write while the
// test reads it.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// result is what one command run produced.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// cli runs the command line with stdin and waits for it.
func cli(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// want fails the test unless r exited with code.
func want(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("want exit %d, got %s", code, r)
	}
}

// addProfile adds a profile for the loopback test app at base.
func addProfile(t *testing.T, name, base string) {
	t.Helper()
	r := cli(t, testSecret+"\n", "profile", "add", name, "--client-key", testKey,
		"--base-url", base, "--redirect-uri", testRedirect)
	want(t, r, exitOK)
}

// running is a command running in the background.
type running struct {
	stdin          *io.PipeWriter
	stdout, stderr *safeBuffer
	done           chan int
	cancel         context.CancelFunc
}

// start runs the command line in the background with a stdin pipe.
func start(t *testing.T, args ...string) *running {
	t.Helper()
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{stdin: pw, stdout: &safeBuffer{}, stderr: &safeBuffer{}, done: make(chan int, 1), cancel: cancel}
	go func() { r.done <- run(ctx, args, pr, r.stdout, r.stderr) }()
	t.Cleanup(func() {
		cancel()
		pw.Close()
	})
	return r
}

// wait waits for the command to end and returns its result.
func (r *running) wait(t *testing.T) result {
	t.Helper()
	select {
	case code := <-r.done:
		return result{code, r.stdout.String(), r.stderr.String()}
	case <-time.After(20 * time.Second):
		t.Fatalf("command did not end\n--- stdout:\n%s--- stderr:\n%s", r.stdout, r.stderr)
	}
	return result{}
}

var authURLLine = regexp.MustCompile(`(?m)^\s+(https?://\S+/platform/oauth/connect/\?\S+)$`)

// authorizeURL waits for the login to print the authorization URL.
func (r *running) authorizeURL(t *testing.T) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := authURLLine.FindStringSubmatch(r.stderr.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-r.done:
			t.Fatalf("login ended with %d before printing the URL\n%s%s", code, r.stdout, r.stderr)
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("no authorization URL printed; stderr:\n%s", r.stderr)
	return ""
}

// waitFor waits until the command's stderr contains s.
func (r *running) waitFor(t *testing.T, s string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(r.stderr.String(), s) {
		if time.Now().After(deadline) {
			t.Fatalf("stderr never showed %q:\n%s", s, r.stderr)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// noFollow is an HTTP client that does not follow redirects.
var noFollow = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// consent acts as the browser on the consent page: it opens authURL, posts
// the form with the given action ("agree" or "deny") and, when openID is not
// empty, signs in as that user. It returns where the platform redirected.
func consent(t *testing.T, authURL, action, openID string) *url.URL {
	t.Helper()
	var set url.Values
	if openID != "" {
		set = url.Values{"open_id": {openID}}
	}
	loc, err := sandboxtest.ConsentWith(authURL, action, set)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// follow opens the redirect in the browser, that is, the loopback callback.
func follow(t *testing.T, loc *url.URL) int {
	t.Helper()
	resp, err := noFollow.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// login authorizes openID ("" for the first user) on the profile through
// the loopback callback and returns the result.
func login(t *testing.T, profile, openID string) result {
	t.Helper()
	r := start(t, "login", "--profile", profile, "--no-browser", "--timeout", "30s")
	loc := consent(t, r.authorizeURL(t), "agree", openID)
	if code := follow(t, loc); code != http.StatusOK {
		t.Fatalf("callback page answered %d", code)
	}
	res := r.wait(t)
	want(t, res, exitOK)
	return res
}

// field returns the value of the "name: value" line of out.
func field(t *testing.T, out, name string) string {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, name+": "); ok {
			return v
		}
	}
	t.Fatalf("no %q line in:\n%s", name, out)
	return ""
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
