package ui

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// freePort returns a loopback port nothing listens on just now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// sandboxStore is a store whose settings put the window's sandbox on a
// free port, which it returns.
func sandboxStore(t *testing.T) (*storage.Store, int) {
	st := newTestStore(t, nil)
	port := freePort(t)
	storeSettings(t, st, func(s *storage.Settings) { s.SandboxPort = port })
	return st, port
}

// storeDemoProfile stores a profile of the sandbox's demo app at base,
// with one account when withAccount is set, and makes it the one the
// window opens.
func storeDemoProfile(t *testing.T, st *storage.Store, name, base string, withAccount bool) {
	t.Helper()
	p := storage.Profile{Name: name, Environment: storage.EnvSandbox, BaseURL: base, ClientKey: sandbox.DemoClientKey,
		Scopes: []string{"user_info"}, RedirectURI: sandbox.DemoRedirectURI}
	if err := st.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret(name, sandbox.DemoClientSecret); err != nil {
		t.Fatal(err)
	}
	if withAccount {
		g := auth.Grant{Account: auth.Account{OpenID: "open-" + name, Nickname: "Old user",
			AccessObtained: testStart, AccessExpiry: testStart.Add(15 * 24 * time.Hour),
			RefreshObtained: testStart, RefreshExpiry: testStart.Add(30 * 24 * time.Hour)},
			AccessToken: "act.before-restart", RefreshToken: "rft.before-restart"}
		if err := st.Tokens(name).SaveGrant(g); err != nil {
			t.Fatal(err)
		}
	}
	s, _ := st.Settings()
	s.LastProfile = name
	if err := st.SaveSettings(s); err != nil {
		t.Fatal(err)
	}
}

// bannerText returns the text of the banner's labels.
func bannerText(u *Window) string { return labelText(u.banner) }

// With a real profile open, the Sandbox button opens a profile of its own
// and leaves the real one as it was; pressed again, it opens the same one.
func TestSandboxButtonLeavesTheOpenProfileAlone(t *testing.T) {
	st, _ := sandboxStore(t)
	real := storage.Profile{Name: "prod", ClientKey: "awprod00001", Scopes: []string{"user_info"},
		RedirectURI: "https://example.com/cb"}
	if err := st.SaveProfile(real); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSecret("prod", "prod-secret"); err != nil {
		t.Fatal(err)
	}
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "prod"; s.SandboxPort = freePort(t) })
	u, _, _ := newTestAppWith(t, st)
	if !u.session.is("prod") {
		t.Fatal("prod was not opened")
	}
	for range 2 {
		test.Tap(u.creds.sandboxBtn)
		u.wait()
		if !u.session.is("sandbox") || u.creds.name.Text != "sandbox" || u.creds.draft().Environment != storage.EnvSandbox {
			t.Fatalf("session %q, form name %q: %q", u.session.profile.Name, u.creds.name.Text, u.creds.status.Text)
		}
		if !strings.Contains(u.creds.status.Text, "The sandbox is running at "+u.sandboxURL) {
			t.Fatalf("status %q", u.creds.status.Text)
		}
		test.Tap(u.creds.saveBtn)
		u.wait()
		if u.win.Canvas().Overlays().Top() != nil {
			t.Fatal("saving the sandbox profile asked to overwrite")
		}
	}
	p, _ := st.Profile("prod")
	secret, _ := st.Secret("prod")
	if p.Environment != storage.EnvDouyin || p.ClientKey != "awprod00001" || secret != "prod-secret" {
		t.Fatalf("prod changed: %+v, %q", p, secret)
	}
	if ps, _ := st.Profiles(); len(ps) != 2 {
		t.Fatalf("profiles %+v", ps)
	}
}

// A profile named "sandbox" of another app keeps its name: the sandbox's
// profile takes the next free one.
func TestSandboxButtonTakesTheNextFreeName(t *testing.T) {
	st, _ := sandboxStore(t)
	if err := st.SaveProfile(storage.Profile{Name: "sandbox", ClientKey: "awmine00001", RedirectURI: "https://example.com/cb"}); err != nil {
		t.Fatal(err)
	}
	u, _, _ := newTestAppWith(t, st)
	test.Tap(u.creds.sandboxBtn)
	u.wait()
	if !u.session.is("sandbox-2") {
		t.Fatalf("opened %q: %q", u.session.profile.Name, u.creds.status.Text)
	}
	if p, _ := st.Profile("sandbox"); p.ClientKey != "awmine00001" || p.Environment != storage.EnvDouyin {
		t.Fatalf("sandbox changed: %+v", p)
	}
}

