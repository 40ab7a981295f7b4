//go:build automation

package ui

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// hookAddr is the address the requests of these tests reach the hook on.
const hookAddr = "127.0.0.1:8799"

// hookRequest builds a request to the hook as a local client sends it: from
// loopback, to hookAddr, with a JSON body when body is not empty.
func hookRequest(method, target, body string) *http.Request {
	req := httptest.NewRequest(method, "http://"+hookAddr+target, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:50000"
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	local, _ := net.ResolveTCPAddr("tcp", hookAddr)
	return req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, local))
}

func serve(u *Window, req *http.Request) (int, string) {
	rec := httptest.NewRecorder()
	u.automationHandler().ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// call sends one request with a JSON body to the control API of u.
func call(t *testing.T, u *Window, method, target, body string) (int, string) {
	t.Helper()
	return serve(u, hookRequest(method, target, body))
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func tap(t *testing.T, u *Window, label string) int {
	t.Helper()
	code, _ := call(t, u, http.MethodPost, "/tap", jsonBody(t, map[string]string{"label": label}))
	return code
}

func state(t *testing.T, u *Window) automationState {
	t.Helper()
	code, body := call(t, u, http.MethodGet, "/state", "")
	var s automationState
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil {
		t.Fatalf("/state: %d %q %v", code, body, err)
	}
	return s
}

func textLines(t *testing.T, u *Window) []string {
	t.Helper()
	code, body := call(t, u, http.MethodGet, "/text", "")
	if code != http.StatusOK {
		t.Fatalf("/text: %d", code)
	}
	return strings.Split(strings.TrimSpace(body), "\n")
}

func TestAutomationDrivesTheSandboxFlow(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)

	lines := textLines(t, u)
	for _, want := range []string{"1 · Credentials", "Sandbox (offline)", "Save and authorize", "Profile name"} {
		if !slices.Contains(lines, want) {
			t.Fatalf("/text lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if slices.Contains(lines, "Start authorization") {
		t.Fatal("/text shows a button of a hidden tab")
	}
	if code, _ := call(t, u, http.MethodGet, "/tap", ""); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /tap: %d", code)
	}
	if code := tap(t, u, "No such button"); code != http.StatusNotFound {
		t.Fatalf("unknown label: %d", code)
	}
	// A button of a tab not shown cannot be tapped.
	if code := tap(t, u, "Start authorization"); code != http.StatusNotFound {
		t.Fatalf("hidden tab's button: %d", code)
	}
	if code, _ := call(t, u, http.MethodPost, "/tab", `{"index":1}`); code != http.StatusOK || state(t, u).Tab != 1 {
		t.Fatalf("/tab: %d", code)
	}
	if code := tap(t, u, "Start authorization"); code != http.StatusConflict {
		t.Fatalf("disabled button: %d", code)
	}
	if code, _ := call(t, u, http.MethodPost, "/tab", `{"index":9}`); code != http.StatusBadRequest {
		t.Fatalf("/tab out of range: %d", code)
	}
	call(t, u, http.MethodPost, "/tab", `{"index":0}`)
	// /select chooses an option of a visible drop-down by its beginning.
	if code, _ := call(t, u, http.MethodPost, "/select", `{"option":"Paste the"}`); code != http.StatusOK ||
		callbackModes[u.creds.mode.SelectedIndex()] != storage.ModePaste {
		t.Fatalf("/select: %d, mode %d", code, u.creds.mode.SelectedIndex())
	}
	if code, _ := call(t, u, http.MethodPost, "/select", `{"option":"no such option"}`); code != http.StatusNotFound {
		t.Fatalf("/select of a missing option: %d", code)
	}
	call(t, u, http.MethodPost, "/select", `{"option":"Capture on"}`)

	// The Sandbox button is inside a border container in the first tab.
	if code := tap(t, u, "Sandbox (offline)"); code != http.StatusOK {
		t.Fatalf("tap Sandbox: %d", code)
	}
	u.wait()
	if u.sandbox == nil {
		t.Fatal("the sandbox did not start")
	}
	// The rest runs on the test's own sandbox, whose app accepts any
	// loopback port.
	u.do(func() {
		u.creds.name.SetText("")
		u.creds.baseURL.SetText("")
		u.creds.clientKey.SetText("")
		u.creds.clientSecret.SetText("")
		u.creds.redirectURI.SetText("")
		u.creds.scopes.SetText(auth.DefaultScopes) // those the test's app holds
		fillCredentials(u, base)
	})
	// Save and authorize saves, then authorizes through the opener.
	u.openURL = automationBrowser
	if code := tap(t, u, "Save and authorize"); code != http.StatusOK {
		t.Fatalf("tap Save and authorize: %d", code)
	}
	u.wait()
	if s := state(t, u); s.Tab != tabTokens || s.Accounts != 1 || s.Waiting || s.Busy {
		t.Fatalf("after authorizing: %+v; %q %q", s, u.authz.status.Text, u.authz.errLabel.Text)
	}
	// Refresh sits in a card in a scroll in the selected tab.
	if code := tap(t, u, "Refresh"); code != http.StatusOK {
		t.Fatalf("tap Refresh: %d", code)
	}
	u.wait()
	if !slices.Contains(textLines(t, u), "Access token refreshed.") {
		t.Fatalf("no refresh note: %q", u.tokens.cards[0].errLabel.Text)
	}
	if lines := textLines(t, u); slices.Contains(lines, testApp.ClientSecret) {
		t.Fatal("/text shows the client secret")
	}

	// A dialog takes the taps: the card's and the dialog's button share
	// their label.
	if code := tap(t, u, "Forget account"); code != http.StatusOK {
		t.Fatalf("tap Forget account: %d", code)
	}
	if code := tap(t, u, "Verify"); code != http.StatusNotFound {
		t.Fatalf("a button behind the dialog was tapped: %d", code)
	}
	if code := tap(t, u, "Forget account"); code != http.StatusOK {
		t.Fatalf("confirm: %d", code)
	}
	u.wait()
	if s := state(t, u); s.Accounts != 0 {
		t.Fatalf("after forgetting: %+v", s)
	}

	if code, _ := call(t, u, http.MethodPost, "/lang", `{"lang":"zh"}`); code != http.StatusOK {
		t.Fatalf("/lang: %d", code)
	}
	u.wait()
	if !slices.Contains(textLines(t, u), "1 · 应用信息") {
		t.Fatal(`no Chinese text after /lang {"lang":"zh"}`)
	}
	if code, _ := call(t, u, http.MethodPost, "/lang", `{"lang":"fr"}`); code != http.StatusBadRequest {
		t.Fatalf(`/lang {"lang":"fr"}: %d`, code)
	}
	call(t, u, http.MethodPost, "/lang", `{"lang":"en"}`)
	u.wait()
}

func TestAutomationListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "localhost:0", "example.com:80", "127.0.0.1"} {
		if l, err := listenLoopback(addr); err == nil {
			l.Close()
			t.Errorf("%s accepted", addr)
		}
	}
	l, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}

