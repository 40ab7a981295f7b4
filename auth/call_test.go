package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// apiScopes are the scopes of every user API of the catalogue.
var apiScopes = []string{"user_info", "video.list.bind", "video.data.bind", "fans.list", "following.list", "data.external.user"}

// billboardScope is the capability of the catalogue's client-token API.
const billboardScope = "data.external.billboard_hot_video"

// apiEnv is an env whose app holds every capability of the catalogue, with
// a user authorized for every user API and a stable client token.
func apiEnv(t *testing.T) (*env, auth.Grant) {
	t.Helper()
	e := newEnv(t, apiScopes...)
	e.sb.AddApp(sandbox.App{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret,
		RedirectURI: "http://127.0.0.1:0/callback", Scopes: append(sandbox.DefaultScopes(), billboardScope)})
	g := e.login(t)
	if _, err := e.flow.FetchClientToken(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	return e, g
}

func mustAPI(t *testing.T, name string) auth.API {
	t.Helper()
	a, ok := auth.FindAPI(name)
	if !ok {
		t.Fatalf("no API %q in the catalogue", name)
	}
	return a
}

// dataOf returns the data object of a call's answer.
func dataOf(t *testing.T, r auth.CallResult) map[string]any {
	t.Helper()
	var m struct {
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.Body, &m); err != nil || m.Data == nil {
		t.Fatalf("%s: no data object in %s (%v)", r.API.Name, r.Body, err)
	}
	return m.Data
}

// TestEveryCatalogueAPIAnswers calls each API of the catalogue against the
// sandbox: every one answers with data, and no token reaches the log.
func TestEveryCatalogueAPIAnswers(t *testing.T) {
	e, g := apiEnv(t)
	ctx := context.Background()
	videos, err := e.flow.Call(ctx, mustAPI(t, "video-list"), g.OpenID, nil)
	if err != nil {
		t.Fatal(err)
	}
	first := dataOf(t, videos)["list"].([]any)[0].(map[string]any)
	want := map[string]string{ // a field each answer must carry in data
		"userinfo": "nickname", "video-list": "list", "video-data": "list", "fans-list": "total",
		"following-list": "list", "user-fans": "result_list", "hot-videos": "list",
	}
	params := map[string]map[string]string{"video-data": {"item_ids": first["item_id"].(string)}}
	for _, a := range auth.Catalog() {
		r, err := e.flow.Call(ctx, a, g.OpenID, params[a.Name])
		if err != nil {
			t.Errorf("%s: %v", a.Name, err)
			continue
		}
		if r.Status != http.StatusOK || dataOf(t, r)[want[a.Name]] == nil {
			t.Errorf("%s: status %d, no %s in %s", a.Name, r.Status, want[a.Name], r.Body)
		}
		if !json.Valid(r.Pretty()) || !strings.Contains(string(r.Pretty()), "\n  ") {
			t.Errorf("%s: Pretty is not indented JSON: %s", a.Name, r.Pretty())
		}
	}
	ct, _ := e.store.ClientToken(true)
	e.logMu.Lock()
	defer e.logMu.Unlock()
	for _, x := range e.log {
		all := x.URL + x.RequestBody + x.ResponseBody + strings.Join(x.RequestHeader.Values("access-token"), "")
		if strings.Contains(all, g.AccessToken) || strings.Contains(all, ct.Token) {
			t.Errorf("the log of %s %s holds a token", x.Method, x.URL)
		}
	}
}

// TestCallShapes: each API receives its token, open_id and parameters where
// its page documents them.
func TestCallShapes(t *testing.T) {
	e, g := apiEnv(t)
	ctx := context.Background()
	for _, c := range []struct {
		api    string
		params map[string]string
		method string
		in     []string // in the logged URL, body or access-token header
	}{
		{"userinfo", nil, "POST", []string{"body:open_id=" + g.OpenID, "body:access_token=act."}},
		{"video-list", map[string]string{"count": "3"}, "GET", []string{"url:count=3", "url:cursor=0", "url:open_id=", "header:act."}},
		{"video-data", map[string]string{"item_ids": "@a,@b"}, "POST", []string{`body:{"item_ids":["@a","@b"]}`, "url:open_id=", "header:act."}},
		{"user-fans", nil, "GET", []string{"url:date_type=7", "header:act."}},
		{"hot-videos", nil, "GET", []string{"header:clt."}},
	} {
		n := len(e.log)
		if _, err := e.flow.Call(ctx, mustAPI(t, c.api), g.OpenID, c.params); err != nil {
			t.Fatalf("%s: %v", c.api, err)
		}
		x := e.log[n]
		got := map[string]string{"url": x.URL, "body": x.RequestBody, "header": x.RequestHeader.Get("access-token")}
		if x.Method != c.method {
			t.Errorf("%s: method %s", c.api, x.Method)
		}
		for _, w := range c.in {
			where, s, _ := strings.Cut(w, ":")
			if !strings.Contains(got[where], s) {
				t.Errorf("%s: %s lacks %q: %q", c.api, where, s, got[where])
			}
		}
		if c.api == "hot-videos" && strings.Contains(x.URL, "open_id") {
			t.Errorf("hot-videos sent an open_id: %s", x.URL)
		}
	}
}

// TestCallWalksEveryPage follows the cursors of the paged APIs to the end:
// every item once, as many as the list's total.
func TestCallWalksEveryPage(t *testing.T) {
	e, g := apiEnv(t)
	ctx := context.Background()
	for _, name := range []string{"video-list", "fans-list", "following-list"} {
		a := mustAPI(t, name)
		seen := map[string]bool{}
		params := map[string]string{"count": "7"}
		total, pages := -1, 0
		for {
			r, err := e.flow.Call(ctx, a, g.OpenID, params)
			if err != nil {
				t.Fatalf("%s page %d: %v", name, pages, err)
			}
			pages++
			d := dataOf(t, r)
			for _, it := range d["list"].([]any) {
				m := it.(map[string]any)
				id, _ := m["item_id"].(string)
				if id == "" {
					id, _ = m["open_id"].(string)
				}
				if seen[id] {
					t.Fatalf("%s: %s twice", name, id)
				}
				seen[id] = true
			}
			if n, ok := d["total"].(float64); ok {
				total = int(n)
			}
			next, more := r.Next(params)
			if !more {
				break
			}
			if pages > 50 {
				t.Fatalf("%s: no end after 50 pages", name)
			}
			params = next
		}
		if pages < 3 || len(seen) < 14 || (total >= 0 && total != len(seen)) {
			t.Errorf("%s: %d pages, %d items, total %d", name, pages, len(seen), total)
		}
	}
}

// TestMissingScopeIsNotSent: a grant without the API's scope fails before
// anything is sent; sent anyway, the platform refuses it with the code of
// its gateway, explained in both languages.
func TestMissingScopeIsNotSent(t *testing.T) {
	e := newEnv(t, "user_info")
	g := e.login(t)
	ctx := context.Background()
	n := len(e.log)
	_, err := e.flow.Call(ctx, mustAPI(t, "video-list"), g.OpenID, nil)
	var ms *auth.MissingScopeError
	if !errors.As(err, &ms) || ms.Scope != "video.list.bind" || len(e.log) != n {
		t.Fatalf("err = %v, %d requests sent", err, len(e.log)-n)
	}
	if !strings.Contains(ms.Message("zh"), "授权作用域（scope）video.list.bind") || !strings.Contains(ms.Message("en"), "nothing was sent") {
		t.Errorf("messages: %s / %s", ms.Message("en"), ms.Message("zh"))
	}
	// The store believes the scope was granted; the platform knows better.
	g.Scope += ",video.list.bind,fans.list"
	if err := e.store.SaveGrant(g); err != nil {
		t.Fatal(err)
	}
	for api, code := range map[string]int{"video-list": 28001012, "fans-list": 2190003} {
		r, err := e.flow.Call(ctx, mustAPI(t, api), g.OpenID, nil)
		var pe *auth.PlatformError
		if !errors.As(err, &pe) || pe.Code != code || len(r.Body) == 0 || r.Curl == "" {
			t.Fatalf("%s: err = %v, result %+v", api, err, r)
		}
		if en, zh := pe.Message("en"), pe.Message("zh"); !strings.Contains(en, "authorize again, asking for the scope") ||
			!strings.Contains(zh, "重新授权") {
			t.Errorf("%s: %s / %s", api, en, zh)
		}
	}
}

// TestImportedAccessTokenCalls: an imported access token, whose scopes
// are unknown, is sent, and the platform decides: it answers for a scope
// the user granted and refuses one the user did not.
func TestImportedAccessTokenCalls(t *testing.T) {
	e := newEnv(t, "user_info", "video.list.bind")
	g := e.login(t)
	ctx := context.Background()
	imported := &auth.Flow{Client: e.flow.Client, Store: newMemStore(), Credentials: e.flow.Credentials}
	if _, err := imported.ImportAccessToken(ctx, g.AccessToken, g.OpenID); err != nil {
		t.Fatal(err)
	}
	r, err := imported.Call(ctx, mustAPI(t, "video-list"), g.OpenID, nil)
	if err != nil || len(dataOf(t, r)["list"].([]any)) == 0 {
		t.Fatalf("video-list with an imported access token: %v %s", err, r.Body)
	}
	_, err = imported.Call(ctx, mustAPI(t, "fans-list"), g.OpenID, nil)
	var pe *auth.PlatformError
	if !errors.As(err, &pe) || pe.Code != 2190003 {
		t.Fatalf("fans-list, not granted: %v", err)
	}
}

// TestClientAPINeedsClientToken: the client-token API takes the stored
// client token, fails before sending without one, and gets the platform's
// capability code when the app lacks the capability.
func TestClientAPINeedsClientToken(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	hot := mustAPI(t, "hot-videos")
	if _, err := e.flow.Call(ctx, hot, "", nil); !errors.Is(err, auth.ErrNoClientToken) || len(e.log) != 0 {
		t.Fatalf("without a client token: %v, %d sent", err, len(e.log))
	}
	ct, err := e.flow.FetchClientToken(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.flow.Call(ctx, hot, "", nil)
	var pe *auth.PlatformError
	if !errors.As(err, &pe) || pe.Code != 2190004 || !strings.Contains(pe.Message("en"), "the app lacks this capability") {
		t.Fatalf("an app without the capability: %v", err)
	}
	e.sb.AddApp(sandbox.App{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret,
		RedirectURI: "http://127.0.0.1:0/callback", Scopes: []string{"user_info", billboardScope}})
	r, err := e.flow.Call(ctx, hot, "", nil)
	if err != nil || len(dataOf(t, r)["list"].([]any)) == 0 {
		t.Fatalf("with the capability: %v %s", err, r.Body)
	}
	if !strings.Contains(r.Curl, "access-token: clt.") || strings.Contains(r.Curl, ct.Token) {
		t.Errorf("curl %s", r.Curl)
	}
	e.clock.Advance(3 * time.Hour)
	var te *auth.TokenError
	if _, err := e.flow.Call(ctx, hot, "", nil); !errors.As(err, &te) || te.Auth != auth.AuthClient {
		t.Fatalf("an expired client token: %v", err)
	}
}

// TestCallChecksBeforeSending: bad parameters and unusable access tokens
// fail before anything is sent.
func TestCallChecksBeforeSending(t *testing.T) {
	e, g := apiEnv(t)
	ctx := context.Background()
	cases := []struct {
		api    string
		params map[string]string
		field  auth.Field
		reason auth.Reason
	}{
		{"video-list", map[string]string{"page": "2"}, "page", auth.ReasonUnknown},
		{"video-list", map[string]string{"count": "ten"}, "count", auth.ReasonMalformed},
		{"user-fans", map[string]string{"date_type": "8"}, "date_type", auth.ReasonUnknown},
		{"video-data", nil, "item_ids", auth.ReasonEmpty},
		{"video-data", map[string]string{"item_ids": " , "}, "item_ids", auth.ReasonEmpty},
	}
	n := len(e.log)
	for _, c := range cases {
		_, err := e.flow.Call(ctx, mustAPI(t, c.api), g.OpenID, c.params)
		var fe *auth.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Reason != c.reason {
			t.Errorf("%s %v: %v", c.api, c.params, err)
		}
	}
	if _, err := e.flow.Call(ctx, mustAPI(t, "fans-list"), "nobody", nil); !errors.Is(err, auth.ErrNoAccount) {
		t.Errorf("unknown account: %v", err)
	}
	e.clock.Advance(16 * 24 * time.Hour)
	var te *auth.TokenError
	if _, err := e.flow.Call(ctx, mustAPI(t, "fans-list"), g.OpenID, nil); !errors.As(err, &te) || te.RefreshExpired {
		t.Errorf("an expired access token: %v", err)
	}
	e.clock.Advance(15 * 24 * time.Hour)
	if _, err := e.flow.Call(ctx, mustAPI(t, "fans-list"), g.OpenID, nil); !errors.As(err, &te) || !te.RefreshExpired ||
		!strings.Contains(te.Message("zh"), "重新授权") {
		t.Errorf("expired access and refresh tokens: %v", err)
	}
	if len(e.log) != n {
		t.Errorf("%d requests were sent", len(e.log)-n)
	}
}

// TestCurl: the curl command masks the token unless asked for it whole.
func TestCurl(t *testing.T) {
	e, g := apiEnv(t)
	a := mustAPI(t, "video-data")
	masked, err := e.flow.Curl(a, g.OpenID, map[string]string{"item_ids": "@x"}, false)
	if err != nil {
		t.Fatal(err)
	}
	whole, _ := e.flow.Curl(a, g.OpenID, map[string]string{"item_ids": "@x"}, true)
	if strings.Contains(masked, g.AccessToken) || !strings.Contains(masked, "'access-token: "+auth.Mask(g.AccessToken)+"'") ||
		!strings.HasPrefix(masked, "curl -X POST '") || !strings.Contains(masked, `--data-raw '{"item_ids":["@x"]}'`) {
		t.Errorf("masked: %s", masked)
	}
	if !strings.Contains(whole, "'access-token: "+g.AccessToken+"'") {
		t.Errorf("whole: %s", whole)
	}
}

// TestScopeCodesAreExplained: the codes the platform answers a call
// without its scope or capability are explained in both languages.
func TestScopeCodesAreExplained(t *testing.T) {
	for _, code := range []int{2190003, 2190004, 28001012, 28001018} {
		x, ok := auth.Explain(code)
		if !ok || x.MeaningZH == "" || x.MeaningEN == "" || x.ActionZH == "" || x.ActionEN == "" {
			t.Errorf("%d: %+v", code, x)
		}
	}
}

// TestCatalogueEntries: every entry names its page, scope and token
// placement, and FindAPI ignores case.
func TestCatalogueEntries(t *testing.T) {
	seen := map[string]bool{}
	clients := 0
	for _, a := range auth.Catalog() {
		if seen[a.Name] || a.Scope == "" || !strings.HasPrefix(a.Doc, "https://") || a.TokenIn == "" ||
			a.TitleEN == "" || a.TitleZH == "" || (a.Method != http.MethodGet && a.Method != http.MethodPost) {
			t.Errorf("entry %+v", a)
		}
		seen[a.Name] = true
		if a.Auth == auth.AuthClient {
			clients++
		}
	}
	if clients == 0 || len(seen) < 6 {
		t.Errorf("%d entries, %d with a client token", len(seen), clients)
	}
	if a, ok := auth.FindAPI("Video-List"); !ok || a.Path != auth.PathVideoList || !a.Pages {
		t.Errorf("FindAPI: %+v %v", a, ok)
	}
}
