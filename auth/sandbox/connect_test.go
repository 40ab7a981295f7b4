package sandbox

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

func TestConsentPageEscapesAndOffersChoices(t *testing.T) {
	e := newEnv(t, nil)
	e.s.AddApp(App{Name: `<b>Evil & "Co"</b>`, ClientKey: "awevil", ClientSecret: "x",
		RedirectURI: testRegURI, Scopes: []string{"user_info", "x<y>", "video.list.bind", "trial.whitelist"}})
	q := authParams("awevil", testRedirect, "user_info,x<y>", `"><script>alert(1)</script>`)
	q.Set("optionalScope", "video.list.bind,1,trial.whitelist,0")
	r := e.get(PathConnect, q)
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q", ct)
	}
	page := string(r.body)
	for _, bad := range []string{"<b>Evil", "<script>", "x<y>"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{
		"&lt;b&gt;Evil &amp; &#34;Co&#34;&lt;/b&gt;",
		`<li class="scope">user_info</li>`,
		`<li class="scope">x&lt;y&gt;</li>`,
		`<form method="post"`,
		`<button id="agree" type="submit" name="action" value="agree">`,
		`<button id="deny" type="submit" name="action" value="deny">`,
		`name="optionalScope" value="video.list.bind,1,trial.whitelist,0"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Count(page, "<form") != 1 {
		t.Errorf("want exactly one form")
	}
	if !regexp.MustCompile(`value="video\.list\.bind" checked`).MatchString(page) {
		t.Error("optional scope with default 1 is not ticked")
	}
	if regexp.MustCompile(`value="trial\.whitelist" checked`).MatchString(page) {
		t.Error("optional scope with default 0 is ticked")
	}
	users := e.s.Users()
	if !strings.Contains(page, `name="open_id" value="`+users[0].OpenID+`" checked`) {
		t.Error("first user is not checked")
	}
	if strings.Contains(page, `value="`+users[1].OpenID+`" checked`) {
		t.Error("second user is checked")
	}
	for _, u := range users {
		if !strings.Contains(page, u.Nickname) {
			t.Errorf("user %q not offered", u.Nickname)
		}
	}
	if strings.Contains(page, "<script") {
		t.Error("page has a script")
	}
}

func TestAgreeRedirectsWithCodeStateAndScopes(t *testing.T) {
	e := newEnv(t, nil)
	q := authParams(testKey, testRedirect+"#frag", "user_info", "s t&a=te")
	q.Set("optionalScope", "video.list.bind,1,trial.whitelist,0")
	r := e.consent(q, "agree", url.Values{"optional_scope": {"video.list.bind", "renew_refresh_token"}})
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302\n%s", r.status, r.body)
	}
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		t.Errorf("redirected to %s, want %s", got, testRedirect)
	}
	if loc.Fragment != "" {
		t.Errorf("fragment kept: %q", loc.Fragment)
	}
	lq := loc.Query()
	if lq.Get("code") == "" || lq.Get("state") != "s t&a=te" {
		t.Errorf("callback query %v", lq)
	}
	// renew_refresh_token was not offered as optional, so it is not granted.
	if got := lq.Get("scopes"); got != "user_info,video.list.bind" {
		t.Errorf("scopes %q, want user_info,video.list.bind", got)
	}
	if regexp.MustCompile(`[^A-Za-z0-9_-]`).MatchString(lq.Get("code")) {
		t.Errorf("code %q is not URL-safe", lq.Get("code"))
	}
	if st := e.s.State(); st.LiveCodes != 1 {
		t.Errorf("live codes %d, want 1", st.LiveCodes)
	}
}

func TestDenyRedirectsWithError(t *testing.T) {
	e := newEnv(t, nil)
	r := e.consent(authParams(testKey, testRedirect, "user_info", "xyz"), "deny", nil)
	if r.status != http.StatusFound {
		t.Fatalf("status %d, want 302", r.status)
	}
	loc, _ := url.Parse(r.header.Get("Location"))
	lq := loc.Query()
	if lq.Has("code") {
		t.Error("deny carries a code")
	}
	if lq.Get("error") != "access_denied" || lq.Get("error_code") != strconv.Itoa(DenyErrorCode) ||
		lq.Get("error_description") == "" || lq.Get("state") != "xyz" {
		t.Errorf("deny callback %v", lq)
	}
	if st := e.s.State(); st.LiveCodes != 0 {
		t.Errorf("deny issued a code")
	}
}

func wantErrorPage(t *testing.T, r resp, code int) {
	t.Helper()
	if r.status != http.StatusBadRequest {
		t.Fatalf("status %d, want 400\n%s", r.status, r.body)
	}
	if loc := r.header.Get("Location"); loc != "" {
		t.Fatalf("error page redirects to %s", loc)
	}
	if !strings.Contains(string(r.body), `<code id="error-code">`+strconv.Itoa(code)+`</code>`) {
		t.Fatalf("page does not show code %d:\n%s", code, r.body)
	}
}

func TestConsentErrors(t *testing.T) {
	e := newEnv(t, nil)
	base := authParams(testKey, testRedirect, "user_info", "st")
	with := func(k, v string) url.Values {
		q := url.Values{}
		for kk, vv := range base {
			q[kk] = vv
		}
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
		return q
	}
	cases := []struct {
		name string
		q    url.Values
		code int
	}{
		{"missing client_key", with("client_key", ""), 10005},
		{"missing scope", with("scope", ""), 10005},
		{"empty scope list", with("scope", " , "), 10005},
		{"missing redirect_uri", with("redirect_uri", ""), 10005},
		{"missing response_type", with("response_type", ""), 10005},
		{"response_type token", with("response_type", "token"), 10002},
		{"unknown client_key", with("client_key", "awnosuchapp"), 10003},
		{"other path", with("redirect_uri", "http://127.0.0.1:45678/other"), 10006},
		{"other host", with("redirect_uri", "http://localhost:45678/cb"), 10006},
		{"https", with("redirect_uri", "https://127.0.0.1:45678/cb"), 10006},
		{"no port", with("redirect_uri", "http://127.0.0.1/cb"), 10006},
		{"query added", with("redirect_uri", "http://127.0.0.1:45678/cb?x=1"), 10006},
		{"scope not permitted", with("scope", "user_info,fans.list"), 10004},
		{"optional scope not permitted", with("optionalScope", "fans.list,1"), 10004},
		{"optional scope malformed", with("optionalScope", "video.list.bind"), 10002},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantErrorPage(t, e.get(PathConnect, tc.q), tc.code)
			wantErrorPage(t, e.consent(tc.q, "agree", nil), tc.code)
		})
	}
	t.Run("fixed registered URI", func(t *testing.T) {
		q := authParams(otherKey, "https://example.com/douyin/callback#x", "user_info", "st")
		if r := e.get(PathConnect, q); r.status != http.StatusOK {
			t.Errorf("fragment-only difference refused: %d", r.status)
		}
		q.Set("redirect_uri", "https://example.com:8443/douyin/callback")
		wantErrorPage(t, e.get(PathConnect, q), 10006)
	})
	t.Run("unknown user", func(t *testing.T) {
		wantErrorPage(t, e.consent(base, "agree", url.Values{"open_id": {"_000nobody"}}), 10002)
	})
	t.Run("bad action", func(t *testing.T) {
		wantErrorPage(t, e.consent(base, "maybe", nil), 10002)
		form := url.Values{}
		for k, v := range base {
			form[k] = v
		}
		wantErrorPage(t, e.postForm(PathConnect, form), 10005)
	})
	if st := e.s.State(); st.LiveCodes != 0 {
		t.Errorf("errors issued %d codes", st.LiveCodes)
	}
}

func TestRedirectMatches(t *testing.T) {
	cases := []struct {
		reg, got string
		want     bool
	}{
		{"https://a.example/cb", "https://a.example/cb", true},
		{"https://a.example/cb", "https://a.example/cb#x", true},
		{"https://a.example/cb#y", "https://a.example/cb", true},
		{"https://a.example/cb", "https://a.example/cb/", false},
		{"https://a.example/cb", "http://a.example/cb", false},
		{"http://127.0.0.1:8791/callback", "http://127.0.0.1:8791/callback", true},
		{"http://127.0.0.1:8791/callback", "http://127.0.0.1:8792/callback", false},
		{"http://127.0.0.1:0/cb", "http://127.0.0.1:1/cb", true},
		{"http://127.0.0.1:0/cb", "http://127.0.0.1:65535/cb", true},
		{"http://127.0.0.1:0/cb", "http://127.0.0.1:65536/cb", false},
		{"http://127.0.0.1:0/cb", "http://127.0.0.1:/cb", false},
		{"http://127.0.0.1:0/cb", "http://127.0.0.2:80/cb", false},
		{"http://127.0.0.1:0/cb", "http://u@127.0.0.1:80/cb", false},
		{"http://[::1]:0/cb", "http://[::1]:9000/cb", true},
		{"http://localhost:0/cb", "http://LOCALHOST:9000/cb", true},
		{"http://example.com:0/cb", "http://example.com:9000/cb", false},
		{"https://127.0.0.1:0/cb", "https://127.0.0.1:9000/cb", false},
	}
	for _, tc := range cases {
		if got := redirectMatches(tc.reg, tc.got); got != tc.want {
			t.Errorf("redirectMatches(%q, %q) = %v, want %v", tc.reg, tc.got, got, tc.want)
		}
	}
}

func TestConsentPostRevalidatesHiddenFields(t *testing.T) {
	e := newEnv(t, nil)
	// The demo app is permitted all scopes; the basic app user_info only.
	q := authParams(BasicClientKey, DemoRedirectURI, "user_info", "st")
	if r := e.get(PathConnect, q); r.status != http.StatusOK {
		t.Fatalf("GET status %d", r.status)
	}
	q.Set("scope", "user_info,renew_refresh_token")
	wantErrorPage(t, e.consent(q, "agree", nil), 10004)
	q.Set("scope", "user_info")
	q.Set("redirect_uri", "http://127.0.0.1:8791/evil")
	wantErrorPage(t, e.consent(q, "agree", nil), 10006)
	q.Set("redirect_uri", DemoRedirectURI)
	q.Set("client_key", "awforged")
	wantErrorPage(t, e.consent(q, "agree", nil), 10003)
}

func TestConnectWrongMethod(t *testing.T) {
	e := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodPut, e.srv.URL+PathConnect, nil)
	if r := e.do(req); r.status != http.StatusMethodNotAllowed {
		t.Errorf("PUT status %d, want 405", r.status)
	}
}
