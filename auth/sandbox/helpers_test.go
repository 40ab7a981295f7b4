package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Test apps. The test app registers a port-0 loopback redirect URI, so any
// port on 127.0.0.1 with path /cb is accepted.
const (
	testKey      = "awtestapp0001"
	testSecret   = "test-secret-0001"
	testRegURI   = "http://127.0.0.1:0/cb"
	testRedirect = "http://127.0.0.1:45678/cb"
	otherKey     = "awotherapp0002"
	otherSecret  = "other-secret-0002"
	otherURI     = "https://example.com/douyin/callback"
)

var testBase = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

type env struct {
	t   *testing.T
	s   *Sandbox
	srv *httptest.Server
	c   *http.Client
}

func testApps() []App {
	return append([]App{
		{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI,
			Scopes: []string{"user_info", "renew_refresh_token", "trial.whitelist", "video.list.bind"}},
		{Name: "Other App", ClientKey: otherKey, ClientSecret: otherSecret, RedirectURI: otherURI,
			Scopes: []string{"user_info", "trial.whitelist"}},
	}, DemoApps()...)
}

// newEnv starts a sandbox with the test apps and a fixed clock on an
// httptest server.
func newEnv(t *testing.T, mutate func(*Options)) *env {
	t.Helper()
	opts := Options{Apps: testApps(), Now: func() time.Time { return testBase }}
	if mutate != nil {
		mutate(&opts)
	}
	s := New(opts)
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		srv.Close()
		_ = s.Close()
	})
	c := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &env{t: t, s: s, srv: srv, c: c}
}

type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r resp) json(t *testing.T) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("response is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (e *env) do(req *http.Request) resp {
	e.t.Helper()
	res, err := e.c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, header: res.Header, body: b}
}

func (e *env) get(path string, q url.Values) resp {
	e.t.Helper()
	u := e.srv.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do(req)
}

func (e *env) postForm(path string, v url.Values) resp {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(v.Encode()))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return e.do(req)
}

func (e *env) postJSON(path string, v any) resp {
	e.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, bytes.NewReader(b))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return e.do(req)
}

func authParams(key, redirect, scope, state string) url.Values {
	return url.Values{
		"client_key": {key}, "response_type": {"code"}, "scope": {scope},
		"redirect_uri": {redirect}, "state": {state},
	}
}

// consent posts the consent form with action and returns the response.
func (e *env) consent(v url.Values, action string, extra url.Values) resp {
	e.t.Helper()
	form := url.Values{}
	for k, vs := range v {
		form[k] = vs
	}
	for k, vs := range extra {
		form[k] = vs
	}
	form.Set("action", action)
	return e.postForm(PathConnect, form)
}

// authorize runs the consent page for the test app and returns the code.
func (e *env) authorize(key, redirect, scope string, extra url.Values) string {
	e.t.Helper()
	r := e.consent(authParams(key, redirect, scope, "st"), "agree", extra)
	if r.status != http.StatusFound {
		e.t.Fatalf("agree: status %d, want 302\n%s", r.status, r.body)
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	code := loc.Query().Get("code")
	if code == "" {
		e.t.Fatalf("agree: no code in %s", loc)
	}
	return code
}

// tokens authorizes scope for the test app and exchanges the code.
func (e *env) tokens(scope string, extra url.Values) map[string]any {
	e.t.Helper()
	code := e.authorize(testKey, testRedirect, scope, extra)
	r := e.postForm(PathAccessToken, url.Values{"client_key": {testKey}, "client_secret": {testSecret},
		"code": {code}, "grant_type": {"authorization_code"}})
	d := data(e.t, r)
	if n := num(e.t, d["error_code"]); n != 0 {
		e.t.Fatalf("access_token: error_code %d\n%s", n, r.body)
	}
	return d
}

func data(t *testing.T, r resp) map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", r.status, r.body)
	}
	d, ok := r.json(t)["data"].(map[string]any)
	if !ok {
		t.Fatalf("no data object in %s", r.body)
	}
	return d
}

// num reads a JSON number, or a number sent as a string.
func num(t *testing.T, v any) int64 {
	t.Helper()
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = x
	default:
		t.Fatalf("%v (%T) is not a number", v, v)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("%q is not an integer", s)
	}
	return n
}

func str(t *testing.T, v any) string {
	t.Helper()
	s, ok := v.(string)
	if !ok {
		t.Fatalf("%v (%T) is not a string", v, v)
	}
	return s
}

// wantOAuthError checks r is the platform's error shape with code.
func wantOAuthError(t *testing.T, r resp, code int) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200\n%s", r.status, r.body)
	}
	m := r.json(t)
	d, _ := m["data"].(map[string]any)
	x, _ := m["extra"].(map[string]any)
	if d == nil || x == nil {
		t.Fatalf("not the error shape: %s", r.body)
	}
	if got := num(t, d["error_code"]); got != int64(code) {
		t.Fatalf("error_code %d, want %d\n%s", got, code, r.body)
	}
	if m["message"] != "error" {
		t.Errorf("message %v, want error", m["message"])
	}
	if desc := str(t, d["description"]); !strings.HasPrefix(desc, Description(code)) || desc == "Unknown error" {
		t.Errorf("description %q does not start with %q", desc, Description(code))
	}
	if str(t, x["logid"]) == "" {
		t.Error("extra.logid is empty")
	}
	if num(t, x["sub_error_code"]) != 0 || x["sub_description"] != "" {
		t.Errorf("extra sub fields: %v", x)
	}
	if num(t, x["now"]) < testBase.UnixMilli() {
		t.Errorf("extra.now %v before the sandbox clock", x["now"])
	}
}

func tokenForm(code string) url.Values {
	return url.Values{"client_key": {testKey}, "client_secret": {testSecret}, "code": {code},
		"grant_type": {"authorization_code"}}
}