// hookVariant changes a proper request to the hook; want 0 means the
// request still works.
type hookVariant struct {
	name   string
	edit   func(*http.Request)
	body   *string // replaces the JSON body of a POST
	want   int
	writes bool // applies to POST only
}

func withHost(h string) func(*http.Request) { return func(r *http.Request) { r.Host = h } }

func withHeader(kv ...string) func(*http.Request) {
	return func(r *http.Request) {
		for i := 0; i+1 < len(kv); i += 2 {
			r.Header.Add(kv[i], kv[i+1])
		}
	}
}

func withType(ct string) func(*http.Request) {
	return func(r *http.Request) {
		r.Header.Del("Content-Type")
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
	}
}

func withQuery(q string) func(*http.Request) { return func(r *http.Request) { r.URL.RawQuery = q } }

func hookVariants() []hookVariant {
	no := func(name string, edit func(*http.Request)) hookVariant {
		return hookVariant{name: name, edit: edit, want: http.StatusForbidden}
	}
	ok := func(name string, edit func(*http.Request)) hookVariant {
		return hookVariant{name: name, edit: edit}
	}
	media := func(ct, body string) hookVariant {
		return hookVariant{name: "Content-Type " + ct, edit: withType(ct), body: &body,
			want: http.StatusUnsupportedMediaType, writes: true}
	}
	badBody := func(body string) hookVariant {
		return hookVariant{name: "body " + body, body: &body, want: http.StatusBadRequest, writes: true}
	}
	return []hookVariant{
		no("peer 192.0.2.1", func(r *http.Request) { r.RemoteAddr = "192.0.2.1:5000" }),
		no("peer 2001:db8::1", func(r *http.Request) { r.RemoteAddr = "[2001:db8::1]:5000" }),
		no("Host evil.example", withHost("evil.example:8799")),
		no("Host evil.example without port", withHost("evil.example")),
		no("Host 127.0.0.1.nip.io", withHost("127.0.0.1.nip.io:8799")),
		no("Host localhost.evil", withHost("localhost.evil:8799")),
		no("Host localhost.", withHost("localhost.:8799")),
		no("Host attacker.localhost", withHost("attacker.localhost:8799")),
		no("Host wrong port", withHost("127.0.0.1:8790")),
		no("Host localhost wrong port", withHost("localhost:80")),
		no("Host without port", withHost("127.0.0.1")),
		no("Host 0.0.0.0", withHost("0.0.0.0:8799")),
		no("Host [::]", withHost("[::]:8799")),
		no("Host decimal IPv4", withHost("2130706433:8799")),
		no("Host empty", withHost("")),
		no("Origin foreign", withHeader("Origin", "http://evil.example")),
		no("Origin foreign with the port", withHeader("Origin", "http://evil.example:8799")),
		no("Origin null", withHeader("Origin", "null")),
		no("Origin empty", withHeader("Origin", "")),
		no("Origin other port", withHeader("Origin", "http://127.0.0.1:8790")),
		no("Origin https", withHeader("Origin", "https://127.0.0.1:8799")),
		no("Origin other loopback name", withHeader("Origin", "http://localhost:8799")),
		no("Origin twice", withHeader("Origin", "http://127.0.0.1:8799", "Origin", "http://evil.example")),
		no("Sec-Fetch-Site cross-site", withHeader("Sec-Fetch-Site", "cross-site")),
		no("Sec-Fetch-Site same-site", withHeader("Sec-Fetch-Site", "same-site")),
		no("Sec-Fetch-Site cross-site with own Origin",
			withHeader("Origin", "http://127.0.0.1:8799", "Sec-Fetch-Site", "cross-site")),
		media("text/plain", ""),
		media("text/plain", `{"index":3}`),
		media("application/x-www-form-urlencoded", "index=3"),
		media("multipart/form-data; boundary=x", "--x\r\nContent-Disposition: form-data; name=\"index\"\r\n\r\n3\r\n--x--\r\n"),
		media("", `{"index":3}`),
		media("application/jsonp", `{"index":3}`),
		{name: "query, text/plain, no body", body: new(string), want: http.StatusUnsupportedMediaType, writes: true,
			edit: func(r *http.Request) { withQuery("index=3")(r); withType("text/plain")(r) }},
		{name: "query, JSON type, no body", body: new(string), want: http.StatusBadRequest, writes: true,
			edit: withQuery("index=3")},
		badBody(""),
		badBody("index=3"),
		badBody(`{}`),
		badBody(`{"index":"3"}`),
		badBody(`{"index":3.5}`),
		badBody(`{"index":3,"label":"x"}`),
		badBody(`[3]`),
		ok("Host localhost", withHost("localhost:8799")),
		ok("Host LOCALHOST", withHost("LOCALHOST:8799")),
		ok("Host [::1]", withHost("[::1]:8799")),
		ok("Host 127.0.0.2", withHost("127.0.0.2:8799")),
		ok("own Origin", withHeader("Origin", "http://127.0.0.1:8799")),
		ok("Sec-Fetch-Site same-origin", withHeader("Origin", "http://127.0.0.1:8799", "Sec-Fetch-Site", "same-origin")),
		ok("Sec-Fetch-Site none", withHeader("Sec-Fetch-Site", "none")),
		ok("Content-Type with charset", withType("application/json; charset=utf-8")),
	}
}

