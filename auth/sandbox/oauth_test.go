package sandbox

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var (
	accessRE  = regexp.MustCompile(`^act\.[0-9a-f]{32,}$`)
	refreshRE = regexp.MustCompile(`^rft\.[0-9a-f]{32,}$`)
	clientRE  = regexp.MustCompile(`^clt\.[0-9a-f]{32,}$`)
)

func TestAccessTokenForm(t *testing.T) {
	e := newEnv(t, nil)
	user := e.s.Users()[1]
	code := e.authorize(testKey, testRedirect, "user_info,trial.whitelist", url.Values{"open_id": {user.OpenID}})
	r := e.postForm(PathAccessToken, tokenForm(code))
	m := r.json(t)
	if m["message"] != "success" {
		t.Errorf("message %v", m["message"])
	}
	d := data(t, r)
	if !accessRE.MatchString(str(t, d["access_token"])) || !refreshRE.MatchString(str(t, d["refresh_token"])) {
		t.Errorf("token formats: %v / %v", d["access_token"], d["refresh_token"])
	}
	if num(t, d["error_code"]) != 0 || num(t, d["expires_in"]) != 1296000 || num(t, d["refresh_expires_in"]) != 2592000 {
		t.Errorf("numbers: %s", r.body)
	}
	if d["open_id"] != user.OpenID || d["scope"] != "user_info,trial.whitelist" {
		t.Errorf("open_id %v scope %v", d["open_id"], d["scope"])
	}
	if str(t, d["log_id"]) == "" || d["captcha"] != "" || d["desc_url"] != "" || d["description"] != "" {
		t.Errorf("other fields: %s", r.body)
	}
	if r.header.Get("Content-Type") != contentTypeJSON {
		t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
	}
	if st := e.s.State(); st.LiveCodes != 0 || st.AccessTokens != 1 || st.RefreshTokens != 1 {
		t.Errorf("state after exchange: %+v", st)
	}
}

func TestAccessTokenGETAndJSON(t *testing.T) {
	e := newEnv(t, nil)
	code := e.authorize(testKey, testRedirect, "user_info", nil)
	d := data(t, e.get(PathAccessToken, tokenForm(code)))
	if num(t, d["error_code"]) != 0 || !accessRE.MatchString(str(t, d["access_token"])) {
		t.Fatalf("GET: %v", d)
	}
	code = e.authorize(testKey, testRedirect, "user_info", nil)
	d = data(t, e.postJSON(PathAccessToken, map[string]string{"client_key": testKey,
		"client_secret": testSecret, "code": code, "grant_type": "authorization_code"}))
	if num(t, d["error_code"]) != 0 || !accessRE.MatchString(str(t, d["access_token"])) {
		t.Fatalf("JSON: %v", d)
	}
	wantOAuthError(t, e.postJSON(PathAccessToken, []string{"not", "an", "object"}), 10002)
	req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+PathAccessToken, nil)
	if r := e.do(req); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") == "" {
		t.Errorf("DELETE: status %d Allow %q", r.status, r.header.Get("Allow"))
	}
}

func TestAccessTokenErrors(t *testing.T) {
	e := newEnv(t, nil)
	code := e.authorize(testKey, testRedirect, "user_info", nil)
	with := func(k, v string) url.Values {
		f := tokenForm(code)
		if v == "" {
			f.Del(k)
		} else {
			f.Set(k, v)
		}
		return f
	}
	wantOAuthError(t, e.postForm(PathAccessToken, with("code", "")), 10005)
	wantOAuthError(t, e.postForm(PathAccessToken, with("client_secret", "")), 10005)
	wantOAuthError(t, e.postForm(PathAccessToken, with("grant_type", "")), 10005)
	wantOAuthError(t, e.postForm(PathAccessToken, with("grant_type", "client_credential")), 10002)
	wantOAuthError(t, e.postForm(PathAccessToken, with("client_key", "awnosuchapp")), 10003)
	wantOAuthError(t, e.postForm(PathAccessToken, with("client_secret", "wrong")), 10013)
	wantOAuthError(t, e.postForm(PathAccessToken, with("code", "never-issued")), 10007)

	// A code issued to the test app, presented by another app.
	other := url.Values{"client_key": {otherKey}, "client_secret": {otherSecret}, "code": {code},
		"grant_type": {"authorization_code"}}
	wantOAuthError(t, e.postForm(PathAccessToken, other), 10014)

	// None of the failures consumed the code; the first use does.
	data(t, e.postForm(PathAccessToken, tokenForm(code)))
	wantOAuthError(t, e.postForm(PathAccessToken, tokenForm(code)), 10007)
}

