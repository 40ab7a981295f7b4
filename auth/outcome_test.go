package auth

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startAwaiting starts a server whose page waits wait for the outcome.
func startAwaiting(t *testing.T, wait time.Duration) (*CallbackServer, string) {
	t.Helper()
	state := newState()
	s, err := ListenCallback("http://127.0.0.1:0/callback", state, CallbackOptions{AwaitOutcome: true, pageWait: wait})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, state
}

// finishAfter plays the server's owner: it takes the callback, works for d,
// and reports err.
func finishAfter(s *CallbackServer, d time.Duration, err error) {
	go func() {
		<-s.Result()
		time.Sleep(d)
		s.Finish(err)
	}()
}

// closedWithin fails unless the server has closed within d.
func closedWithin(t *testing.T, s *CallbackServer, d time.Duration) {
	t.Helper()
	select {
	case <-s.done:
	case <-time.After(d):
		t.Fatal("the server is still up after showing the outcome")
	}
}

var pageLangs = []struct{ accept, lang string }{{"en-US,en;q=0.9", "en"}, {"zh-CN,zh;q=0.9", "zh"}}

// TestOutcomePagePollsUntilKnown: an exchange slower than the page's wait
// shows "received, exchanging…", which refreshes itself to the status
// address until the outcome, explained, replaces it; then the server closes.
func TestOutcomePagePollsUntilKnown(t *testing.T) {
	want := map[string][2]string{"en": {"Authorization code received", "Authorization not completed"}, "zh": {"已收到授权码", "授权未完成"}}
	for _, pl := range pageLangs {
		t.Run(pl.lang, func(t *testing.T) {
			s, state := startAwaiting(t, 50*time.Millisecond)
			code := "POLLCODE12345678"
			fail := &PlatformError{Endpoint: PathAccessToken, Code: 10013, Description: "bad secret for " + code, LogID: "202611251200"}
			finishAfter(s, 400*time.Millisecond, fail)
			visits, err := Browse(s.RedirectURI()+"?code="+code+"&state="+url.QueryEscape(state), pl.accept)
			if err != nil {
				t.Fatal(err)
			}
			first, last := visits[0], visits[len(visits)-1]
			if len(visits) < 2 || first.Title() != want[pl.lang][0] || !strings.Contains(first.Body, `http-equiv="refresh"`) {
				t.Fatalf("first page %q of %d", first.Title(), len(visits))
			}
			if last.Status != 200 || last.Title() != want[pl.lang][1] || !strings.Contains(last.URL, "/callback/status?state=") {
				t.Fatalf("last page %d %q at %s", last.Status, last.Title(), last.URL)
			}
			if wantDetail := strings.ReplaceAll(Message(fail, pl.lang), code, "…"); last.Detail() != wantDetail {
				t.Fatalf("detail %q, want %q", last.Detail(), wantDetail)
			}
			for i, v := range visits {
				if strings.Contains(v.Body, code) || (i > 0 && strings.Contains(v.URL, code)) {
					t.Fatalf("a page echoes the code: %s %s", v.URL, v.Body)
				}
			}
			closedWithin(t, s, 3*time.Second)
		})
	}
}

// TestOutcomeErrorIsEscaped: the explanation of a failed exchange is shown
// as text, never as markup, and without the code or a token.
func TestOutcomeErrorIsEscaped(t *testing.T) {
	const code = "ESCAPECODE123456"
	cases := []struct {
		name  string
		err   error
		shown string // text the page shows, unescaped
		title string
	}{
		{"platform description", &PlatformError{Endpoint: PathAccessToken, Code: 10013, Description: `<script>alert(1)</script>`}, `<script>alert(1)</script>`, "Authorization not completed"},
		{"attribute breakout", &PlatformError{Endpoint: PathAccessToken, Code: 10002, Description: `"><img src=x onerror=alert(1)>`}, `onerror=alert(1)`, "Authorization not completed"},
		{"transport snippet", &TransportError{Kind: KindNotJSON, Endpoint: PathAccessToken, Status: 502, Snippet: `</p><svg onload=alert(1)>`}, `<svg onload=alert(1)>`, "Authorization not completed"},
		{"plain error", errors.New(`<iframe src="javascript:alert(1)"></iframe>`), `javascript:alert(1)`, "Authorization not completed"},
		{"unsaved", &UnsavedError{Err: errors.New(`<b onmouseover=alert(1)>keyring</b>`)}, `<b onmouseover=alert(1)>`, "Authorized, but not saved"},
		{"code and tokens", &PlatformError{Endpoint: PathAccessToken, Code: 10007, Description: "code " + code + " used; access_token=act.SECRETSECRET99 refresh rft.ANOTHERSECRET42"}, "used;", "Authorization not completed"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, state := startAwaiting(t, 5*time.Second)
			finishAfter(s, 0, c.err)
			visits, err := Browse(s.RedirectURI()+"?code="+code+"&state="+url.QueryEscape(state), "en")
			if err != nil {
				t.Fatal(err)
			}
			last := visits[len(visits)-1]
			if last.Title() != c.title || !strings.Contains(last.Detail(), c.shown) {
				t.Fatalf("page %q shows %q", last.Title(), last.Detail())
			}
			for _, bad := range []string{"<script", "<img", "<svg", "<iframe", "<b ", code, "SECRETSECRET99", "ANOTHERSECRET42"} {
				if strings.Contains(last.Body, bad) {
					t.Errorf("the page holds %q: %s", bad, last.Body)
				}
			}
		})
	}
}

