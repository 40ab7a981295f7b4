package ui

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"

	// As in main: no locale noise from Fyne under C.UTF-8.
	_ "github.com/douyinauthdesk/douyin-auth-desk/ui/localeenv"
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

// testStart is the time the fake clocks of the tests start at.
var testStart = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// newTestApp returns a window on the fyne test driver with keyring-free
// storage, English text, a fake clock, fake timers, no ticker goroutine and
// a browser opener that records the URL.
func newTestApp(t testing.TB) (*Window, *fakeClock, *storage.Store) {
	t.Helper()
	return newTestAppWith(t, newTestStore(t, nil))
}

// newTestStore opens storage in a temporary folder on the keyring kr, or
// on an in-memory one when kr is nil.
func newTestStore(t testing.TB, kr storage.Secrets) *storage.Store {
	t.Helper()
	if kr == nil {
		kr = storage.Memory()
	}
	st, err := storage.OpenWith(t.TempDir(), kr)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// storeSettings saves the default settings as edit changes them.
func storeSettings(t testing.TB, st *storage.Store, edit func(*storage.Settings)) {
	t.Helper()
	s := storage.DefaultSettings()
	edit(&s)
	if err := st.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
}

// newTestAppWith is newTestApp on st. It starts the window as New does,
// restoring the last profile, and waits for that.
func newTestAppWith(t testing.TB, st *storage.Store) (*Window, *fakeClock, *storage.Store) {
	t.Helper()
	u, clk, st := newTestAppWithoutWait(t, st)
	u.wait()
	return u, clk, st
}

// newTestAppWithoutWait is newTestAppWith without waiting for the restore.
// Every screen is built with the window, so that tests reach its widgets.
func newTestAppWithoutWait(t testing.TB, st *storage.Store) (*Window, *fakeClock, *storage.Store) {
	return startTestApp(t, st, true)
}

// startTestApp starts a window on st as New does, with every screen built
// at once when allScreens holds, else as the app builds them.
func startTestApp(t testing.TB, st *storage.Store, allScreens bool) (*Window, *fakeClock, *storage.Store) {
	a := &iconApp{App: test.NewTempApp(t)}
	u := newWindow(a, st)
	u.allScreens = allScreens
	clk := &fakeClock{t: testStart}
	u.now = clk.now
	u.tickEvery = 0
	var mu sync.Mutex
	u.do = func(f func()) { mu.Lock(); defer mu.Unlock(); f() }
	ft := &fakeTimers{}
	u.afterFunc = ft.afterFunc
	testTimers.Store(u, ft)
	u.openURL = func(string) error { return nil }
	u.settings.Language = languageEnglish
	applyLanguage(languageEnglish)
	u.do(u.start) // the restore's answer waits for the start to finish
	t.Cleanup(func() {
		u.shutdown()
		u.wait()
		testTimers.Delete(u)
		applyLanguage(languageEnglish)
	})
	return u, clk, st
}

// iconApp is fyne's test app with an icon: the test app drops it.
type iconApp struct {
	fyne.App
	icon fyne.Resource
}

func (a *iconApp) SetIcon(r fyne.Resource) { a.icon = r }
func (a *iconApp) Icon() fyne.Resource     { return a.icon }

// testTimers holds the fake timers of each test app.
var testTimers sync.Map

// timersOf returns the fake timers of u.
func timersOf(u *Window) *fakeTimers {
	ft, _ := testTimers.Load(u)
	return ft.(*fakeTimers)
}

// fakeTimers records the timers the app sets; tests fire them by hand.
type fakeTimers struct {
	mu      sync.Mutex
	pending []*fakeTimer
}

type fakeTimer struct {
	ft      *fakeTimers
	d       time.Duration
	f       func()
	stopped bool
}

func (ft *fakeTimers) afterFunc(d time.Duration, f func()) stopper {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	t := &fakeTimer{ft: ft, d: d, f: f}
	ft.pending = append(ft.pending, t)
	return t
}

func (t *fakeTimer) Stop() bool {
	t.ft.mu.Lock()
	defer t.ft.mu.Unlock()
	was := !t.stopped
	t.stopped = true
	return was
}

// armed returns the delays of the timers neither fired nor stopped.
func (ft *fakeTimers) armed() []time.Duration {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	var ds []time.Duration
	for _, t := range ft.pending {
		if !t.stopped {
			ds = append(ds, t.d)
		}
	}
	return ds
}

// fire runs every armed timer, as if its time had come.
func (ft *fakeTimers) fire() {
	ft.mu.Lock()
	var run []func()
	for _, t := range ft.pending {
		if !t.stopped {
			t.stopped = true
			run = append(run, t.f)
		}
	}
	ft.pending = nil
	ft.mu.Unlock()
	for _, f := range run {
		f()
	}
}

// gatedSecrets is an in-memory keyring whose profile entries can be held,
// like a keyring waiting for the user to unlock it.
type gatedSecrets struct {
	mu   sync.Mutex
	m    map[string]string
	gate chan struct{}
}

func newGatedSecrets() *gatedSecrets { return &gatedSecrets{m: map[string]string{}} }

func (g *gatedSecrets) wait(key string) {
	g.mu.Lock()
	ch := g.gate
	g.mu.Unlock()
	if ch != nil && strings.HasPrefix(key, "profile/") {
		<-ch
	}
}

// hold makes profile entries block until release.
func (g *gatedSecrets) hold() {
	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
}

func (g *gatedSecrets) release() {
	g.mu.Lock()
	if g.gate != nil {
		close(g.gate)
		g.gate = nil
	}
	g.mu.Unlock()
}

func (g *gatedSecrets) Get(key string) (string, error) {
	g.wait(key)
	g.mu.Lock()
	defer g.mu.Unlock()
	v, ok := g.m[key]
	if !ok {
		return "", storage.ErrSecretNotFound
	}
	return v, nil
}

func (g *gatedSecrets) Set(key, value string) error {
	g.wait(key)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.m[key] = value
	return nil
}

func (g *gatedSecrets) Delete(key string) error {
	g.wait(key)
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.m[key]; !ok {
		return storage.ErrSecretNotFound
	}
	delete(g.m, key)
	return nil
}

// storeGrant stores a profile of the sandbox environment at base with a
// secret and one account whose tokens were obtained at obtained.
func storeGrant(t testing.TB, st *storage.Store, name, base string, obtained time.Time) auth.Grant {
	t.Helper()
	p := storage.Profile{Name: name, Environment: storage.EnvSandbox, BaseURL: base, ClientKey: testApp.ClientKey,
		Scopes: testApp.Scopes, RedirectURI: testApp.RedirectURI}
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret(name, testApp.ClientSecret); err != nil {
		t.Fatal(err)
	}
	g := auth.Grant{
		Account: auth.Account{OpenID: "open-" + name, Nickname: "Nick " + name, Scope: "user_info",
			AccessObtained: obtained, AccessExpiry: obtained.Add(15 * 24 * time.Hour),
			RefreshObtained: obtained, RefreshExpiry: obtained.Add(30 * 24 * time.Hour)},
		AccessToken: "act.stored-" + name, RefreshToken: "rft.stored-" + name,
	}
	if err := st.Tokens(name).SaveGrant(g); err != nil {
		t.Fatal(err)
	}
	return g
}

// findButton returns the visible button labelled text under o, or nil.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	if o == nil || !o.Visible() {
		return nil
	}
	if b, ok := o.(*widget.Button); ok && b.Text == text {
		return b
	}
	for _, c := range drawn(o) {
		if b := findButton(c, text); b != nil {
			return b
		}
	}
	return nil
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
func fillCredentials(u *Window, base string) {
	v := u.creds
	test.Type(v.name, "ui-test")
	v.environment.SetSelectedIndex(slices.Index(environments, storage.EnvSandbox))
	test.Type(v.baseURL, base)
	test.Type(v.clientKey, testApp.ClientKey)
	test.Type(v.clientSecret, testApp.ClientSecret)
	test.Type(v.redirectURI, testApp.RedirectURI)
}