// The sandbox listens on the port of the settings, or on the next free
// one when another program holds it.
func TestSandboxPortFromSettings(t *testing.T) {
	t.Run("free", func(t *testing.T) {
		st, port := sandboxStore(t)
		u, _, _ := newTestAppWith(t, st)
		test.Tap(u.creds.sandboxBtn)
		u.wait()
		if want := "http://127.0.0.1:" + strconv.Itoa(port); u.sandboxURL != want {
			t.Fatalf("sandbox at %q, want %q", u.sandboxURL, want)
		}
	})
	t.Run("taken", func(t *testing.T) {
		st, port := sandboxStore(t)
		l, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(port))
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		u, _, _ := newTestAppWith(t, st)
		test.Tap(u.creds.sandboxBtn)
		u.wait()
		got, _ := strconv.Atoi(u.sandboxURL[strings.LastIndex(u.sandboxURL, ":")+1:])
		if u.sandbox == nil || got <= port || got >= port+sandboxPortTries {
			t.Fatalf("sandbox at %q with port %d taken: %q", u.sandboxURL, port, u.creds.status.Text)
		}
	})
}

// A sandbox profile still works after the app restarts: opening it starts
// the sandbox on its port again, and the banner says that the accounts
// authorized before must authorize again.
func TestSandboxProfileSurvivesARestart(t *testing.T) {
	st, port := sandboxStore(t)
	first, _, _ := newTestAppWith(t, st)
	test.Tap(first.creds.sandboxBtn)
	first.wait()
	base := first.sandboxURL
	if base != "http://127.0.0.1:"+strconv.Itoa(port) {
		t.Fatalf("sandbox at %q", base)
	}
	first.shutdown()
	first.wait()
	if _, err := http.Get(base + "/_sandbox/notes"); err == nil {
		t.Fatal("the sandbox outlived its window")
	}
	storeDemoProfile(t, st, "sandbox", base, true)

	u, _, _ := newTestAppWith(t, st)
	if !u.session.is("sandbox") || u.sbx.running["127.0.0.1:"+strconv.Itoa(port)] == nil {
		t.Fatalf("session %q, sandboxes %v", u.session.profile.Name, u.sbx.running)
	}
	resp, err := http.Get(base + "/_sandbox/notes")
	if err != nil {
		t.Fatalf("the sandbox was not started again: %v", err)
	}
	resp.Body.Close()
	if text := bannerText(u); !strings.Contains(text, "was started again") || !strings.Contains(text, "authorize the accounts again") {
		t.Fatalf("banner %q", text)
	}
	again := findButton(u.banner, "Authorize again")
	if again == nil {
		t.Fatal("no Authorize again in the banner")
	}
	test.Tap(again) // which begins a login: the test's end cancels it
	if u.tabs.SelectedIndex() != tabAuthorize || findButton(u.banner, "Authorize again") != nil {
		t.Fatalf("tab %d, banner %q", u.tabs.SelectedIndex(), bannerText(u))
	}
}

// A sandbox profile's server that refuses the connection is named in one
// sentence with Start it; the raw error stays in the HTTP log, and Start
// it starts the sandbox there.
func TestSandboxNotRunningOffersStart(t *testing.T) {
	u, _, _ := newTestApp(t)
	port := freePort(t)
	addr := "127.0.0.1:" + strconv.Itoa(port)
	v := u.creds
	v.environment.SetSelectedIndex(2) // Sandbox (local emulator)
	test.Type(v.baseURL, "http://"+addr)
	test.Type(v.clientKey, sandbox.DemoClientKey)
	test.Type(v.clientSecret, sandbox.DemoClientSecret)
	test.Tap(v.testBtn)
	u.wait()
	want := "The sandbox at " + addr + " is not running — start it with “Start it” at the top of the window."
	if !strings.HasSuffix(v.testResult.Text, want) {
		t.Fatalf("test result %q", v.testResult.Text)
	}
	if log := u.log.snapshot(); len(log) != 1 || !isDialFailure(log[0].Err) {
		t.Fatalf("log %+v", log)
	}
	start := findButton(u.banner, "Start it")
	if start == nil || !strings.Contains(bannerText(u), "The sandbox at "+addr+" is not running.") {
		t.Fatalf("banner %q", bannerText(u))
	}
	test.Tap(start)
	u.wait()
	if u.sbx.running[addr] == nil || findButton(u.banner, "Start it") != nil {
		t.Fatalf("sandboxes %v, banner %q", u.sbx.running, bannerText(u))
	}
	test.Tap(v.testBtn)
	u.wait()
	if !strings.Contains(v.testResult.Text, "accepted client_key and client_secret") {
		t.Fatalf("test result after Start it: %q", v.testResult.Text)
	}
}
