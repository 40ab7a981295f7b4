package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// memStore is an in-memory auth.TokenStore whose saves can be made to fail.
type memStore struct {
	*auth.MemoryTokens
	mu    sync.Mutex
	saves int
	// failSaves makes that many SaveGrant calls fail.
	failSaves int
}

func newMemStore() *memStore { return &memStore{MemoryTokens: auth.NewMemoryTokens()} }

func (m *memStore) SaveGrant(g auth.Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.failSaves > 0 {
		m.failSaves--
		return errors.New("keyring unavailable")
	}
	m.saves++
	return m.MemoryTokens.SaveGrant(g)
}

// clock is a settable fake clock shared by the sandbox and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

const (
	testKey    = "awtestapp000001"
	testSecret = "test-secret-value-0001"
)

type env struct {
	sb    *sandbox.Sandbox
	clock *clock
	store *memStore
	flow  *auth.Flow
	log   []auth.LogEntry
	logMu sync.Mutex
}

func newEnv(t *testing.T, scopes ...string) *env {
	t.Helper()
	if len(scopes) == 0 {
		scopes = []string{"user_info", "renew_refresh_token"}
	}
	c := &clock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	sb := sandbox.New(sandbox.Options{Now: c.Now})
	sb.AddApp(sandbox.App{Name: "Test <Credentials>", ClientKey: testKey, ClientSecret: testSecret,
		RedirectURI: "http://127.0.0.1:0/callback", Scopes: sandbox.DefaultScopes()})
	sb.AddApp(sandbox.App{Name: "Remote Credentials", ClientKey: "awremote00001", ClientSecret: testSecret,
		RedirectURI: "https://example.com/douyin/callback", Scopes: sandbox.DefaultScopes()})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	e := &env{sb: sb, clock: c, store: newMemStore()}
	client := &auth.Client{BaseURL: base, Now: c.Now, Log: func(x auth.LogEntry) {
		e.logMu.Lock()
		e.log = append(e.log, x)
		e.logMu.Unlock()
	}}
	e.flow = &auth.Flow{Client: client, Store: e.store, Credentials: auth.Credentials{ClientKey: testKey, ClientSecret: testSecret,
		Scopes: scopes, RedirectURI: "http://127.0.0.1:0/callback"}}
	return e
}

// login runs a loopback login, agreeing in the "browser".
func (e *env) login(t *testing.T) auth.Grant {
	t.Helper()
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		status, body, err := sandboxtest.Agree(l.URL)
		if err == nil && (status != 200 || !strings.Contains(body, "Authorization complete")) {
			err = errors.New("callback page: " + body)
		}
		errc <- err
	}()
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
	return g
}