// actAsBrowser agrees on the consent page and follows the redirect to the
// loopback callback, as a browser would.
func actAsBrowser(authorizeURL string) error {
	status, body, err := sandboxtest.Agree(authorizeURL)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("callback: HTTP %d: %s", status, body)
	}
	return err
}

// authorize runs steps 1 and 2 against the sandbox with the test app.
func authorize(t *testing.T, u *Window, base string) {
	t.Helper()
	fillCredentials(u, base)
	var browserErr error
	opened := make(chan string, 1)
	u.openURL = func(target string) error {
		opened <- target
		browserErr = actAsBrowser(target)
		return browserErr
	}
	// Save and authorize saves, then starts the login in the browser.
	test.Tap(u.creds.continueBtn)
	u.wait()
	if !u.session.active {
		t.Fatalf("saving failed: %q %q", u.creds.status.Text, u.creds.errs["redirect_uri"].Text)
	}
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

// labelText returns the text of every label in o's tree, one a line.
func labelText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			b.WriteString(l.Text + "\n")
			return
		}
		for _, c := range drawn(o) {
			walk(c)
		}
	}
	walk(o)
	return b.String()
}

// drawn returns what o holds in the test driver: a container's objects, or
// the objects a widget's renderer draws.
func drawn(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case fyne.Widget:
		return test.WidgetRenderer(x).Objects()
	}
	return nil
}
