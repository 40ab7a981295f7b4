package auth

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

func startCallback(t *testing.T) (*CallbackServer, string, string) {
	t.Helper()
	state := newState()
	s, err := ListenCallback("http://127.0.0.1:0/callback", state, CallbackOptions{Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, s.RedirectURI(), state
}

func get(t *testing.T, rawURL string, mutate func(*http.Request)) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(req)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func noResult(t *testing.T, s *CallbackServer) {
	t.Helper()
	select {
	case cb := <-s.Result():
		t.Fatalf("a rejected request produced a result: %+v", cb)
	default:
	}
}

func TestCallbackHostileRequestsThenRealOne(t *testing.T) {
	s, redirect, state := startCallback(t)
	u, _ := url.Parse(redirect)
	base := "http://" + u.Host
	code := "REALCODE1234567890"
	script := "<script>alert(1)</script>"

	cases := []struct {
		name   string
		url    string
		mutate func(*http.Request)
		status int
	}{
		{"wrong state", redirect + "?code=x&state=wrong", nil, 400},
		{"missing state", redirect + "?code=x", nil, 400},
		{"empty state", redirect + "?code=x&state=", nil, 400},
		{"foreign host", redirect + "?code=x&state=" + state, func(r *http.Request) { r.Host = "evil.example:" + u.Port() }, 421},
		{"loopback host wrong port", redirect + "?code=x&state=" + state, func(r *http.Request) { r.Host = "127.0.0.1:1" }, 421},
		{"post", redirect + "?code=x&state=" + state, func(r *http.Request) { r.Method = http.MethodPost }, 405},
		{"other path", base + "/other?code=x&state=" + state, nil, 404},
		{"path traversal", base + "/callback/../../etc/passwd?state=" + state, func(r *http.Request) { r.URL.Opaque = "/callback/../../etc/passwd" }, 404},
		{"huge query", redirect + "?code=x&state=" + state + "&pad=" + strings.Repeat("a", 1<<20), nil, 0},
		{"script in description", redirect + "?error=x&error_description=" + url.QueryEscape(script) + "&state=wrong", nil, 400},
		{"head with state", redirect + "?code=x&state=" + state, func(r *http.Request) { r.Method = http.MethodHead }, 200},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(http.MethodGet, c.url, nil)
		if c.mutate != nil {
			c.mutate(req)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if c.status == 0 {
			if resp.StatusCode < 400 {
				t.Errorf("%s: status %d, want an error status", c.name, resp.StatusCode)
			}
		} else if resp.StatusCode != c.status {
			t.Errorf("%s: status %d, want %d", c.name, resp.StatusCode, c.status)
		}
		if strings.Contains(string(body), "<script>") {
			t.Errorf("%s: page reflects a script tag", c.name)
		}
		noResult(t, s)
	}

	// Many concurrent bogus requests before the real one.
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, err := http.Get(fmt.Sprintf("%s?code=bogus%d&state=bogus%d", redirect, i, i))
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode != 400 {
					t.Errorf("bogus request %d: %d", i, resp.StatusCode)
				}
			}
		}(i)
	}
	wg.Wait()
	noResult(t, s)

	resp, body := get(t, redirect+"?code="+code+"&state="+url.QueryEscape(state)+"&scopes=user_info", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Authorization complete") {
		t.Fatalf("real callback: %d %s", resp.StatusCode, body)
	}
	if strings.Contains(body, code) {
		t.Fatal("the success page echoes the code")
	}
	for h, want := range map[string]string{
		"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
	} {
		if got := resp.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	select {
	case cb := <-s.Result():
		if cb.Code != code || cb.Scopes != "user_info" {
			t.Fatalf("result %+v", cb)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no result")
	}

	// Replayed code after success: the server is closed or answers 410.
	time.Sleep(50 * time.Millisecond)
	if resp, err := http.Get(redirect + "?code=" + code + "&state=" + url.QueryEscape(state)); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			t.Fatal("replay accepted")
		}
	}
}

func TestCallbackPlatformErrorIsEscapedAndEndsFlow(t *testing.T) {
	s, redirect, state := startCallback(t)
	desc := `<script>alert("x")</script>`
	resp, body := get(t, redirect+"?error=access_denied&error_code=10007&error_description="+url.QueryEscape(desc)+"&state="+url.QueryEscape(state), func(r *http.Request) {
		r.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	})
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Fatalf("description not escaped: %s", body)
	}
	if !strings.Contains(body, "Authorization not completed") {
		t.Fatalf("page not in the server's language: %s", body)
	}
	cb := <-s.Result()
	if !cb.failed() || cb.ErrorCode != 10007 {
		t.Fatalf("callback %+v", cb)
	}
}

