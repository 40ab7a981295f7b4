package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestStartRefusesNonLoopback(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:0", "[::]:0", "example.com:0", "127.0.0.1"} {
		if u, err := s.Start(addr); err == nil {
			t.Errorf("Start(%q) = %q, want an error", addr, u)
		}
	}
	if s.URL() != "" {
		t.Errorf("URL after refused starts: %q", s.URL())
	}
}

func TestStartServeClose(t *testing.T) {
	s := New(Options{})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") || s.URL() != base {
		t.Fatalf("base %q, URL %q", base, s.URL())
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start succeeded")
	}
	q := authParams(DemoClientKey, DemoRedirectURI, "user_info,renew_refresh_token", "s")
	res, err := http.Get(base + PathConnect + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), DemoAppName) {
		t.Fatalf("consent via Start: %d", res.StatusCode)
	}

	// A call held by a long fault latency ends when the sandbox closes.
	s.Inject(Fault{Latency: time.Minute})
	errc := make(chan error, 1)
	go func() {
		res, err := http.Post(base+PathClientToken, "application/json", strings.NewReader(`{}`))
		if err == nil {
			res.Body.Close()
		}
		errc <- err
	}()
	time.Sleep(50 * time.Millisecond)
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	select {
	case <-errc:
	case <-time.After(5 * time.Second):
		t.Fatal("held call still running after Close")
	}
	if _, err := http.Get(base + "/_sandbox/state"); err == nil {
		t.Error("server still answers after Close")
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("Start after Close succeeded")
	}
}

func TestSummary(t *testing.T) {
	s := New(Options{})
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sum := s.Summary()
	lines := strings.Split(strings.TrimSuffix(sum, "\n"), "\n")
	if lines[0] != "base_url: "+base {
		t.Errorf("first line %q", lines[0])
	}
	for _, l := range lines {
		if k, v, ok := strings.Cut(l, ": "); !ok || k == "" || v == "" {
			t.Errorf("line %q is not name: value", l)
		}
	}
	for _, want := range []string{"client_key: " + DemoClientKey, "client_secret: " + DemoClientSecret,
		"redirect_uri: " + DemoRedirectURI, "app: " + DemoAppName, "client_key: " + BasicClientKey} {
		if !strings.Contains(sum, want+"\n") {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
}

func TestDemoData(t *testing.T) {
	apps, users := DemoApps(), DemoUsers()
	if apps[0].ClientKey != DemoClientKey || apps[0].ClientSecret != DemoClientSecret ||
		apps[0].RedirectURI != DemoRedirectURI || apps[0].Name != DemoAppName {
		t.Errorf("first demo app %+v", apps[0])
	}
	if len(users) < 2 {
		t.Fatalf("%d demo users", len(users))
	}
	seen := map[string]bool{}
	for _, u := range users {
		if u.OpenID == "" || u.Nickname == "" || seen[u.OpenID] {
			t.Errorf("demo user %+v", u)
		}
		seen[u.OpenID] = true
	}
	s := New(Options{})
	if got := s.Apps(); len(got) != len(apps) || len(s.Users()) != len(users) {
		t.Errorf("New(Options{}) has %d apps, %d users", len(got), len(s.Users()))
	}
	if New(Options{Apps: []App{}}).State().Apps != 0 {
		t.Error("an empty, non-nil app list got the demo apps")
	}
}

func TestLoadApps(t *testing.T) {
	apps, err := LoadApps(strings.NewReader(`[
		{"name":"One","client_key":"awone","client_secret":"s1","redirect_uri":"http://127.0.0.1:0/cb","scopes":["user_info"]},
		{"ClientKey":"awtwo","ClientSecret":"s2","RedirectURI":"https://example.com/cb","scope":"user_info, fans.list"}
	]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(apps) != 2 || apps[0].Name != "One" || apps[1].Name != "awtwo" || apps[1].ClientSecret != "s2" ||
		strings.Join(apps[1].Scopes, ",") != "user_info,fans.list" {
		t.Errorf("apps %+v", apps)
	}
	b, _ := json.Marshal(apps)
	again, err := LoadApps(bytes.NewReader(b))
	if err != nil || len(again) != 2 || again[0].ClientKey != "awone" {
		t.Errorf("LoadApps of marshalled apps: %v %+v", err, again)
	}
	for _, bad := range []string{
		`{}`,
		`[{"client_secret":"s","redirect_uri":"https://e.com/cb"}]`,
		`[{"client_key":"k","redirect_uri":"https://e.com/cb"}]`,
		`[{"client_key":"k","client_secret":"s","redirect_uri":"/cb"}]`,
		`[{"client_key":"k","client_secret":"s","redirect_uri":"https://e.com/cb","colour":"red"}]`,
		`[{"client_key":"k","client_secret":"s","redirect_uri":"https://e.com/cb"},{"client_key":"k","client_secret":"t","redirect_uri":"https://e.com/cb"}]`,
		`[{"client_key":"k","client_secret":"s","redirect_uri":"https://e.com/cb","scopes":["a b"]}]`,
		`[] []`,
	} {
		if _, err := LoadApps(strings.NewReader(bad)); err == nil {
			t.Errorf("LoadApps(%s) succeeded", bad)
		}
	}
}

func TestAddAppWithFreePort(t *testing.T) {
	e := newEnv(t, nil)
	e.s.AddApp(App{ClientKey: "awfree", ClientSecret: "sec", RedirectURI: "http://127.0.0.1:0/callback"})
	code := e.authorize("awfree", "http://127.0.0.1:51234/callback", "user_info,fans.list", nil)
	d := data(t, e.postForm(PathAccessToken, url.Values{"client_key": {"awfree"}, "client_secret": {"sec"},
		"code": {code}, "grant_type": {"authorization_code"}}))
	if num(t, d["error_code"]) != 0 || d["scope"] != "user_info,fans.list" {
		t.Errorf("exchange for added app: %v", d)
	}
	// Replacing the app changes its secret.
	e.s.AddApp(App{ClientKey: "awfree", ClientSecret: "new", RedirectURI: "http://127.0.0.1:0/callback"})
	code = e.authorize("awfree", "http://127.0.0.1:51234/callback", "user_info", nil)
	wantOAuthError(t, e.postForm(PathAccessToken, url.Values{"client_key": {"awfree"}, "client_secret": {"sec"},
		"code": {code}, "grant_type": {"authorization_code"}}), 10013)
}

func TestDescriptionsCoverContractTable(t *testing.T) {
	for _, c := range []int{10001, 10002, 10003, 10004, 10005, 10006, 10007, 10008, 10010, 10011, 10012,
		10013, 10014, 10015, 10020, 2100004, 2100005, 2100007, 2190002, 2190008, 2190015, 28001003,
		28001005, 28001006, 28001007, 28001008, 28001012, 28001014, 28001015, 28001016, 28001018, 28001020,
		28001021, 28003017, 28003018} {
		if d := Description(c); d == "" || d == "Unknown error" {
			t.Errorf("no description for %d", c)
		}
	}
	if Description(1) != "Unknown error" {
		t.Error("unknown code described")
	}
}
