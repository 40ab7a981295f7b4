package auth_test

import (
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// closedURL is the address of a port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// consentAt agrees on the sandbox's consent page for l, whichever base URL
// the flow's client uses, and returns where the platform redirected to.
func consentAt(t *testing.T, e *env, l *auth.Login) *url.URL {
	t.Helper()
	u, err := url.Parse(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := sandboxtest.Consent(e.sb.URL()+u.RequestURI(), "agree")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

var outcomeTitles = map[string]map[bool]string{ // lang → failed → title
	"en": {false: "Authorization complete", true: "Authorization not completed"},
	"zh": {false: "授权完成", true: "授权未完成"},
}

// TestLoginPageTellsTheOutcome: a browser that follows the callback's page
// ends on what became of the code, in its own language: tokens saved, or
// the exchange's error explained (a wrong secret, an unreachable platform).
// An exchange slower than the page's wait shows "received, exchanging…"
// first and polls.
func TestLoginPageTellsTheOutcome(t *testing.T) {
	cases := []struct {
		name  string
		setup func(t *testing.T, e *env)
		slow  bool // the exchange outlasts the page's wait
		code  int  // the platform error expected, 0 for none
		fails bool
	}{
		{name: "exchanged"},
		{name: "wrong secret", setup: wrongSecret, code: 10013, fails: true},
		{name: "platform unreachable", setup: func(t *testing.T, e *env) { e.flow.Client = auth.NewClient(closedURL(t)) }, fails: true},
		{name: "slow and exchanged", setup: slowExchange, slow: true},
		{name: "slow and wrong secret", setup: func(t *testing.T, e *env) { slowExchange(t, e); wrongSecret(t, e) }, slow: true, code: 10013, fails: true},
	}
	for _, c := range cases {
		for _, pl := range []struct{ accept, lang string }{{"en-GB,en;q=0.8", "en"}, {"zh-CN,zh;q=0.9,en;q=0.5", "zh"}} {
			t.Run(c.name+" "+pl.lang, func(t *testing.T) {
				e := newEnv(t)
				if c.setup != nil {
					c.setup(t, e)
				}
				wait := 10 * time.Second
				if c.slow {
					wait = 100 * time.Millisecond
				}
				l, err := e.flow.Begin(auth.WithPageWait(auth.LoginOptions{Listen: true}, wait))
				if err != nil {
					t.Fatal(err)
				}
				loc := consentAt(t, e, l)
				done := waitAsync(l)
				visits, err := auth.Browse(loc.String(), pl.accept)
				if err != nil {
					t.Fatal(err)
				}
				r := <-done
				checkOutcomePages(t, visits, r, pl.lang, c.fails, c.slow, c.code)
				for _, secret := range []string{loc.Query().Get("code"), r.g.AccessToken, r.g.RefreshToken, testSecret} {
					if last := visits[len(visits)-1]; secret != "" && strings.Contains(last.Body, secret) {
						t.Fatalf("the page holds a secret: %s", last.Body)
					}
				}
				serverGone(t, l.CallbackURI)
			})
		}
	}
}

func wrongSecret(_ *testing.T, e *env) { e.flow.Credentials.ClientSecret = "wrong-secret-value-0001" }

func slowExchange(t *testing.T, e *env) {
	e.sb.Inject(sandbox.Fault{Endpoint: auth.PathAccessToken, Latency: 700 * time.Millisecond, Once: true})
}

// checkOutcomePages checks the pages a browser was shown against how the
// login ended.
func checkOutcomePages(t *testing.T, visits []auth.Visit, r waitResult, lang string, fails, slow bool, code int) {
	t.Helper()
	last := visits[len(visits)-1]
	if (r.err != nil) != fails || last.Status != 200 || last.Title() != outcomeTitles[lang][fails] {
		t.Fatalf("login ended with %v; the page shows %d %q", r.err, last.Status, last.Title())
	}
	var pe *auth.PlatformError
	if code != 0 && (!errors.As(r.err, &pe) || pe.Code != code) {
		t.Fatalf("err = %v, want platform error %d", r.err, code)
	}
	if want := auth.Message(r.err, lang); last.Detail() != want {
		t.Fatalf("the page explains %q, want %q", last.Detail(), want)
	}
	waiting := map[string]string{"en": "Authorization code received", "zh": "已收到授权码"}[lang]
	if slow && (len(visits) < 2 || visits[0].Title() != waiting) {
		t.Fatalf("a slow exchange first shows %q, of %d pages", visits[0].Title(), len(visits))
	}
	if !slow && len(visits) != 1 {
		t.Fatalf("a quick exchange took %d pages", len(visits))
	}
}

// serverGone fails unless the loopback server closes soon after showing the
// outcome.
func serverGone(t *testing.T, callbackURI string) {
	t.Helper()
	u, _ := url.Parse(callbackURI)
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		c, err := net.DialTimeout("tcp", u.Host, 200*time.Millisecond)
		if err != nil {
			return
		}
		c.Close()
	}
	t.Fatal("the loopback server still listens after the outcome was shown")
}

// TestRelayPageEndsOnTheOutcome: the relay page hands the callback to the
// loopback server, whose page then tells how the exchange ended.
func TestRelayPageEndsOnTheOutcome(t *testing.T) {
	for _, fails := range []bool{false, true} {
		e := newEnv(t)
		e.flow.Credentials.ClientKey = "awremote00001"
		e.flow.Credentials.RedirectURI = "https://example.com/douyin/callback"
		if fails {
			wrongSecret(t, e)
		}
		listen := closedURL(t) + "/relay"
		page, err := auth.RelayPage(listen)
		if err != nil {
			t.Fatal(err)
		}
		l, err := e.flow.Begin(auth.LoginOptions{Listen: true, ListenURI: listen})
		if err != nil {
			t.Fatal(err)
		}
		done := waitAsync(l)
		visits, err := auth.Browse(relayed(t, page, consentAt(t, e, l)), "zh-CN")
		if err != nil {
			t.Fatal(err)
		}
		checkOutcomePages(t, visits, <-done, "zh", fails, false, map[bool]int{true: 10013}[fails])
	}
}

var relayTarget = regexp.MustCompile(`var target = "([^"]*)"`)

// relayed is where the relay page's script sends the browser that arrived
// at loc: its fixed target, with the callback's fields.
func relayed(t *testing.T, page []byte, loc *url.URL) string {
	t.Helper()
	m := relayTarget.FindSubmatch(page)
	if m == nil {
		t.Fatal("the relay page names no target")
	}
	q := url.Values{}
	for _, k := range []string{"code", "state", "scopes", "error", "error_code", "error_description"} {
		if v, ok := loc.Query()[k]; ok {
			q[k] = v
		}
	}
	return string(m[1]) + "?" + q.Encode()
}