func TestAuthorizationCodeExpiry(t *testing.T) {
	e := newEnv(t, nil)
	// Two users, since a new authorization voids the same user's earlier codes.
	fresh := e.authorize(testKey, testRedirect, "user_info", nil)
	stale := e.authorize(testKey, testRedirect, "user_info", url.Values{"open_id": {e.s.Users()[1].OpenID}})
	e.s.Advance(DefaultCodeTTL - time.Second)
	if d := data(t, e.postForm(PathAccessToken, tokenForm(fresh))); num(t, d["error_code"]) != 0 {
		t.Fatalf("code refused before its expiry: %v", d)
	}
	e.s.Advance(time.Second)
	wantOAuthError(t, e.postForm(PathAccessToken, tokenForm(stale)), 10007)

	// CodeTTL is honoured.
	e2 := newEnv(t, func(o *Options) { o.CodeTTL = time.Minute })
	code := e2.authorize(testKey, testRedirect, "user_info", nil)
	e2.s.Advance(time.Minute)
	wantOAuthError(t, e2.postForm(PathAccessToken, tokenForm(code)), 10007)
}

func refreshForm(rt string) url.Values {
	return url.Values{"client_key": {testKey}, "grant_type": {"refresh_token"}, "refresh_token": {rt}}
}

func renewForm(rt string) url.Values {
	return url.Values{"client_key": {testKey}, "refresh_token": {rt}}
}

func TestRefreshKeepsRefreshExpiry(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens("user_info", nil)
	rt, at := str(t, tok["refresh_token"]), str(t, tok["access_token"])
	e.s.Advance(24 * time.Hour)
	r := e.postForm(PathRefreshToken, refreshForm(rt))
	d := data(t, r)
	if num(t, d["error_code"]) != 0 {
		t.Fatalf("refresh: %s", r.body)
	}
	// The access token was still valid: the same one comes back.
	nat := str(t, d["access_token"])
	if nat != at {
		t.Errorf("access token %q after refresh, want the still valid %q", nat, at)
	}
	if d["refresh_token"] != rt {
		t.Errorf("refresh token changed to %v", d["refresh_token"])
	}
	if got := num(t, d["refresh_expires_in"]); got != 2592000-86400 {
		t.Errorf("refresh_expires_in %d, want %d", got, 2592000-86400)
	}
	if num(t, d["expires_in"]) != 1296000 || d["open_id"] != tok["open_id"] || d["scope"] != "user_info" {
		t.Errorf("refresh data: %s", r.body)
	}
	if !e.s.TokenValid(at) {
		t.Error("access token not valid after refresh")
	}
	// A second refresh a day later: still counting down from the original expiry.
	e.s.Advance(24 * time.Hour)
	d = data(t, e.postForm(PathRefreshToken, refreshForm(rt)))
	if got := num(t, d["refresh_expires_in"]); got != 2592000-2*86400 {
		t.Errorf("refresh_expires_in %d after second refresh", got)
	}
	e.s.Advance(28 * 24 * time.Hour)
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm(rt)), 10010)
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm(rt)), 10010)
}

func TestRefreshErrors(t *testing.T) {
	e := newEnv(t, nil)
	rt := str(t, e.tokens("user_info", nil)["refresh_token"])
	f := refreshForm(rt)
	f.Del("refresh_token")
	wantOAuthError(t, e.postForm(PathRefreshToken, f), 10005)
	f = refreshForm(rt)
	f.Set("grant_type", "authorization_code")
	wantOAuthError(t, e.postForm(PathRefreshToken, f), 10002)
	f = refreshForm(rt)
	f.Set("client_key", "awnosuchapp")
	wantOAuthError(t, e.postForm(PathRefreshToken, f), 10003)
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm("rft.0000")), 10002)
	f = refreshForm(rt)
	f.Set("client_key", otherKey)
	wantOAuthError(t, e.postForm(PathRefreshToken, f), 10002)
}