func TestFullFlowLoopback(t *testing.T) {
	e := newEnv(t)
	g := e.login(t)
	if !strings.HasPrefix(g.AccessToken, "act.") || !strings.HasPrefix(g.RefreshToken, "rft.") || g.OpenID == "" {
		t.Fatalf("grant %+v", g)
	}
	now := e.clock.Now()
	if g.AccessExpiry != now.Add(15*24*time.Hour) || g.RefreshExpiry != now.Add(30*24*time.Hour) {
		t.Fatalf("expiries %v %v", g.AccessExpiry, g.RefreshExpiry)
	}
	if g.Nickname == "" {
		t.Fatal("the user's nickname was not fetched after login")
	}
	stored, err := e.store.Grant(g.OpenID)
	if err != nil || stored.AccessToken != g.AccessToken || stored.RefreshToken != g.RefreshToken {
		t.Fatalf("stored %+v, %v", stored, err)
	}

	e.clock.Advance(time.Hour)
	r, err := e.flow.Refresh(context.Background(), g.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	// Still valid, the access token comes back with a new expiry
	// (douyin-openapi.md §3).
	if r.AccessToken != g.AccessToken {
		t.Fatal("refresh replaced an access token that was still valid")
	}
	if r.RefreshExpiry != g.RefreshExpiry {
		t.Fatalf("refresh moved the refresh expiry: %v → %v", g.RefreshExpiry, r.RefreshExpiry)
	}
	if r.AccessExpiry != e.clock.Now().Add(15*24*time.Hour) {
		t.Fatalf("new access expiry %v", r.AccessExpiry)
	}
	if s, _ := e.store.Grant(g.OpenID); s.AccessToken != r.AccessToken {
		t.Fatal("refreshed token not stored")
	}
	// The token verifies with its new expiry.
	if _, err := e.flow.Verify(context.Background(), g.OpenID); err != nil {
		t.Fatal(err)
	}
}

func TestWrongStateKeepsWaiting(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := l.Wait(context.Background()); done <- err }()

	for _, q := range []string{"?code=stolen12345&state=forged", "?code=stolen12345", "?error=access_denied"} {
		resp, err := http.Get(l.RedirectURI + q)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s: status %d", q, resp.StatusCode)
		}
	}
	select {
	case err := <-done:
		t.Fatalf("a wrong-state callback ended the login: %v", err)
	case <-time.After(100 * time.Millisecond):
	}
	if status, _, err := sandboxtest.Agree(l.URL); err != nil || status != 200 {
		t.Fatalf("real callback: %d %v", status, err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if len(e.store.Grants()) != 1 {
		t.Fatal("no grant stored")
	}
}

// remoteLogin begins a login of an app whose redirect URI is not on this
// machine, so that the code arrives by paste, and acts as the user's
// browser on its consent page with action ("agree" or "deny").
func (e *env) remoteLogin(t *testing.T, action string) (*auth.Login, *url.URL) {
	t.Helper()
	e.flow.Credentials.ClientKey = "awremote00001"
	e.flow.Credentials.RedirectURI = "https://example.com/douyin/callback"
	l, err := e.flow.Begin(auth.LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := sandboxtest.Consent(l.URL, action)
	if err != nil {
		t.Fatal(err)
	}
	return l, loc
}

func TestPasteBack(t *testing.T) {
	e := newEnv(t)
	l, loc := e.remoteLogin(t, "agree")
	forged := *loc
	q := forged.Query()
	q.Set("state", "forged")
	forged.RawQuery = q.Encode()
	if err := l.Paste(forged.String()); !errors.Is(err, auth.ErrStateMismatch) {
		t.Fatalf("forged state: %v", err)
	}
	if err := l.Paste("not a url at all"); !errors.Is(err, auth.ErrPasteGarbage) {
		t.Fatalf("garbage: %v", err)
	}
	if err := l.Paste(loc.String() + "#frag"); err != nil || l.StateUnchecked() {
		t.Fatalf("paste: %v, unchecked %v", err, l.StateUnchecked())
	}
	if err := l.Paste(loc.String()); !errors.Is(err, auth.ErrCodeUsed) {
		t.Fatalf("second paste: %v", err)
	}
	g, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if g.OpenID == "" {
		t.Fatal("no grant")
	}
}

func TestPasteBareCode(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := sandboxtest.Consent(l.URL, "agree")
	if err != nil {
		t.Fatal(err)
	}
	if l.StateUnchecked() {
		t.Fatal("unchecked before any paste")
	}
	if err := l.Paste(loc.Query().Get("code")); err != nil {
		t.Fatal(err)
	}
	if !l.StateUnchecked() {
		t.Fatal("a bare code is not reported as unchecked")
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestPastedDenialWithStateEndsLogin: a pasted access_denied carrying the
// login's state ends the login; without the state it is refused.
func TestPastedDenialWithStateEndsLogin(t *testing.T) {
	e := newEnv(t)
	l, loc := e.remoteLogin(t, "deny")
	if loc.Query().Get("error") == "" || loc.Query().Get("state") != l.State() {
		t.Fatalf("denied redirect %s", loc)
	}
	stripped := *loc
	q := stripped.Query()
	q.Del("state")
	stripped.RawQuery = q.Encode()
	if err := l.Paste(stripped.String()); !errors.Is(err, auth.ErrPasteNoState) {
		t.Fatalf("denial without state: %v", err)
	}
	if err := l.Paste(loc.String()); err != nil || l.StateUnchecked() {
		t.Fatalf("denial with state: %v, unchecked %v", err, l.StateUnchecked())
	}
	var ce *auth.CallbackError
	if _, err := l.Wait(context.Background()); !errors.As(err, &ce) || ce.Callback.Error != "access_denied" {
		t.Fatalf("err = %v", err)
	}
}

func TestDenyEndsLoginWithCallbackError(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	go sandboxtest.Deny(l.URL)
	_, err = l.Wait(context.Background())
	var ce *auth.CallbackError
	if !errors.As(err, &ce) || ce.Callback.Error == "" {
		t.Fatalf("err = %v", err)
	}
	if msg := auth.Message(err, "zh"); !strings.Contains(msg, "拒绝") {
		t.Fatalf("zh message %q", msg)
	}
	if len(e.store.Grants()) != 0 {
		t.Fatal("a denied login stored a grant")
	}
}

func TestCancelAndTimeout(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	go l.Cancel()
	if _, err := l.Wait(context.Background()); !errors.Is(err, auth.ErrCancelled) {
		t.Fatalf("cancel: %v", err)
	}
	// The loopback port is released.
	if resp, err := http.Get(l.RedirectURI); err == nil {
		resp.Body.Close()
		t.Fatal("callback server still answers after cancel")
	}
	l, err = e.flow.Begin(auth.LoginOptions{Listen: true, Timeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background()); !errors.Is(err, auth.ErrLoginTimeout) {
		t.Fatalf("timeout: %v", err)
	}
}

func TestBeginRefusesBadCredentials(t *testing.T) {
	e := newEnv(t)
	for _, app := range []auth.Credentials{
		{ClientKey: "", ClientSecret: "s", Scopes: []string{"user_info"}, RedirectURI: "http://127.0.0.1:0/cb"},
		{ClientKey: "   ", ClientSecret: "s", Scopes: []string{"user_info"}, RedirectURI: "http://127.0.0.1:0/cb"},
		{ClientKey: "k", ClientSecret: " \t", Scopes: []string{"user_info"}, RedirectURI: "http://127.0.0.1:0/cb"},
		{ClientKey: "k", ClientSecret: "s", Scopes: []string{"user_info"}, RedirectURI: "ftp://x"},
		{ClientKey: "k", ClientSecret: "s", Scopes: nil, RedirectURI: "http://127.0.0.1:0/cb"},
	} {
		f := *e.flow
		f.Credentials = app
		_, err := f.Begin(auth.LoginOptions{})
		var ie *auth.FieldError
		if !errors.As(err, &ie) {
			t.Errorf("%+v: err %v", app, err)
		}
	}
}

// TestPlatformErrors drives every error code of the contract through the
// client and the sandbox, and checks that no held token is lost.
func TestPlatformErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("10013 wrong secret", func(t *testing.T) {
		e := newEnv(t)
		e.flow.Credentials.ClientSecret = "wrong-secret-1234"
		_, err := e.flow.FetchClientToken(ctx, false)
		wantCode(t, err, 10013)
	})
	t.Run("10003 unknown key", func(t *testing.T) {
		e := newEnv(t)
		e.flow.Credentials.ClientKey = "awnosuchkey"
		_, err := e.flow.FetchClientToken(ctx, false)
		wantCode(t, err, 10003)
	})
	t.Run("10007 code reused and expired", func(t *testing.T) {
		e := newEnv(t)
		l, _ := e.flow.Begin(auth.LoginOptions{})
		loc, err := sandboxtest.Consent(l.URL, "agree")
		if err != nil {
			t.Fatal(err)
		}
		code := loc.Query().Get("code")
		if _, err := e.flow.Client.ExchangeCode(ctx, e.flow.Credentials, code); err != nil {
			t.Fatal(err)
		}
		_, err = e.flow.Client.ExchangeCode(ctx, e.flow.Credentials, code)
		wantCode(t, err, 10007)
		if !auth.NeedsReauthorization(err) {
			t.Error("10007 does not ask for reauthorization")
		}
		loc, _ = sandboxtest.Consent(l.URL, "agree")
		e.clock.Advance(11 * time.Minute)
		_, err = e.flow.Client.ExchangeCode(ctx, e.flow.Credentials, loc.Query().Get("code"))
		wantCode(t, err, 10007)
	})
	t.Run("10010 refresh token expired", func(t *testing.T) {
		e := newEnv(t)
		g := e.login(t)
		e.clock.Advance(31 * 24 * time.Hour)
		_, err := e.flow.Refresh(ctx, g.OpenID)
		wantCode(t, err, 10010)
		if !auth.NeedsReauthorization(err) {
			t.Error("10010 does not ask for reauthorization")
		}
		keeps(t, e, g)
	})
	t.Run("10020 renew limit and old token dead", func(t *testing.T) {
		e := newEnv(t)
		g := e.login(t)
		prev := g
		for i := 1; i <= auth.MaxRenewals; i++ {
			r, err := e.flow.Renew(ctx, g.OpenID)
			if err != nil {
				t.Fatalf("renewal %d: %v", i, err)
			}
			if r.RefreshToken == prev.RefreshToken || r.Renewals != i {
				t.Fatalf("renewal %d: %+v", i, r)
			}
			if _, err := e.flow.Client.Refresh(ctx, testKey, prev.RefreshToken); err == nil {
				t.Fatalf("renewal %d: the old refresh token still works", i)
			}
			prev = r
		}
		_, err := e.flow.Renew(ctx, g.OpenID)
		wantCode(t, err, 10020)
		keeps(t, e, prev)
		if _, err := e.flow.Refresh(ctx, g.OpenID); err != nil {
			t.Fatalf("the newest refresh token stopped working: %v", err)
		}
	})
	t.Run("10004 renew without scope", func(t *testing.T) {
		e := newEnv(t, "user_info")
		g := e.login(t)
		// The app must hold the capability, whatever the user granted
		// (douyin-openapi.md §4): here it no longer does.
		e.sb.AddApp(sandbox.App{ClientKey: testKey, ClientSecret: testSecret,
			RedirectURI: "http://127.0.0.1:0/callback", Scopes: []string{"user_info"}})
		_, err := e.flow.Renew(ctx, g.OpenID)
		wantCode(t, err, 10004)
		keeps(t, e, g)
	})
	t.Run("28001003 bad token and 28001008 expired", func(t *testing.T) {
		e := newEnv(t)
		g := e.login(t)
		_, err := e.flow.Client.UserInfo(ctx, "act.forged00000000000000", g.OpenID)
		wantCode(t, err, 28001003)
		e.clock.Advance(16 * 24 * time.Hour)
		_, err = e.flow.Verify(ctx, g.OpenID)
		wantCode(t, err, 28001008)
		keeps(t, e, g)
	})
	t.Run("10020 client token rate limit", func(t *testing.T) {
		e := newEnv(t)
		var err error
		for i := 0; i <= sandbox.ClientTokenLimit && err == nil; i++ {
			_, err = e.flow.Client.ClientToken(ctx, testKey, testSecret)
		}
		wantCode(t, err, 10020)
		if auth.NeedsReauthorization(err) {
			t.Error("the client token rate limit asks for reauthorization")
		}
	})
	t.Run("forced codes", func(t *testing.T) {
		e := newEnv(t)
		g := e.login(t)
		for _, code := range []int{10001, 10002, 10005, 10008, 28001016} {
			e.sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: code})
			_, err := e.flow.Refresh(ctx, g.OpenID)
			wantCode(t, err, code)
			keeps(t, e, g)
		}
	})
}

func TestTransportFaults(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	g := e.login(t)
	tests := []struct {
		name  string
		fault sandbox.Fault
		kind  auth.Kind
	}{
		{"500 html", sandbox.Fault{Endpoint: auth.PathRefreshToken, Status: 500, Once: true}, auth.KindHTTPStatus},
		{"502 html", sandbox.Fault{Endpoint: auth.PathRefreshToken, Status: 502, Once: true}, auth.KindHTTPStatus},
		{"truncated", sandbox.Fault{Endpoint: auth.PathRefreshToken, Truncate: true, Once: true}, auth.KindTruncated},
	}
	for _, tt := range tests {
		e.sb.Inject(tt.fault)
		_, err := e.flow.Refresh(ctx, g.OpenID)
		var te *auth.TransportError
		if !errors.As(err, &te) || te.Kind != tt.kind {
			t.Errorf("%s: %#v", tt.name, err)
			continue
		}
		if te.Status == 0 || !strings.Contains(err.Error(), "HTTP") {
			t.Errorf("%s: message lacks status: %v", tt.name, err)
		}
		keeps(t, e, g)
	}

	e.sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, StringNumbers: true, Once: true})
	r, err := e.flow.Refresh(ctx, g.OpenID)
	if err != nil || r.AccessExpiry != e.clock.Now().Add(15*24*time.Hour) {
		t.Fatalf("numbers as strings: %v %v", err, r.AccessExpiry)
	}
	g = r

	// A slow platform and a short timeout.
	e.sb.Inject(sandbox.Fault{Endpoint: auth.PathUserInfo, Latency: 2 * time.Second, Once: true})
	e.flow.Client.Timeout = 100 * time.Millisecond
	_, err = e.flow.Verify(ctx, g.OpenID)
	var te *auth.TransportError
	if !errors.As(err, &te) || te.Kind != auth.KindTimeout {
		t.Fatalf("timeout: %#v", err)
	}

	// Connection refused.
	e.sb.Close()
	_, err = e.flow.Refresh(ctx, g.OpenID)
	if !errors.As(err, &te) || te.Kind != auth.KindNetwork {
		t.Fatalf("refused: %#v", err)
	}
	keeps(t, e, g)
}

