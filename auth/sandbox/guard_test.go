package sandbox

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// rawReq is a request written byte for byte, so that tests can send any
// Host and repeated headers.
type rawReq struct {
	method, path string
	host         string // "-": no Host line, as HTTP/1.0
	header       [][2]string
	body         string
}

// send writes rq to the server at addr and returns the status and body.
func send(t *testing.T, addr string, rq rawReq) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	var b strings.Builder
	if rq.host == "-" {
		fmt.Fprintf(&b, "%s %s HTTP/1.0\r\n", rq.method, rq.path)
	} else {
		fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", rq.method, rq.path, rq.host)
	}
	fmt.Fprintf(&b, "Connection: close\r\nContent-Length: %d\r\n", len(rq.body))
	for _, h := range rq.header {
		fmt.Fprintf(&b, "%s: %s\r\n", h[0], h[1])
	}
	b.WriteString("\r\n" + rq.body)
	if _, err := io.WriteString(conn, b.String()); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// surface is one guarded endpoint: a legitimate request to it, and how to
// tell whether a request took effect.
type surface struct {
	name    string
	method  string
	path    string
	ctype   string
	body    string
	setup   func(*Sandbox)
	changed func(*Sandbox) bool
	ok      int // status of an accepted request
}

func surfaces() []surface {
	agree := authParams(testKey, testRedirect, "user_info", "st")
	agree.Set("action", "agree")
	return []surface{
		{name: "clock", method: http.MethodPost, path: "/_sandbox/clock", ctype: "application/json",
			body: `{"advance_ms":60000}`, ok: http.StatusOK,
			changed: func(s *Sandbox) bool { return !s.Now().Equal(testBase) }},
		{name: "inject fault", method: http.MethodPost, path: "/_sandbox/fault", ctype: "application/json",
			body: `{"status":502}`, ok: http.StatusOK,
			changed: func(s *Sandbox) bool { return len(s.Faults()) != 0 }},
		{name: "clear faults", method: http.MethodDelete, path: "/_sandbox/fault", ctype: "application/json",
			ok:      http.StatusNoContent,
			setup:   func(s *Sandbox) { s.Inject(Fault{Status: 502}) },
			changed: func(s *Sandbox) bool { return len(s.Faults()) == 0 }},
		{name: "revoke", method: http.MethodPost, path: "/_sandbox/revoke", ctype: "application/json",
			body: `{"client_key":"` + testKey + `","open_id":"u1"}`, ok: http.StatusOK,
			setup: func(s *Sandbox) {
				s.mu.Lock()
				s.access["act.guarded"] = &accessRec{clientKey: testKey, openID: "u1", expiry: testBase.Add(time.Hour)}
				s.mu.Unlock()
			},
			changed: func(s *Sandbox) bool { return !s.TokenValid("act.guarded") }},
		{name: "state", method: http.MethodGet, path: "/_sandbox/state", ok: http.StatusOK},
		{name: "faults", method: http.MethodGet, path: "/_sandbox/fault", ok: http.StatusOK},
		{name: "consent", method: http.MethodPost, path: PathConnect, ctype: "application/x-www-form-urlencoded",
			body: agree.Encode(), ok: http.StatusFound,
			changed: func(s *Sandbox) bool { return s.State().LiveCodes != 0 }},
	}
}

// guardCase changes the legitimate request of a surface; want is the
// status it must get, 0 for the surface's own success.
type guardCase struct {
	name   string
	host   func(port string) string
	header [][2]string
	ctype  *string // replaces the surface's Content-Type; "" sends none
	want   int
	writes bool // applies only to surfaces that change state
}

func ctype(s string) *string { return &s }

func hostCases() []guardCase {
	refused := func(name string, host func(string) string) guardCase {
		return guardCase{name: "Host " + name, host: host, want: http.StatusForbidden}
	}
	accepted := func(name string, host func(string) string) guardCase {
		return guardCase{name: "Host " + name, host: host}
	}
	with := func(h string) func(string) string { return func(p string) string { return h + ":" + p } }
	return []guardCase{
		refused("foreign name", with("evil.example")),
		refused("foreign name without port", func(string) string { return "evil.example" }),
		refused("nip.io rebinding", with("127.0.0.1.nip.io")),
		refused("localhost suffix", with("localhost.evil")),
		refused("localhost with a dot", with("localhost.")),
		refused("subdomain of localhost", with("app.localhost")),
		refused("localhost.localdomain", with("localhost.localdomain")),
		refused("wrong port", func(string) string { return "127.0.0.1:1" }),
		refused("next port", func(p string) string { n, _ := strconv.Atoi(p); return "localhost:" + strconv.Itoa(n+1) }),
		refused("port with a leading zero", func(p string) string { return "127.0.0.1:0" + p }),
		refused("no port", func(string) string { return "127.0.0.1" }),
		refused("empty port", func(string) string { return "127.0.0.1:" }),
		refused("port twice", func(p string) string { return "127.0.0.1:" + p + ":" + p }),
		refused("unspecified IPv4", with("0.0.0.0")),
		refused("unspecified IPv6", with("[::]")),
		refused("private address", with("192.168.1.10")),
		refused("decimal IPv4", with("2130706433")),
		refused("hexadecimal IPv4", with("0x7f000001")),
		refused("short IPv4", with("127.1")),
		refused("octal IPv4", with("0177.0.0.1")),
		refused("IPv6 with a zone", with("[::1%25lo]")),
		refused("IPv4-mapped private", with("[::ffff:10.0.0.1]")),
		refused("IPv6 loopback without brackets", with("::1")),
		refused("empty", func(string) string { return "" }),
		refused("absent", func(string) string { return "-" }),
		accepted("127.0.0.1", with("127.0.0.1")),
		accepted("localhost", with("localhost")),
		accepted("LOCALHOST", with("LOCALHOST")),
		accepted("another 127/8 address", with("127.42.0.7")),
		accepted("[::1]", with("[::1]")),
		accepted("IPv4-mapped loopback", with("[::ffff:127.0.0.1]")),
	}
}