func TestRenewRefreshToken(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens("user_info,renew_refresh_token", nil)
	rt := str(t, tok["refresh_token"])
	e.s.Advance(10 * 24 * time.Hour)
	r := e.postForm(PathRenewRefreshToken, renewForm(rt))
	d := data(t, r)
	nrt := str(t, d["refresh_token"])
	if num(t, d["error_code"]) != 0 || !refreshRE.MatchString(nrt) || nrt == rt {
		t.Fatalf("renew: %s", r.body)
	}
	if num(t, d["expires_in"]) != 2592000 || d["description"] != "" {
		t.Errorf("renew data: %s", r.body)
	}
	if len(d) != 4 {
		t.Errorf("renew data has keys beyond the contract's: %v", d)
	}
	// The old token stops working at once, for refresh and renew alike.
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm(rt)), 10002)
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(rt)), 10002)
	if e.s.TokenValid(rt) {
		t.Error("old refresh token still valid")
	}
	// The new one has a full life again.
	d = data(t, e.postForm(PathRefreshToken, refreshForm(nrt)))
	if num(t, d["refresh_expires_in"]) != 2592000 || d["refresh_token"] != nrt {
		t.Errorf("refresh with renewed token: %v", d)
	}

	// Five renewals in all, then 10020.
	cur := nrt
	for i := 2; i <= MaxRenewals; i++ {
		d := data(t, e.postForm(PathRenewRefreshToken, renewForm(cur)))
		if num(t, d["error_code"]) != 0 {
			t.Fatalf("renewal %d: %v", i, d)
		}
		cur = str(t, d["refresh_token"])
	}
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(cur)), 10020)
	if !e.s.TokenValid(cur) {
		t.Error("refused renewal invalidated the token")
	}
	e.s.Advance(30 * 24 * time.Hour)
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(cur)), 10010)
}

func TestRenewRefreshTokenErrors(t *testing.T) {
	e := newEnv(t, nil)
	// The other app does not hold renew_refresh_token.
	code := e.authorize(otherKey, otherURI, "user_info", nil)
	od := data(t, e.postForm(PathAccessToken, url.Values{"client_key": {otherKey}, "client_secret": {otherSecret},
		"code": {code}, "grant_type": {"authorization_code"}}))
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, url.Values{"client_key": {otherKey},
		"refresh_token": {str(t, od["refresh_token"])}}), 10004)
	rt := str(t, e.tokens("user_info", nil)["refresh_token"])
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, url.Values{"client_key": {testKey}}), 10005)
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, url.Values{"refresh_token": {rt}}), 10005)
	f := renewForm(rt)
	f.Set("client_key", "awnosuchapp")
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, f), 10003)

	rt2 := str(t, e.tokens("renew_refresh_token", nil)["refresh_token"])
	e.s.Advance(DefaultRefreshTTL)
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(rt2)), 10010)
}

func clientBody(key, secret string) map[string]string {
	return map[string]string{"client_key": key, "client_secret": secret, "grant_type": "client_credential"}
}