func TestClientTokenAndLogRedaction(t *testing.T) {
	e := newEnv(t)
	g := e.login(t)
	ct, err := e.flow.FetchClientToken(context.Background(), false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ct.Token, "clt.") || ct.Expiry != e.clock.Now().Add(2*time.Hour) {
		t.Fatalf("client token %+v", ct)
	}
	if s, _ := e.store.ClientToken(false); s.Token != ct.Token || s.Stable {
		t.Fatal("client token not stored")
	}
	secrets := []string{testSecret, g.AccessToken, g.RefreshToken, ct.Token}
	e.logMu.Lock()
	defer e.logMu.Unlock()
	if len(e.log) < 3 {
		t.Fatalf("only %d exchanges logged", len(e.log))
	}
	sawJSON := false
	for _, x := range e.log {
		all := x.URL + x.RequestBody + x.ResponseBody
		for _, s := range secrets {
			if strings.Contains(all, s) {
				t.Errorf("exchange %s leaks a secret: %s", x.URL, all)
			}
		}
		if strings.HasSuffix(x.URL, auth.PathClientToken) {
			sawJSON = x.RequestType == "application/json" && strings.Contains(x.RequestBody, `"grant_type":"client_credential"`)
		} else if x.RequestType != "application/x-www-form-urlencoded" {
			t.Errorf("%s sent as %s", x.URL, x.RequestType)
		}
		if x.Status != 200 || x.Duration <= 0 {
			t.Errorf("exchange %+v", x)
		}
	}
	if !sawJSON {
		t.Error("client token not sent as JSON")
	}
	if !strings.Contains(e.log[0].ResponseBody, "act.") {
		t.Error("log redacted the token beyond recognition")
	}
}