func TestCallbackLocalizedByBrowser(t *testing.T) {
	state := newState()
	s, err := ListenCallback("http://localhost:0/cb", state, CallbackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, body := get(t, s.RedirectURI()+"?code=abcdefgh12&state="+url.QueryEscape(state), func(r *http.Request) {
		r.Header.Set("Accept-Language", "zh-CN")
	})
	if !strings.Contains(body, "授权完成") {
		t.Fatalf("page not Chinese: %s", body)
	}
}

func TestCallbackListensOnLoopbackOnly(t *testing.T) {
	s, redirect, _ := startCallback(t)
	u, _ := url.Parse(redirect)
	if u.Hostname() != "127.0.0.1" {
		t.Fatalf("redirect host %s", u.Hostname())
	}
	// The port must not answer on any non-loopback address of this machine.
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLoopback() {
			continue
		}
		c, err := net.DialTimeout("tcp", net.JoinHostPort(ipn.IP.String(), s.Port()), 300*time.Millisecond)
		if err == nil {
			c.Close()
			t.Errorf("callback port answers on %s", ipn.IP)
		}
	}
	if _, err := ListenCallback("http://0.0.0.0:0/cb", "x", CallbackOptions{}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("0.0.0.0 accepted: %v", err)
	}
	if _, err := ListenCallback("https://example.com/cb", "x", CallbackOptions{}); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("remote host accepted: %v", err)
	}
}

func TestCallbackPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	_, err = ListenCallback("http://127.0.0.1:"+port+"/cb", "x", CallbackOptions{})
	var le *ListenError
	if !errors.As(err, &le) || !le.InUse() {
		t.Fatalf("err = %v", err)
	}
	for _, lang := range []string{"en", "zh"} {
		if msg := le.Message(lang); !strings.Contains(msg, port) {
			t.Errorf("%s message does not name the port: %s", lang, msg)
		}
	}
}

func TestCallbackHostWithImplicitPort(t *testing.T) {
	s := &CallbackServer{port: "80", implicitPort: true}
	for host, want := range map[string]bool{"127.0.0.1": true, "127.0.0.1:80": true, "localhost": true, "evil.example": false, "127.0.0.1:8080": false} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v", host, got)
		}
	}
	explicit := &CallbackServer{port: "8791"}
	if explicit.hostAllowed("127.0.0.1") {
		t.Error("a Host without the port is allowed for an explicit port")
	}
}