// TestAutomationRefusesWebPages sends the hook what a web page could make a
// browser send — a simple cross-site POST, or any request through a name
// rebound to 127.0.0.1 — and checks that each is refused and changed
// nothing, while the proper variations still work.
func TestAutomationRefusesWebPages(t *testing.T) {
	u, _, _ := newTestApp(t)
	for _, target := range []struct{ method, path, body string }{
		{http.MethodPost, "/tab", `{"index":3}`},
		{http.MethodGet, "/text", ""},
		{http.MethodGet, "/state", ""},
	} {
		for _, v := range hookVariants() {
			post := target.method == http.MethodPost
			if v.writes && !post {
				continue
			}
			body := target.body
			if v.body != nil {
				body = *v.body
			}
			u.do(func() { u.show(0) })
			req := hookRequest(target.method, target.path, body)
			if post {
				req.Header.Set("Content-Type", "application/json")
			}
			if v.edit != nil {
				v.edit(req)
			}
			want := v.want
			if want == 0 {
				want = http.StatusOK
			}
			code, text := serve(u, req)
			if code != want {
				t.Errorf("%s %s, %s: %d %q, want %d", target.method, target.path, v.name, code, text, want)
			}
			if moved := state(t, u).Tab != 0; post && moved != (v.want == 0) {
				t.Errorf("%s %s, %s: tab moved: %v", target.method, target.path, v.name, moved)
			}
		}
	}
}