func TestClientToken(t *testing.T) {
	e := newEnv(t, nil)
	var toks []string
	for i := 0; i < 3; i++ {
		r := e.postJSON(PathClientToken, clientBody(testKey, testSecret))
		d := data(t, r)
		tok := str(t, d["access_token"])
		if !clientRE.MatchString(tok) || num(t, d["error_code"]) != 0 || num(t, d["expires_in"]) != 7200 || d["description"] != "" {
			t.Fatalf("client_token: %s", r.body)
		}
		toks = append(toks, tok)
		e.s.Advance(time.Second)
	}
	if toks[0] == toks[1] || toks[1] == toks[2] {
		t.Fatal("client_token repeated a token")
	}
	if e.s.TokenValid(toks[0]) {
		t.Error("third token did not invalidate the first")
	}
	if !e.s.TokenValid(toks[1]) || !e.s.TokenValid(toks[2]) {
		t.Error("second or third token not valid")
	}
	if st := e.s.State(); st.ClientTokens != 2 {
		t.Errorf("client tokens %d, want 2", st.ClientTokens)
	}
	e.s.Advance(ClientTokenGrace)
	if e.s.TokenValid(toks[1]) || !e.s.TokenValid(toks[2]) {
		t.Error("grace period: previous token should lapse, current stay")
	}
	e.s.Advance(DefaultClientTTL)
	if e.s.TokenValid(toks[2]) {
		t.Error("client token outlived its life")
	}
}

func TestClientTokenErrors(t *testing.T) {
	e := newEnv(t, nil)
	b := clientBody(testKey, testSecret)
	b["grant_type"] = "authorization_code"
	wantOAuthError(t, e.postJSON(PathClientToken, b), 10002)
	wantOAuthError(t, e.postJSON(PathClientToken, clientBody("awnosuchapp", testSecret)), 10003)
	wantOAuthError(t, e.postJSON(PathClientToken, clientBody(testKey, "wrong")), 10013)
	wantOAuthError(t, e.postJSON(PathClientToken, map[string]string{"client_key": testKey}), 10005)
}

func TestClientTokenRateLimit(t *testing.T) {
	s := New(Options{Apps: testApps(), Now: func() time.Time { return testBase }})
	h := s.Handler()
	call := func(path string) resp {
		req := httptest.NewRequest(http.MethodPost, path,
			strings.NewReader(`{"client_key":"`+testKey+`","client_secret":"`+testSecret+`","grant_type":"client_credential"}`))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return resp{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	}
	for i := 1; i <= ClientTokenLimit; i++ {
		path := PathClientToken
		if i%2 == 0 {
			path = PathStableClientToken
		}
		r := call(path)
		if d := data(t, r); num(t, d["error_code"]) != 0 {
			t.Fatalf("call %d refused: %s", i, r.body)
		}
		if i%100 == 0 {
			s.Advance(time.Second)
		}
	}
	wantOAuthError(t, call(PathClientToken), 10020)
	wantOAuthError(t, call(PathStableClientToken), 10020)
	// Another app has its own budget.
	other := httptest.NewRequest(http.MethodPost, PathClientToken,
		strings.NewReader(`{"client_key":"`+otherKey+`","client_secret":"`+otherSecret+`","grant_type":"client_credential"}`))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, other)
	if d := data(t, resp{status: rec.Code, body: rec.Body.Bytes()}); num(t, d["error_code"]) != 0 {
		t.Errorf("other app limited too: %s", rec.Body)
	}
	s.Advance(ClientTokenWindow)
	if d := data(t, call(PathClientToken)); num(t, d["error_code"]) != 0 {
		t.Errorf("still limited after the window: %v", d)
	}
}

func TestStableClientToken(t *testing.T) {
	e := newEnv(t, nil)
	d1 := data(t, e.postJSON(PathStableClientToken, clientBody(testKey, testSecret)))
	e.s.Advance(time.Hour)
	d2 := data(t, e.postJSON(PathStableClientToken, clientBody(testKey, testSecret)))
	if d1["access_token"] != d2["access_token"] {
		t.Error("stable_client_token changed its token within its life")
	}
	if num(t, d2["expires_in"]) != 3600 {
		t.Errorf("expires_in %v, want the 3600 s remaining", d2["expires_in"])
	}
	e.s.Advance(time.Hour)
	d3 := data(t, e.postJSON(PathStableClientToken, clientBody(testKey, testSecret)))
	if d3["access_token"] == d1["access_token"] || num(t, d3["expires_in"]) != 7200 {
		t.Errorf("expired stable token not replaced: %v", d3)
	}
	wantOAuthError(t, e.postJSON(PathStableClientToken, clientBody(testKey, "wrong")), 10013)
}