func TestCallbackKeepsAFixedPortRedirectURI(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	ln.Close()
	uri := "http://localhost:" + port + "/cb"
	s, err := ListenCallback(uri, "x", CallbackOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.RedirectURI() != uri {
		t.Fatalf("redirect URI rewritten to %s", s.RedirectURI())
	}
}

// holdIPv6 listens on host (::1, or :: for every IPv6 address) at a port
// whose 127.0.0.1 twin is free, as another local program could. It skips
// the test on a machine without an IPv6 loopback.
func holdIPv6(t *testing.T, network, host string) string {
	t.Helper()
	if ln, err := net.Listen("tcp", "[::1]:0"); err != nil {
		t.Skipf("no IPv6 loopback on this machine: %v", err)
	} else {
		ln.Close()
	}
	for range 20 {
		ln, err := net.Listen(network, net.JoinHostPort(host, "0"))
		if err != nil {
			t.Skipf("cannot listen on %s: %v", host, err)
		}
		port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
		if v4, err := net.Listen("tcp", "127.0.0.1:"+port); err == nil {
			v4.Close()
			t.Cleanup(func() { ln.Close() })
			return port
		}
		ln.Close()
	}
	t.Skip("no port free on 127.0.0.1 whose IPv6 twin could be held")
	return ""
}

// TestCallbackLocalhostRefusesAHeldIPv6Port: a browser may resolve localhost
// to [::1] first, so a program holding [::1]:PORT would receive the code.
// The server refuses to start, names the address and suggests 127.0.0.1.
func TestCallbackLocalhostRefusesAHeldIPv6Port(t *testing.T) {
	for _, holder := range []struct{ network, host string }{{"tcp", "::1"}, {"tcp6", "::"}} {
		t.Run(holder.network+" "+holder.host, func(t *testing.T) {
			port := holdIPv6(t, holder.network, holder.host)
			for _, uri := range []string{"http://localhost:" + port + "/cb", "http://localhost:" + port} {
				s, err := ListenCallback(uri, "x", CallbackOptions{})
				if err == nil {
					s.Close()
					t.Fatalf("%s: listened while another program holds [::1]:%s", uri, port)
				}
				var le *ListenError
				if !errors.As(err, &le) || le.Addr != "[::1]:"+port {
					t.Fatalf("%s: err = %#v", uri, err)
				}
				for _, lang := range []string{"en", "zh"} {
					msg := le.Message(lang)
					if !strings.Contains(msg, "[::1]:"+port) || !strings.Contains(msg, "127.0.0.1") {
						t.Errorf("%s message names neither the address nor the cure: %s", lang, msg)
					}
				}
				if !strings.Contains(le.Message("zh"), "回调地址") || le.Message("zh") == le.Message("en") {
					t.Errorf("zh message not in Chinese: %s", le.Message("zh"))
				}
			}
			// Nothing is left bound, and the literal 127.0.0.1 still works.
			s, err := ListenCallback("http://127.0.0.1:"+port+"/cb", "x", CallbackOptions{})
			if err != nil {
				t.Fatalf("127.0.0.1 after the refusal: %v", err)
			}
			s.Close()
		})
	}
}

// TestCallbackLocalhostBindsBothOnOnePort: with port 0, localhost is served
// on 127.0.0.1 and [::1] at the same port.
func TestCallbackLocalhostBindsBothOnOnePort(t *testing.T) {
	holdIPv6Skip(t)
	for range 5 {
		state := newState()
		s, err := ListenCallback("http://localhost:0/cb", state, CallbackOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, host := range []string{"127.0.0.1", "::1"} {
			c, err := net.DialTimeout("tcp", net.JoinHostPort(host, s.Port()), time.Second)
			if err != nil {
				t.Errorf("%s:%s does not answer: %v", host, s.Port(), err)
				continue
			}
			c.Close()
		}
		s.Close()
	}
}

// TestCallbackLiteralAddressBindsOnlyItself: a redirect URI naming 127.0.0.1
// or [::1] is reached only there, so the other family is left alone.
func TestCallbackLiteralAddressBindsOnlyItself(t *testing.T) {
	holdIPv6Skip(t)
	for uri, other := range map[string]string{"http://127.0.0.1:0/cb": "::1", "http://[::1]:0/cb": "127.0.0.1"} {
		s, err := ListenCallback(uri, "x", CallbackOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if c, err := net.DialTimeout("tcp", net.JoinHostPort(other, s.Port()), time.Second); err == nil {
			c.Close()
			t.Errorf("%s also listens on %s", uri, other)
		}
		s.Close()
	}
	port := holdIPv6(t, "tcp", "::1")
	s, err := ListenCallback("http://127.0.0.1:"+port+"/cb", "x", CallbackOptions{})
	if err != nil {
		t.Fatalf("127.0.0.1 refused because [::1] is held: %v", err)
	}
	s.Close()
}

// holdIPv6Skip skips the test on a machine without an IPv6 loopback.
func holdIPv6Skip(t *testing.T) {
	t.Helper()
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback on this machine: %v", err)
	}
	ln.Close()
}

// fakeNet stands in for net.Listen: it hands out ports in order, answers
// "in use" for held addresses and lacks ::1 when noIPv6 is set.
type fakeNet struct {
	inUse    error
	held     func(addr string) bool
	noIPv6   bool
	refuseV6 error // any other failure of [::1] at a fixed port
	next     int
	open     map[string]bool
	tries    int
}

type fakeListener struct {
	n    *fakeNet
	addr *net.TCPAddr
}

func (l *fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (l *fakeListener) Addr() net.Addr            { return l.addr }
func (l *fakeListener) Close() error {
	delete(l.n.open, l.addr.String())
	return nil
}

func (n *fakeNet) listen(network, address string) (net.Listener, error) {
	host, port, _ := net.SplitHostPort(address)
	if host == "127.0.0.1" {
		n.tries++
	}
	if port == "0" {
		n.next++
		port = strconv.Itoa(40000 + n.next)
	}
	addr := net.JoinHostPort(host, port)
	switch {
	case host == "::1" && n.noIPv6:
		return nil, &net.OpError{Op: "listen", Net: network, Err: errors.New("cannot assign requested address")}
	case n.held != nil && n.held(addr):
		return nil, &net.OpError{Op: "listen", Net: network, Err: n.inUse}
	case host == "::1" && n.refuseV6 != nil && address == addr:
		return nil, &net.OpError{Op: "listen", Net: network, Err: n.refuseV6}
	}
	if n.open == nil {
		n.open = map[string]bool{}
	}
	n.open[addr] = true
	p, _ := strconv.Atoi(port)
	return &fakeListener{n, &net.TCPAddr{IP: net.ParseIP(host), Port: p}}, nil
}

// inUseError is this platform's error for binding a taken port.
func inUseError(t *testing.T) error {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, err = net.Listen("tcp", ln.Addr().String())
	if !AddrInUse(err) {
		t.Skipf("a second bind does not report the port in use here: %v", err)
	}
	return err
}

func TestBindLoopback(t *testing.T) {
	inUse := inUseError(t)
	localhost := loopbackHosts("localhost")
	cases := []struct {
		name  string
		hosts []string
		port  string
		net   fakeNet
		bound []string // addresses left listening; none means an error
		tries int      // binds of 127.0.0.1
	}{
		{"both free", localhost, "8790", fakeNet{}, []string{"127.0.0.1:8790", "[::1]:8790"}, 1},
		{"port 0 ends on one port", localhost, "0", fakeNet{}, []string{"127.0.0.1:40001", "[::1]:40001"}, 1},
		{"port 0 moves past a held twin", localhost, "0",
			fakeNet{held: func(a string) bool { return a == "[::1]:40001" || a == "[::1]:40002" }},
			[]string{"127.0.0.1:40003", "[::1]:40003"}, 3},
		{"port 0 gives up", localhost, "0", fakeNet{held: func(a string) bool { return strings.HasPrefix(a, "[::1]") }}, nil, portAttempts},
		{"fixed port twin held", localhost, "8790", fakeNet{held: func(a string) bool { return a == "[::1]:8790" }}, nil, 1},
		{"IPv4 held", localhost, "8790", fakeNet{held: func(a string) bool { return a == "127.0.0.1:8790" }}, nil, 1},
		{"no IPv6 on this machine", localhost, "8790", fakeNet{noIPv6: true}, []string{"127.0.0.1:8790"}, 1},
		{"no IPv6, port 0", localhost, "0", fakeNet{noIPv6: true}, []string{"127.0.0.1:40001"}, 1},
		{"twin refused, ::1 present", localhost, "8790", fakeNet{refuseV6: errors.New("permission denied")}, nil, 1},
		{"twin refused, ::1 ports exhausted", localhost, "8790",
			fakeNet{refuseV6: errors.New("permission denied"), held: func(a string) bool { return strings.HasPrefix(a, "[::1]") && a != "[::1]:8790" }}, nil, 1},
		{"literal 127.0.0.1 ignores ::1", loopbackHosts("127.0.0.1"), "8790",
			fakeNet{held: func(a string) bool { return strings.HasPrefix(a, "[::1]") }}, []string{"127.0.0.1:8790"}, 1},
		{"literal ::1 ignores 127.0.0.1", loopbackHosts("::1"), "8790",
			fakeNet{held: func(a string) bool { return strings.HasPrefix(a, "127.") }}, []string{"[::1]:8790"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := c.net
			n.inUse = inUse
			lns, err := bindLoopback(c.hosts, c.port, n.listen)
			if n.tries != c.tries {
				t.Errorf("bound 127.0.0.1 %d times, want %d", n.tries, c.tries)
			}
			var got []string
			for a := range n.open {
				got = append(got, a)
			}
			slices.Sort(got)
			if !slices.Equal(got, c.bound) {
				t.Fatalf("listening on %v, want %v (err %v)", got, c.bound, err)
			}
			if c.bound == nil {
				var le *ListenError
				if !errors.As(err, &le) || le.Addr == "" {
					t.Fatalf("err = %#v", err)
				}
				if named := map[bool]string{true: le.Addr, false: le.Port}[le.Localhost]; !strings.Contains(le.Message("zh"), named) {
					t.Errorf("message does not name %s: %s", named, le.Message("zh"))
				}
				return
			}
			if err != nil || len(lns) != len(c.bound) {
				t.Fatalf("%d listeners, err %v", len(lns), err)
			}
		})
	}
}
