package ui

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// newTestApp returns a window on the fyne test driver with keyring-free
// storage, English text, a fake clock, no ticker goroutine and a browser
// opener that records the URL.
func newTestApp(t *testing.T) (*App, *fakeClock, *storage.Store) {
	t.Helper()
	a := test.NewTempApp(t)
	st, err := storage.OpenWith(t.TempDir(), storage.Memory())
	if err != nil {
		t.Fatal(err)
	}
	u := newApp(a, st)
	clk := &fakeClock{t: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)}
	u.now = clk.now
	u.tickEvery = 0
	var mu sync.Mutex
	u.do = func(f func()) { mu.Lock(); defer mu.Unlock(); f() }
	u.openURL = func(string) error { return nil }
	u.settings.Language = LanguageEnglish
	applyLanguage(LanguageEnglish)
	u.open()
	t.Cleanup(func() {
		u.shutdown()
		u.wait()
		applyLanguage(LanguageEnglish)
	})
	return u, clk, st
}

// testApp is the app the tests register with their sandbox: its redirect
// URI's port 0 accepts any loopback port.
var testApp = sandbox.App{
	Name: "UI Test App", ClientKey: "awuitest0000001", ClientSecret: "ui-test-secret-01",
	RedirectURI: "http://127.0.0.1:0/callback", Scopes: []string{"user_info", "renew_refresh_token"},
}

// startSandbox runs a sandbox with testApp for the length of the test.
func startSandbox(t *testing.T) (*sandbox.Sandbox, string) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	sb.AddApp(testApp)
	return sb, base
}

// fillCredentials types the test app's credentials into step 1.
func fillCredentials(u *App, base string) {
	v := u.creds
	test.Type(v.name, "ui-test")
	v.environment.SetSelectedIndex(indexOf(environments, storage.EnvSandbox))
	test.Type(v.baseURL, base)
	test.Type(v.clientKey, testApp.ClientKey)
	test.Type(v.clientSecret, testApp.ClientSecret)
	test.Type(v.redirectURI, testApp.RedirectURI)
}

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)
	inputTag   = regexp.MustCompile(`<input[^>]*>`)
	attr       = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// actAsBrowser opens the consent page, agrees with the form's own fields
// and follows the redirect to the loopback callback, as a browser would.
func actAsBrowser(authorizeURL string) error {
	_, err := consent(authorizeURL, true)
	return err
}

// consent agrees on the consent page and returns where the platform
// redirected to; with follow it also opens that address.
func consent(authorizeURL string, follow bool) (string, error) {
	resp, err := http.Get(authorizeURL)
	if err != nil {
		return "", err
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("consent page: HTTP %d: %s", resp.StatusCode, page)
	}
	m := formAction.FindSubmatch(page)
	if m == nil {
		return "", fmt.Errorf("consent page has no form: %s", page)
	}
	form := url.Values{}
	for _, tag := range inputTag.FindAll(page, -1) {
		fields := map[string]string{}
		for _, a := range attr.FindAllSubmatch(tag, -1) {
			fields[string(a[1])] = html.UnescapeString(string(a[2]))
		}
		switch fields["type"] {
		case "radio", "checkbox":
			if !strings.Contains(string(tag), " checked") {
				continue
			}
		}
		form.Add(fields["name"], fields["value"])
	}
	form.Set("action", "agree")
	target, err := url.Parse(authorizeURL)
	if err != nil {
		return "", err
	}
	action, err := target.Parse(html.UnescapeString(string(m[1])))
	if err != nil {
		return "", err
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = noFollow.PostForm(action.String(), form)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	location := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusFound || location == "" {
		return "", fmt.Errorf("consent: HTTP %d without a redirect", resp.StatusCode)
	}
	if !follow {
		return location, nil
	}
	resp, err = http.Get(location)
	if err != nil {
		return "", err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("callback: HTTP %d: %s", resp.StatusCode, body)
	}
	return location, nil
}

// authorize runs steps 1 and 2 against the sandbox with the test app.
func authorize(t *testing.T, u *App, base string) {
	t.Helper()
	fillCredentials(u, base)
	test.Tap(u.creds.continueBtn)
	u.wait()
	if !u.active || u.tabs.SelectedIndex() != tabAuthorize {
		t.Fatalf("saving did not move to step 2: %q %q", u.creds.status.Text, u.creds.errs["redirect_uri"].Text)
	}
	var browserErr error
	opened := make(chan string, 1)
	u.openURL = func(target string) error {
		opened <- target
		browserErr = actAsBrowser(target)
		return browserErr
	}
	test.Tap(u.authz.startBtn)
	u.wait()
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	if got := <-opened; !strings.HasPrefix(got, base+"/platform/oauth/connect/?") {
		t.Fatalf("opened %q", got)
	}
	if u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("authorization did not reach step 3: status %q, error %q", u.authz.status.Text, u.authz.errLabel.Text)
	}
}