// TestStableClientToken: stable_client_token returns the same token within
// its two hours, sent as JSON, and is kept apart from client_token's
// rotation, in the platform and in the store.
func TestStableClientToken(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	st, err := e.flow.FetchClientToken(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Stable || !strings.HasPrefix(st.Token, "clt.") || st.Expiry != e.clock.Now().Add(2*time.Hour) {
		t.Fatalf("stable token %+v", st)
	}
	// Three rotations end the oldest rotating token, never the stable one.
	var rotating []auth.ClientToken
	for range 3 {
		ct, err := e.flow.FetchClientToken(ctx, false)
		if err != nil || ct.Stable || ct.Token == st.Token {
			t.Fatalf("rotating token %+v, %v", ct, err)
		}
		rotating = append(rotating, ct)
	}
	e.clock.Advance(6 * time.Minute)
	if e.sb.TokenValid(rotating[0].Token) || !e.sb.TokenValid(st.Token) {
		t.Fatal("the rotation did not end the oldest rotating token alone")
	}
	again, err := e.flow.FetchClientToken(ctx, true)
	if err != nil || again.Token != st.Token {
		t.Fatalf("a second stable call gave %+v, %v", again, err)
	}
	if s, _ := e.store.ClientToken(true); s.Token != st.Token {
		t.Error("stable token not stored apart")
	}
	if r, _ := e.store.ClientToken(false); r.Token != rotating[2].Token {
		t.Error("the rotating token was replaced by the stable one")
	}
	e.logMu.Lock()
	defer e.logMu.Unlock()
	for _, x := range e.log {
		if strings.HasSuffix(x.URL, auth.PathStableClientToken) &&
			(x.RequestType != "application/json" || !strings.Contains(x.RequestBody, `"grant_type":"client_credential"`)) {
			t.Errorf("stable token sent as %s: %s", x.RequestType, x.RequestBody)
		}
	}
}

// TestStableClientTokenErrors: the stable endpoint's failures are the
// client token's, none asking for a new authorization.
func TestStableClientTokenErrors(t *testing.T) {
	e := newEnv(t)
	e.flow.Credentials.ClientSecret = "wrong-secret-1234"
	_, err := e.flow.FetchClientToken(context.Background(), true)
	wantCode(t, err, 10013)
	e.sb.Inject(sandbox.Fault{Endpoint: auth.PathStableClientToken, ErrorCode: 10020})
	e.flow.Credentials.ClientSecret = testSecret
	_, err = e.flow.FetchClientToken(context.Background(), true)
	wantCode(t, err, 10020)
	if auth.NeedsReauthorization(err) {
		t.Error("the stable token's rate limit asks for reauthorization")
	}
	if _, err := e.store.ClientToken(true); !errors.Is(err, auth.ErrNoClientToken) {
		t.Errorf("a failed fetch stored %v", err)
	}
}

func TestAuthorizeURL(t *testing.T) {
	c := auth.NewClient("")
	u, err := url.Parse(c.AuthorizeURL(auth.Credentials{ClientKey: "k", Scopes: []string{"user_info", "trial.whitelist"},
		RedirectURI: "https://example.com/cb", OptionalScope: "friend_relation,1"}, "st"))
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Host != "open.douyin.com" || u.Path != auth.PathAuthorize || q.Get("scope") != "user_info,trial.whitelist" ||
		q.Get("response_type") != "code" || q.Get("state") != "st" || q.Get("optionalScope") != "friend_relation,1" ||
		q.Get("redirect_uri") != "https://example.com/cb" {
		t.Fatalf("authorize URL %s", u)
	}
}

func wantCode(t *testing.T, err error, code int) {
	t.Helper()
	var pe *auth.PlatformError
	if !errors.As(err, &pe) || pe.Code != code {
		t.Fatalf("want platform error %d, got %v", code, err)
	}
	if pe.LogID == "" {
		t.Errorf("error %d carries no log id", code)
	}
	for _, lang := range []string{"en", "zh"} {
		msg := auth.Message(err, lang)
		if !strings.Contains(msg, strconv.Itoa(code)) {
			t.Errorf("%s message lacks the code: %s", lang, msg)
		}
		if x, ok := auth.Explain(code); ok && !strings.Contains(msg, x.Meaning(lang)) {
			t.Errorf("%s message lacks the explanation: %s", lang, msg)
		}
	}
}

func keeps(t *testing.T, e *env, g auth.Grant) {
	t.Helper()
	s, err := e.store.Grant(g.OpenID)
	if err != nil || s.AccessToken != g.AccessToken || s.RefreshToken != g.RefreshToken {
		t.Fatalf("held tokens changed after an error: %+v, %v", s, err)
	}
}

// TestRelayFlow: the platform redirects to the app's https page, whose relay
// page forwards the query to the fixed loopback port.
func TestRelayFlow(t *testing.T) {
	e := newEnv(t)
	e.flow.Credentials.ClientKey = "awremote00001"
	e.flow.Credentials.RedirectURI = "https://example.com/douyin/callback"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := "http://" + ln.Addr().String() + "/relay"
	ln.Close()
	if _, err := auth.RelayPage(listen); err != nil {
		t.Fatal(err)
	}
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true, ListenURI: listen})
	if err != nil {
		t.Fatal(err)
	}
	if l.RedirectURI != "https://example.com/douyin/callback" || l.CallbackURI != listen {
		t.Fatalf("redirect %s callback %s", l.RedirectURI, l.CallbackURI)
	}
	loc, err := sandboxtest.Consent(l.URL, "agree")
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(l)
	visits, err := auth.Browse(listen+"?"+loc.RawQuery, "en")
	if err != nil {
		t.Fatal(err)
	}
	if r := <-done; r.err != nil {
		t.Fatal(r.err)
	}
	if last := visits[len(visits)-1]; last.Title() != "Authorization complete" {
		t.Fatalf("the relayed callback ends on %q", last.Title())
	}
}