func originCases() []guardCase {
	refused := func(name string, headers ...string) guardCase {
		c := guardCase{name: name, want: http.StatusForbidden}
		for i := 0; i+1 < len(headers); i += 2 {
			c.header = append(c.header, [2]string{headers[i], headers[i+1]})
		}
		return c
	}
	accepted := func(name string, headers ...string) guardCase {
		c := refused(name, headers...)
		c.want = 0
		return c
	}
	return []guardCase{
		refused("Origin foreign", "Origin", "http://evil.example"),
		refused("Origin foreign with the port", "Origin", "http://evil.example:{port}"),
		refused("Origin null", "Origin", "null"),
		refused("Origin empty", "Origin", ""),
		refused("Origin other port", "Origin", "http://127.0.0.1:1"),
		refused("Origin without port", "Origin", "http://127.0.0.1"),
		refused("Origin https", "Origin", "https://127.0.0.1:{port}"),
		refused("Origin localhost for Host 127.0.0.1", "Origin", "http://localhost:{port}"),
		refused("Origin rebinding name", "Origin", "http://127.0.0.1.nip.io:{port}"),
		refused("Origin with a path", "Origin", "http://127.0.0.1:{port}/"),
		refused("Origin with user info", "Origin", "http://user@127.0.0.1:{port}"),
		refused("Origin file", "Origin", "file://"),
		refused("Origin extension", "Origin", "chrome-extension://abcdefghijklmnop"),
		refused("Origin twice", "Origin", "http://127.0.0.1:{port}", "Origin", "http://evil.example"),
		refused("Sec-Fetch-Site cross-site", "Sec-Fetch-Site", "cross-site"),
		refused("Sec-Fetch-Site same-site", "Sec-Fetch-Site", "same-site"),
		refused("Sec-Fetch-Site unknown", "Sec-Fetch-Site", "bogus"),
		refused("Sec-Fetch-Site cross-site with own Origin",
			"Origin", "http://127.0.0.1:{port}", "Sec-Fetch-Site", "cross-site"),
		refused("Sec-Fetch-Site twice", "Sec-Fetch-Site", "same-origin", "Sec-Fetch-Site", "cross-site"),
		accepted("own Origin", "Origin", "http://127.0.0.1:{port}"),
		accepted("own Origin, upper-case scheme", "Origin", "HTTP://127.0.0.1:{port}"),
		accepted("Sec-Fetch-Site same-origin", "Origin", "http://127.0.0.1:{port}", "Sec-Fetch-Site", "same-origin"),
		accepted("Sec-Fetch-Site none", "Sec-Fetch-Site", "none"),
	}
}

func contentTypeCases() []guardCase {
	refused := func(ct string) guardCase {
		return guardCase{name: "Content-Type " + strconv.Quote(ct), ctype: ctype(ct), want: http.StatusUnsupportedMediaType, writes: true}
	}
	accepted := func(ct string) guardCase {
		return guardCase{name: "Content-Type " + strconv.Quote(ct), ctype: ctype(ct), writes: true}
	}
	twice := refused("application/json")
	twice.name = "Content-Type twice"
	twice.header = [][2]string{{"Content-Type", "text/plain"}}
	return []guardCase{
		refused(""),
		refused("text/plain"),
		refused("text/plain;charset=UTF-8"),
		refused("application/x-www-form-urlencoded"),
		refused("multipart/form-data; boundary=x"),
		refused("text/plain; a=application/json"),
		refused("application/jsonp"),
		refused("application/x-json"),
		refused("application/json, text/plain"),
		refused("application/json; charset"),
		twice,
		accepted("application/json"),
		accepted("application/json; charset=utf-8"),
		accepted("Application/JSON"),
	}
}

