package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// Behaviours the platform's documentation states (douyin-openapi.md, issue
// 17), checked over raw HTTP.

// exchangeAs exchanges code for tokens of the app key with secret.
func (e *env) exchangeAs(key, secret, code string) resp {
	e.t.Helper()
	return e.postForm(PathAccessToken, url.Values{"client_key": {key}, "client_secret": {secret},
		"code": {code}, "grant_type": {"authorization_code"}})
}

// grantAs authorizes the app key for user with scope and exchanges the code.
func (e *env) grantAs(key, secret, redirect, scope string, user User) map[string]any {
	e.t.Helper()
	code := e.authorize(key, redirect, scope, url.Values{"open_id": {user.OpenID}})
	d := data(e.t, e.exchangeAs(key, secret, code))
	if num(e.t, d["error_code"]) != 0 {
		e.t.Fatalf("exchange for %s: %v", key, d)
	}
	return d
}

func (e *env) userInfoOf(d map[string]any) resp {
	e.t.Helper()
	return e.postForm(PathUserInfo, url.Values{"access_token": {str(e.t, d["access_token"])},
		"open_id": {str(e.t, d["open_id"])}})
}

func wantUserInfoOK(t *testing.T, r resp) {
	t.Helper()
	if m := r.json(t); num(t, m["err_no"]) != 0 {
		t.Fatalf("userinfo refused: %s", r.body)
	}
}

func TestRefreshReturnsTheStillValidAccessToken(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens("user_info", nil)
	rt, at := str(t, tok["refresh_token"]), str(t, tok["access_token"])
	e.s.Advance(10 * 24 * time.Hour)
	d := data(t, e.postForm(PathRefreshToken, refreshForm(rt)))
	if d["access_token"] != at || num(t, d["expires_in"]) != 1296000 {
		t.Fatalf("refresh of a valid token: %v, want %s with 1296000 s", d, at)
	}
	if got := num(t, d["refresh_expires_in"]); got != 2592000-10*86400 {
		t.Errorf("refresh_expires_in %d: the refresh token's expiry moved", got)
	}
	// The new expiry counts: past the original 15 days the token still works,
	// until 15 days after the refresh.
	e.s.Advance(14 * 24 * time.Hour)
	wantUserInfoOK(t, e.userInfoOf(tok))
	e.s.Advance(24 * time.Hour)
	wantUserInfoError(t, e.userInfoOf(tok), 28001008)

	// Only an expired token is replaced, by a new one of full life.
	d = data(t, e.postForm(PathRefreshToken, refreshForm(rt)))
	nat := str(t, d["access_token"])
	if nat == at || !accessRE.MatchString(nat) || num(t, d["expires_in"]) != 1296000 {
		t.Fatalf("refresh of an expired token: %v", d)
	}
	if got := num(t, d["refresh_expires_in"]); got != 2592000-25*86400 {
		t.Errorf("refresh_expires_in %d after the second refresh", got)
	}
	wantUserInfoError(t, e.userInfoOf(tok), 28001008)
	wantUserInfoOK(t, e.userInfoOf(d))
	// The replacement is the one a later refresh keeps.
	e.s.Advance(time.Hour)
	if again := data(t, e.postForm(PathRefreshToken, refreshForm(rt))); again["access_token"] != nat {
		t.Errorf("refresh after a replacement gave %v, want %s", again["access_token"], nat)
	}
}

func TestRenewNeedsTheAppsCapabilityNotTheGrants(t *testing.T) {
	e := newEnv(t, nil)
	// The test app holds renew_refresh_token; the user's grant does not list it.
	tok := e.tokens("user_info", nil)
	if strings.Contains(str(t, tok["scope"]), "renew_refresh_token") {
		t.Fatalf("scope %v", tok["scope"])
	}
	d := data(t, e.postForm(PathRenewRefreshToken, renewForm(str(t, tok["refresh_token"]))))
	if num(t, d["error_code"]) != 0 || !refreshRE.MatchString(str(t, d["refresh_token"])) {
		t.Fatalf("renew refused for an app holding the capability: %v", d)
	}
	// An app that no longer holds it is refused, even for a grant listing it.
	listed := e.tokens("user_info,renew_refresh_token", nil)
	e.s.AddApp(App{ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI, Scopes: []string{"user_info"}})
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(str(t, listed["refresh_token"]))), 10004)
}

