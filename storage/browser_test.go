package storage_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// browser starts a headless Chromium with a fresh profile. The tests skip
// without Chromium, except in CI, which installs it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, p := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p2, err := exec.LookPath(p); err == nil {
			path = p2
			break
		}
	}
	if path == "" {
		if runtime.GOOS == "windows" {
			t.Skip("no Chromium under wine: the browser tests run in the Linux tier")
		}
		if os.Getenv("CI") != "" {
			t.Fatal("CI needs chromium for the browser tests")
		}
		t.Skip("chromium not installed; `make test` installs it")
	}
	if testing.Short() {
		t.Skip("browser tests skipped in -short mode")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("lang", "en-US"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	// The browser lives as long as ctx; each test's steps get a deadline.
	ctx, cancelSteps := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(cancelSteps)
	return ctx
}

type browserEnv struct {
	dir     string
	st      *storage.Store
	flow    *auth.Flow
	sandbox *sandbox.Sandbox
}

func newBrowserEnv(t *testing.T, redirect string) *browserEnv {
	t.Helper()
	dir := t.TempDir()
	st := openStore(t, dir)
	sb := sandbox.New(sandbox.Options{})
	sb.AddApp(sandbox.App{Name: "Browser Test App", ClientKey: "awbrowsertest01", ClientSecret: "browser-secret-0001",
		RedirectURI: redirect, Scopes: sandbox.DefaultScopes()})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	p := storage.Profile{Name: "browser", Environment: storage.EnvSandbox, BaseURL: base, ClientKey: "awbrowsertest01",
		Scopes: []string{"user_info", "renew_refresh_token"}, RedirectURI: redirect, CallbackMode: storage.ModeLoopback}
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret(p.Name, "browser-secret-0001"); err != nil {
		t.Fatal(err)
	}
	secret, err := st.Secret(p.Name)
	if err != nil {
		t.Fatal(err)
	}
	flow := &auth.Flow{Client: auth.NewClient(base), Store: st.Tokens(p.Name),
		Credentials: auth.Credentials{ClientKey: p.ClientKey, ClientSecret: secret, Scopes: p.Scopes, RedirectURI: redirect}}
	return &browserEnv{dir: dir, st: st, flow: flow, sandbox: sb}
}

// openStore opens a store on the real Secret Service when
// DOUYIN_AUTH_DESK_REAL_KEYRING=1 (as in CI), else on memory secrets.
func openStore(t *testing.T, dir string) *storage.Store {
	t.Helper()
	var st *storage.Store
	var err error
	if os.Getenv("DOUYIN_AUTH_DESK_REAL_KEYRING") == "1" {
		st, err = storage.Open(dir)
	} else {
		st, err = storage.OpenWith(dir, storage.Memory())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.ForgetEverything() })
	return st
}

// visit runs steps, then returns the text of the element with id and the
// page's address.
func visit(ctx context.Context, id string, steps ...chromedp.Action[chromedp.Void]) (text, location string, err error) {
	steps = append(steps, chromedp.WaitVisible(chromedp.ID(id)))
	if err = chromedp.Do(ctx, steps...); err != nil {
		return "", "", err
	}
	if text, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID(id))); err != nil {
		return "", "", err
	}
	location, err = chromedp.Run(ctx, chromedp.Location())
	return text, location, err
}

func waitLogin(l *auth.Login) chan result {
	ch := make(chan result, 1)
	go func() {
		g, err := l.Wait(context.Background())
		ch <- result{g, err}
	}()
	return ch
}

type result struct {
	g   auth.Grant
	err error
}

// consentInBrowser opens the login's authorization page, clicks the button
// with the given id ("agree" or "deny"), and returns the title and address
// of the page the browser ends on, and how the login ended.
func consentInBrowser(t *testing.T, ctx context.Context, l *auth.Login, button string) (title, location string, r result) {
	t.Helper()
	done := waitLogin(l)
	title, location, err := visit(ctx, "title",
		chromedp.Navigate(l.URL),
		chromedp.WaitVisible(chromedp.ID(button)),
		chromedp.Click(chromedp.ID(button)),
	)
	if err != nil {
		t.Fatal(err)
	}
	return title, location, <-done
}

func TestBrowserAgree(t *testing.T) {
	ctx := browser(t)
	e := newBrowserEnv(t, "http://127.0.0.1:0/callback")
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	title, location, r := consentInBrowser(t, ctx, l, "agree")
	if title != "Authorization complete" || !strings.HasPrefix(location, l.RedirectURI) {
		t.Fatalf("browser shows %q at %s", title, location)
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	// A second store on the same directory finds the tokens in the keyring.
	again := openStoreSameSecrets(t, e)
	g, err := again.Tokens("browser").Grant(r.g.OpenID)
	if err != nil || g.AccessToken != r.g.AccessToken || g.RefreshToken != r.g.RefreshToken {
		t.Fatalf("stored grant %+v, %v", g, err)
	}
	assertNoSecretInFiles(t, e.dir, "browser-secret-0001", r.g.AccessToken, r.g.RefreshToken)
}

// openStoreSameSecrets reopens the store's directory; with the real keyring
// that is a new connection to the Secret Service.
func openStoreSameSecrets(t *testing.T, e *browserEnv) *storage.Store {
	if os.Getenv("DOUYIN_AUTH_DESK_REAL_KEYRING") == "1" {
		st, err := storage.Open(e.dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	return e.st
}

func assertNoSecretInFiles(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("%s holds a secret", path)
			}
		}
		return nil
	})
}

func TestBrowserDeny(t *testing.T) {
	ctx := browser(t)
	e := newBrowserEnv(t, "http://127.0.0.1:0/callback")
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	title, _, r := consentInBrowser(t, ctx, l, "deny")
	if title != "Authorization not completed" {
		t.Fatalf("browser shows %q", title)
	}
	var ce *auth.CallbackError
	if !errors.As(r.err, &ce) {
		t.Fatalf("login ended with %v", r.err)
	}
	if p, _ := e.st.Profile("browser"); len(p.Accounts) != 0 {
		t.Fatal("a denied login stored an account")
	}
}

// TestBrowserRelay: the platform redirects to the developer's page (served
// here on another loopback port), whose relay page forwards to the app.
func TestBrowserRelay(t *testing.T) {
	ctx := browser(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	callback := "http://" + ln.Addr().String() + "/relay-callback"
	ln.Close()
	page, err := auth.RelayPage(callback)
	if err != nil {
		t.Fatal(err)
	}
	relay := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer relay.Close()
	e := newBrowserEnv(t, relay.URL+"/douyin/callback")
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true, ListenURI: callback, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	// Without state the relay forwards nothing.
	msg, location, err := visit(ctx, "msg", chromedp.Navigate(relay.URL+"/douyin/callback?code=abcdefgh123"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msg, "nothing was forwarded") || !strings.HasPrefix(location, relay.URL) {
		t.Fatalf("relay without state: %q at %s", msg, location)
	}

	title, location, r := consentInBrowser(t, ctx, l, "agree")
	if title != "Authorization complete" || !strings.HasPrefix(location, callback) {
		t.Fatalf("browser shows %q at %s", title, location)
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
}