// TestGuardRefusesWebPages sends every surface every hostile variation of
// its legitimate request, over a real connection, and checks the refusal
// took no effect while the legitimate variations still work.
func TestGuardRefusesWebPages(t *testing.T) {
	cases := append(append(hostCases(), originCases()...), contentTypeCases()...)
	for _, sf := range surfaces() {
		for _, c := range cases {
			if c.writes && sf.method == http.MethodGet || c.ctype != nil && sf.name == "consent" {
				continue
			}
			t.Run(sf.name+"/"+c.name, func(t *testing.T) { runGuardCase(t, sf, c) })
		}
	}
}

func runGuardCase(t *testing.T, sf surface, c guardCase) {
	e := newEnv(t, nil)
	if sf.setup != nil {
		sf.setup(e.s)
	}
	addr := e.srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	rq := rawReq{method: sf.method, path: sf.path, host: addr, body: sf.body}
	if c.host != nil {
		rq.host = c.host(port)
	}
	ct := sf.ctype
	if c.ctype != nil {
		ct = *c.ctype
	}
	if ct != "" {
		rq.header = append(rq.header, [2]string{"Content-Type", ct})
	}
	for _, h := range c.header {
		rq.header = append(rq.header, [2]string{h[0], strings.ReplaceAll(h[1], "{port}", port)})
	}
	status, body := send(t, addr, rq)
	want := c.want
	if want == 0 {
		want = sf.ok
	}
	if status != want {
		t.Fatalf("status %d, want %d: %s", status, want, body)
	}
	if sf.changed == nil {
		return
	}
	if changed := sf.changed(e.s); changed != (c.want == 0) {
		t.Errorf("took effect: %v, want %v", changed, c.want == 0)
	}
	if c.want != 0 && !strings.Contains(body, ": ") {
		t.Errorf("refusal gives no reason: %q", body)
	}
}

// localReq builds a request as a loopback client sends it to a server
// listening on 127.0.0.1:8790, for handlers called without a server.
func localReq(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.RemoteAddr = "127.0.0.1:50000"
	req.Host = "127.0.0.1:8790"
	req.Header.Set("Content-Type", "application/json")
	local := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8790}
	return req.WithContext(context.WithValue(req.Context(), http.LocalAddrContextKey, local))
}

func TestGuardRefusesOtherMachines(t *testing.T) {
	s := New(Options{Now: func() time.Time { return testBase }})
	h := s.Handler()
	agree := authParams(DemoClientKey, DemoRedirectURI, "user_info", "st")
	agree.Set("action", "agree")
	for _, remote := range []string{"203.0.113.5:4000", "192.168.1.10:1234", "[2001:db8::1]:80", "[::ffff:10.0.0.1]:80", "garbage", ""} {
		for _, c := range []struct{ method, path, body string }{
			{http.MethodPost, "/_sandbox/fault", `{"status":502}`},
			{http.MethodDelete, "/_sandbox/fault", ""},
			{http.MethodGet, "/_sandbox/state", ""},
			{http.MethodPost, "/_sandbox/clock", `{"advance_ms":60000}`},
			{http.MethodPost, PathConnect, agree.Encode()},
		} {
			req := localReq(c.method, c.path, c.body)
			req.RemoteAddr = remote
			if c.path == PathConnect {
				req.Header.Set("Content-Type", contentTypeFormEncoded)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusForbidden {
				t.Errorf("%s %s from %q: status %d, want 403", c.method, c.path, remote, rec.Code)
			}
		}
	}
	if st := s.State(); st.Faults != 0 || st.LiveCodes != 0 || !s.Now().Equal(testBase) {
		t.Errorf("a refused call took effect: %+v", st)
	}
	for _, remote := range []string{"127.0.0.1:5000", "127.9.9.9:5000", "[::1]:5000"} {
		req := localReq(http.MethodGet, "/_sandbox/state", "")
		req.RemoteAddr = remote
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("state from %s: %d %s", remote, rec.Code, rec.Body)
		}
	}
	// Without a server the listening port is unknown: refused.
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:8790/_sandbox/state", nil)
	req.RemoteAddr = "127.0.0.1:5000"
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden || !strings.Contains(rec.Body.String(), "unknown") {
		t.Errorf("no local address: %d %s", rec.Code, rec.Body)
	}
}

// TestConsentFromItsOwnPage posts the consent form as a browser does, with
// the page's Origin, on both loopback names, and checks that a cross-site
// navigation to the page itself still shows it.
func TestConsentFromItsOwnPage(t *testing.T) {
	e := newEnv(t, nil)
	_, port, _ := net.SplitHostPort(e.srv.Listener.Addr().String())
	q := authParams(testKey, testRedirect, "user_info", "st").Encode()
	for _, host := range []string{"127.0.0.1", "localhost"} {
		loc, err := sandboxtest.Consent("http://"+net.JoinHostPort(host, port)+PathConnect+"?"+q, "agree")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		if loc.Query().Get("code") == "" {
			t.Errorf("%s: no code in %s", host, loc)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+PathConnect+"?"+q, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := e.do(req); r.status != http.StatusOK {
		t.Errorf("consent page after a cross-site redirect: %d", r.status)
	}
}