func TestNewAuthorizationVoidsTheUsersEarlierCodes(t *testing.T) {
	e := newEnv(t, nil)
	users := e.s.Users()
	alice, bob := url.Values{"open_id": {users[0].OpenID}}, url.Values{"open_id": {users[1].OpenID}}
	older := e.authorize(testKey, testRedirect, "user_info", alice)
	bobs := e.authorize(testKey, testRedirect, "user_info", bob)
	otherApps := e.authorize(otherKey, otherURI, "user_info", alice)
	newer := e.authorize(testKey, testRedirect, "user_info", alice)
	if st := e.s.State(); st.LiveCodes != 3 {
		t.Errorf("live codes %d, want 3", st.LiveCodes)
	}
	wantOAuthError(t, e.exchangeAs(testKey, testSecret, older), 10007)
	for _, c := range []struct{ key, secret, code string }{
		{testKey, testSecret, newer}, {testKey, testSecret, bobs}, {otherKey, otherSecret, otherApps},
	} {
		if d := data(t, e.exchangeAs(c.key, c.secret, c.code)); num(t, d["error_code"]) != 0 {
			t.Errorf("%s: code voided by another user's or app's authorization: %v", c.key, d)
		}
	}
}

func TestUserInfoTellsTheGrantFromTheAppsCapability(t *testing.T) {
	e := newEnv(t, nil)
	user := e.s.Users()[0]
	noInfo := e.grantAs(testKey, testSecret, testRedirect, "trial.whitelist", user)
	withInfo := e.grantAs(testKey, testSecret, testRedirect, "user_info", user)
	wantUserInfoError(t, e.userInfoOf(noInfo), 28001012)
	wantUserInfoOK(t, e.userInfoOf(withInfo))
	// The capability withdrawn from the app: 28001014 for every grant.
	e.s.AddApp(App{ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI, Scopes: []string{"trial.whitelist"}})
	wantUserInfoError(t, e.userInfoOf(withInfo), 28001014)
	wantUserInfoError(t, e.userInfoOf(noInfo), 28001014)
}

func TestTrialAppAnswersForUnboundUsersAndExpiry(t *testing.T) {
	e := newEnv(t, nil) // the test apps include DemoApps, and with them the trial app
	users := e.s.Users()
	grant := func(u User) map[string]any {
		return e.grantAs(TrialClientKey, TrialClientSecret, DemoRedirectURI, "user_info,trial.whitelist", u)
	}
	// The consent page and the token endpoints let an unbound user through;
	// the OpenAPI gateway refuses.
	bound, unbound := grant(users[0]), grant(users[2])
	wantUserInfoOK(t, e.userInfoOf(bound))
	wantUserInfoOK(t, e.userInfoOf(grant(users[1])))
	wantUserInfoError(t, e.userInfoOf(unbound), 28001020)

	if !e.s.SetTrialExpired(TrialClientKey, true) || e.s.SetTrialExpired(testKey, true) {
		t.Fatal("SetTrialExpired: only the trial app is a test app")
	}
	wantUserInfoError(t, e.userInfoOf(bound), 28001021)
	wantUserInfoError(t, e.userInfoOf(unbound), 28001021)
	e.s.SetTrialExpired(TrialClientKey, false)
	wantUserInfoOK(t, e.userInfoOf(bound))
}

