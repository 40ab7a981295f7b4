package auth

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func startCallback(t *testing.T) (*CallbackServer, string, string) {
	t.Helper()
	state := NewState()
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
	state := NewState()
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