type waitResult struct {
	g   auth.Grant
	err error
}

// waitAsync runs l.Wait as the window and the command line do: while the
// browser delivers the callback.
func waitAsync(l *auth.Login) <-chan waitResult {
	done := make(chan waitResult, 1)
	go func() {
		g, err := l.Wait(context.Background())
		done <- waitResult{g, err}
	}()
	return done
}

// TestPasteAfterLoopbackCallback: once the loopback server took the code, a
// paste is refused rather than silently dropped.
func TestPasteAfterLoopbackCallback(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	loc, err := sandboxtest.Consent(l.URL, "agree")
	if err != nil {
		t.Fatal(err)
	}
	done := waitAsync(l)
	resp, err := http.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := l.Paste(loc.String()); !errors.Is(err, auth.ErrCodeUsed) {
		t.Fatalf("paste after the callback: %v", err)
	}
	if r := <-done; r.err != nil {
		t.Fatal(r.err)
	}
}

// TestRenewKeepsTheNewTokenThroughAFailedSave: the old refresh token dies
// when the platform renews it, so a failed save is retried, and a second
// failure hands the new grant back in an *auth.UnsavedError, to be copied,
// rather than asking for reauthorization.
func TestRenewKeepsTheNewTokenThroughAFailedSave(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	g := e.login(t)
	e.store.failSaves = 1
	r, err := e.flow.Renew(ctx, g.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.store.Grant(g.OpenID); s.RefreshToken != r.RefreshToken || r.RefreshToken == g.RefreshToken {
		t.Fatal("the renewed refresh token was not stored after a retry")
	}
	e.store.failSaves = 2
	_, err = e.flow.Renew(ctx, g.OpenID)
	var ue *auth.UnsavedError
	if !errors.As(err, &ue) || ue.RefreshStored || auth.NeedsReauthorization(err) {
		t.Fatalf("err = %v", err)
	}
	if ue.Grant.RefreshToken == "" || ue.Grant.RefreshToken == r.RefreshToken || ue.Grant.Renewals != r.Renewals+1 {
		t.Fatalf("the unsaved grant = %+v", ue.Grant)
	}
	if !strings.Contains(ue.Message("zh"), "复制") || !strings.Contains(ue.Message("en"), "copy it") {
		t.Errorf("the error does not say to copy the token: %s", ue.Message("en"))
	}
}

// TestEveryCodeIsExplained: each error code the sandbox can answer has an
// explanation in both languages.
func TestEveryCodeIsExplained(t *testing.T) {
	known := map[int]bool{}
	for _, c := range auth.Codes() {
		known[c] = true
		x, _ := auth.Explain(c)
		if x.MeaningZH == "" || x.MeaningEN == "" {
			t.Errorf("code %d lacks a meaning", c)
		}
	}
	for _, c := range sandbox.Codes() {
		if c != 0 && !known[c] {
			t.Errorf("sandbox code %d has no explanation", c)
		}
	}
}

// hostilePastes are pasted texts that carry a code (or an error) without the
// login's state beside it; none of them may reach the exchange.
func hostilePastes(base, code, state string) []string {
	esc := url.QueryEscape
	return []string{
		base + "?code=" + code,
		base + "?code=" + code + "&state=",
		base + "?code=" + code + "&state",
		base + "?code=" + code + "&state=&scopes=user_info",
		base + "?state=" + state + "#code=" + code,
		base + "?code=" + code + "#state=" + state,
		base + "?state=" + state + "&scopes=user_info#/cb?code=" + code,
		base + "#code=" + code,
		base + "#code=" + code + "&state=",
		base + "?x=1#code=" + code,
		"?code=" + code,
		"#code=" + code,
		"code=" + code,
		"code=" + code + "&state=",
		"?state=" + state + "#code=" + code,
		"#state=" + state + "?code=" + code,
		"?%73tate=" + state + "#%63ode=" + code,
		// A state that is only a prefix, or has more after it.
		"code=" + code + "&state=" + state[:len(state)-1],
		"code=" + code + "&state=" + state[:1],
		"code=" + code + "&state=" + state + "x",
		"code=" + code + "&state=" + state + "%00",
		"code=" + code + "&state=" + state + "+",
		"code=" + code + "&state=+" + state,
		"code=" + code + "&state=" + strings.ToUpper(state),
		// Repeated parameters.
		"code=" + code + "&state=" + state + "&state=" + state,
		"code=" + code + "&state=forged&state=" + state,
		"code=" + code + "&state=" + state + "&state=forged",
		"code=" + code + "&state=" + state + "&state=",
		"code=forged1234&code=" + code + "&state=" + state,
		"code=" + code + "&code=forged1234&state=" + state,
		"code=" + code + "&code=" + code + "&state=" + state,
		"code=" + code + "&state=" + state + "#code=forged1234",
		"code=" + code + "&state=" + state + "#state=" + state,
		"code=" + code + "&%73tate=" + state + "&state=forged",
		"code=forged1234#code=" + code + "&state=" + state,
		// Percent-encoded separators hide the state inside another value.
		"code=" + code + "%26state%3D" + state,
		"code=" + code + "%26state=" + state,
		"code=" + code + "%23state=" + state,
		"code=" + esc(code+"&state="+state),
		"code=" + code + ";state=" + state,
		"code=" + code + "&STATE=" + state,
		base + "%3Fcode=" + code + "%26state=" + state,
		// Failures need the state too.
		"error=access_denied",
		"error=access_denied&state=",
		"error=access_denied&state=forged",
		"?state=" + state + "#error=access_denied",
		"error_code=10007&state=" + state + "x",
	}
}

// TestPasteRefusesWhatLacksTheLoginsState pastes every hostile variant of the
// real redirect into one login: each is refused and the login keeps
// waiting, so the real address is still accepted afterwards.
func TestPasteRefusesWhatLacksTheLoginsState(t *testing.T) {
	e := newEnv(t)
	l, loc := e.remoteLogin(t, "agree")
	code := loc.Query().Get("code")
	for _, text := range hostilePastes(e.flow.Credentials.RedirectURI, code, l.State()) {
		if err := l.Paste(text); err == nil {
			t.Fatalf("accepted %q", text)
		}
	}
	if err := l.Paste(loc.String()); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestRefreshWithoutRefreshExpiry: an answer without refresh_expires_in
// (or with 0) leaves the refresh token's expiry as stored, instead of
// ending it at once.
func TestRefreshWithoutRefreshExpiry(t *testing.T) {
	for _, field := range []string{``, `,"refresh_expires_in":0`, `,"refresh_expires_in":""`} {
		for _, rotate := range []bool{false, true} {
			rt := "rft.stored-0123456789"
			if rotate {
				rt = "rft.rotated-0123456789"
			}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, `{"data":{"error_code":0,"access_token":"act.new-0123456789","expires_in":1296000,"open_id":"o1","refresh_token":%q%s},"message":"success"}`, rt, field)
			}))
			store := newMemStore()
			expiry := time.Now().Add(20 * 24 * time.Hour).Truncate(time.Second)
			store.MemoryTokens.SaveGrant(auth.Grant{Account: auth.Account{OpenID: "o1", RefreshExpiry: expiry}, RefreshToken: "rft.stored-0123456789"})
			f := &auth.Flow{Client: auth.NewClient(srv.URL), Store: store, Credentials: auth.Credentials{ClientKey: "k"}}
			g, err := f.Refresh(context.Background(), "o1")
			srv.Close()
			if err != nil || !g.RefreshExpiry.Equal(expiry) || g.RefreshToken != rt {
				t.Errorf("field %q rotate %v: %v, refresh %q until %v; want until %v", field, rotate, err, g.RefreshToken, g.RefreshExpiry, expiry)
			}
		}
	}
}