func TestTrialAppsInDemoDataFileAndSummary(t *testing.T) {
	apps := DemoApps()
	i := slices.IndexFunc(apps, func(a App) bool { return a.ClientKey == TrialClientKey })
	if i < 0 || !apps[i].Trial || apps[i].TrialExpired || len(apps[i].TrialUsers) != 2 ||
		!slices.Contains(apps[i].Scopes, "trial.whitelist") || !slices.Contains(apps[i].Scopes, "user_info") {
		t.Fatalf("trial demo app: %+v", apps)
	}
	sum := New(Options{}).Summary()
	for _, want := range []string{"client_key: " + TrialClientKey + "\n",
		"trial_users: " + apps[i].TrialUsers[0] + "," + apps[i].TrialUsers[1] + "\n", "trial_expired: false\n"} {
		if !strings.Contains(sum, want) {
			t.Errorf("summary lacks %q:\n%s", want, sum)
		}
	}
	if strings.Count(sum, "trial_users: ") != 1 {
		t.Errorf("trial lines for an app that is not a test app:\n%s", sum)
	}

	loaded, err := LoadApps(strings.NewReader(`[{"client_key":"awt","client_secret":"s","redirect_uri":"http://127.0.0.1:0/cb",
		"trial_users":["u1","u2"],"trial_expired":true},
		{"client_key":"awu","client_secret":"s","redirect_uri":"http://127.0.0.1:0/cb"}]`))
	if err != nil {
		t.Fatal(err)
	}
	if a := loaded[0]; !a.Trial || !a.TrialExpired || !slices.Equal(a.TrialUsers, []string{"u1", "u2"}) || loaded[1].Trial {
		t.Errorf("loaded %+v", loaded)
	}
	if _, err := LoadApps(strings.NewReader(`[{"client_key":"awt","client_secret":"s",
		"redirect_uri":"http://127.0.0.1:0/cb","trial":true,"trial_users":[""]}]`)); err == nil {
		t.Error("an empty open_id in trial_users was accepted")
	}
}

func TestCallbackAlwaysCarriesStateAndScopes(t *testing.T) {
	e := newEnv(t, nil)
	noState := authParams(testKey, testRedirect, "user_info", "")
	noState.Del("state")
	for _, action := range []string{"agree", "deny"} {
		for name, q := range map[string]url.Values{"no state": noState,
			"empty state": authParams(testKey, testRedirect, "user_info", "")} {
			r := e.consent(q, action, nil)
			loc, err := url.Parse(r.header.Get("Location"))
			if r.status != http.StatusFound || err != nil {
				t.Fatalf("%s, %s: status %d %v", action, name, r.status, err)
			}
			lq := loc.Query()
			if !lq.Has("state") || lq.Get("state") != "" {
				t.Errorf("%s, %s: callback %s lacks an empty state=", action, name, loc)
			}
			if action == "agree" && lq.Get("scopes") != "user_info" {
				t.Errorf("%s, %s: callback %s lacks scopes=", action, name, loc)
			}
		}
	}
}

func TestUserInfoSuccessCarriesLogIDAndANumericErrNo(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.StringNumbers = true })
	r := e.userInfoOf(e.tokens("user_info", nil))
	m := r.json(t)
	if id := str(t, m["log_id"]); id == "" || id != r.header.Get("X-Tt-Logid") {
		t.Errorf("log_id %q, header %q", id, r.header.Get("X-Tt-Logid"))
	}
	if n, ok := m["err_no"].(json.Number); !ok || n != "0" {
		t.Errorf("err_no %#v with numbers as strings, want the number 0", m["err_no"])
	}
	if d := m["data"].(map[string]any); d["error_code"] != "0" {
		t.Errorf("data.error_code %#v", d["error_code"])
	}
	// An error too keeps err_no a number.
	m = e.userInfoOf(map[string]any{"access_token": "act.no-such-token-0123456789", "open_id": "nobody"}).json(t)
	if n, ok := m["err_no"].(json.Number); !ok || n == "0" {
		t.Errorf("error err_no %#v with numbers as strings, want a non-zero number", m["err_no"])
	}
}