// TestOutcomeStatusRefusesStrangers: the status address answers only this
// server's Host with the login's state, GET or HEAD, and before a callback
// says nothing arrived.
func TestOutcomeStatusRefusesStrangers(t *testing.T) {
	s, state := startAwaiting(t, 50*time.Millisecond)
	u, _ := url.Parse(s.RedirectURI())
	status := "http://" + u.Host + "/callback/status"
	if resp, body := get(t, status+"?state="+url.QueryEscape(state), nil); resp.StatusCode != 404 || !strings.Contains(body, "Nothing received yet") {
		t.Fatalf("status before the callback: %d %s", resp.StatusCode, body)
	}
	const code = "STATUSCODE123456"
	fail := &PlatformError{Endpoint: PathAccessToken, Code: 10013, Description: "wrong"}
	go func() { <-s.Result() }()
	if resp, body := get(t, s.RedirectURI()+"?code="+code+"&state="+url.QueryEscape(state), nil); !strings.Contains(body, "Authorization code received") {
		t.Fatalf("callback page %d %s", resp.StatusCode, body)
	}
	cases := []struct {
		name   string
		url    string
		mutate func(*http.Request)
		status int
	}{
		{"wrong state", status + "?state=wrong", nil, 400},
		{"missing state", status, nil, 400},
		{"code instead of state", status + "?code=" + code, nil, 400},
		{"foreign host", status + "?state=" + state, func(r *http.Request) { r.Host = "evil.example:" + u.Port() }, 421},
		{"post", status + "?state=" + state, func(r *http.Request) { r.Method = http.MethodPost }, 405},
		{"huge query", status + "?state=" + state + "&pad=" + strings.Repeat("a", 8<<10), nil, 414},
		{"beside the status", status + "/x?state=" + state, nil, 404},
	}
	s.settle(fail) // known, but shown to nobody yet
	for _, c := range cases {
		resp, body := get(t, c.url, c.mutate)
		if resp.StatusCode != c.status || strings.Contains(body, "10013") || strings.Contains(body, code) {
			t.Errorf("%s: %d %s", c.name, resp.StatusCode, body)
		}
	}
	if s.shown.Load() {
		t.Fatal("a refused request counted as showing the outcome")
	}
	resp, body := get(t, status+"?state="+url.QueryEscape(state), nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "10013") || strings.Contains(body, "http-equiv") {
		t.Fatalf("status with the state: %d %s", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'") || strings.Contains(csp, "script") {
		t.Errorf("CSP %q", csp)
	}
	closedWithin(t, s, 3*time.Second)
}

// TestOutcomeUnknownWhenTheServerCloses: a page still waiting when the
// server closes says the outcome is unknown rather than hanging or lying.
func TestOutcomeUnknownWhenTheServerCloses(t *testing.T) {
	for _, pl := range pageLangs {
		s, state := startAwaiting(t, 5*time.Second)
		go func() {
			<-s.Result()
			time.Sleep(100 * time.Millisecond)
			s.Close()
		}()
		start := time.Now()
		visits, err := Browse(s.RedirectURI()+"?code=CLOSINGCODE12345&state="+url.QueryEscape(state), pl.accept)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]string{"en": "Outcome unknown", "zh": "结果未知"}[pl.lang]
		if len(visits) != 1 || visits[0].Title() != want || time.Since(start) > 3*time.Second {
			t.Fatalf("%d pages, last %q after %v", len(visits), visits[len(visits)-1].Title(), time.Since(start))
		}
	}
}

// TestFinishWithoutCallbackClosesAtOnce: a login that ended before any
// callback (cancelled, pasted) leaves nothing listening.
func TestFinishWithoutCallbackClosesAtOnce(t *testing.T) {
	s, _ := startAwaiting(t, time.Second)
	s.Finish(ErrCancelled)
	closedWithin(t, s, time.Second)
	if resp, err := http.Get(s.RedirectURI()); err == nil {
		resp.Body.Close()
		t.Fatal("the server still answers")
	}
}