func TestStableClientTokenKeptApartFromRotation(t *testing.T) {
	e := newEnv(t, nil)
	call := func(path string) map[string]any {
		t.Helper()
		d := data(t, e.postJSON(path, clientBody(testKey, testSecret)))
		if num(t, d["error_code"]) != 0 {
			t.Fatalf("%s: %v", path, d)
		}
		e.s.Advance(time.Second)
		return d
	}
	stable := str(t, call(PathStableClientToken)["access_token"])
	var rot []string
	for i := 0; i < 3; i++ {
		rot = append(rot, str(t, call(PathClientToken)["access_token"]))
	}
	if slices.Contains(rot, stable) {
		t.Fatal("client_token handed out the stable token")
	}
	d := call(PathStableClientToken)
	if d["access_token"] != stable || num(t, d["expires_in"]) != 7200-4 {
		t.Fatalf("stable token after client_token rotations: %v, want %s with 7196 s", d, stable)
	}
	// Three rotations ended the first client token, not the stable one; the
	// stable calls rotated nothing.
	if !e.s.TokenValid(stable) || e.s.TokenValid(rot[0]) || !e.s.TokenValid(rot[1]) || !e.s.TokenValid(rot[2]) {
		t.Errorf("validity: stable %v, rotation %v %v %v", e.s.TokenValid(stable),
			e.s.TokenValid(rot[0]), e.s.TokenValid(rot[1]), e.s.TokenValid(rot[2]))
	}
	if st := e.s.State(); st.ClientTokens != 3 {
		t.Errorf("client tokens %d, want 3 (stable and two of the rotation)", st.ClientTokens)
	}
	// Its own life: two hours after it was issued, a new stable token.
	e.s.Advance(DefaultClientTTL - 5*time.Second)
	if d := call(PathStableClientToken); d["access_token"] == stable || num(t, d["expires_in"]) != 7200 {
		t.Errorf("expired stable token not replaced: %v", d)
	}
	if !e.s.TokenValid(rot[2]) {
		t.Error("a new stable token ended the current client token")
	}
}

func TestRevokeEndsTheUsersGrant(t *testing.T) {
	e := newEnv(t, nil)
	users := e.s.Users()
	alice, bob := users[0], users[1]
	revoked := e.grantAs(testKey, testSecret, testRedirect, "user_info", alice)
	bobs := e.grantAs(testKey, testSecret, testRedirect, "user_info", bob)
	otherApps := e.grantAs(otherKey, otherSecret, otherURI, "user_info", alice)
	pending := e.authorize(testKey, testRedirect, "user_info", url.Values{"open_id": {alice.OpenID}})
	post := func(ctype, body string) resp {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/_sandbox/revoke", strings.NewReader(body))
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		return e.do(req)
	}
	body := `{"client_key":"` + testKey + `","open_id":"` + alice.OpenID + `"}`
	if r := post("application/json", body); r.status != http.StatusOK || r.json(t)["revoked"] != true {
		t.Fatalf("revoke: %d %s", r.status, r.body)
	}

	rt := str(t, revoked["refresh_token"])
	wantUserInfoError(t, e.userInfoOf(revoked), 28001003)
	if m := e.userInfoOf(revoked).json(t); !strings.Contains(str(t, m["err_msg"]), "revoked") {
		t.Errorf("err_msg %v does not say why", m["err_msg"])
	}
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm(rt)), 10010)
	wantOAuthError(t, e.postForm(PathRenewRefreshToken, renewForm(rt)), 10010)
	wantOAuthError(t, e.exchangeAs(testKey, testSecret, pending), 10007)
	if e.s.TokenValid(str(t, revoked["access_token"])) || e.s.TokenValid(rt) {
		t.Error("revoked tokens still valid")
	}
	// Other users and other apps keep their grants.
	wantUserInfoOK(t, e.userInfoOf(bobs))
	wantUserInfoOK(t, e.userInfoOf(otherApps))
	if st := e.s.State(); st.AccessTokens != 2 || st.RefreshTokens != 2 || st.LiveCodes != 0 {
		t.Errorf("state after revoke: %+v", st)
	}
	// Nothing left to revoke; a new authorization works again.
	if r := post("application/json", body); r.status != http.StatusNotFound || r.json(t)["revoked"] != false {
		t.Errorf("second revoke: %d %s", r.status, r.body)
	}
	wantUserInfoOK(t, e.userInfoOf(e.grantAs(testKey, testSecret, testRedirect, "user_info", alice)))
	if !e.s.Revoke(testKey, alice.OpenID) || e.s.Revoke(testKey, "nobody") || e.s.Revoke("awnosuchapp", bob.OpenID) {
		t.Error("Revoke reports wrongly")
	}

	for _, bad := range []string{`{"client_key":"` + testKey + `"}`, `{"open_id":"x","client_key":"y","bogus":1}`, `nope`} {
		if r := post("application/json", bad); r.status != http.StatusBadRequest {
			t.Errorf("revoke %s: %d, want 400", bad, r.status)
		}
	}
	if r := post("", body); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("revoke without JSON Content-Type: %d, want 415", r.status)
	}
}
