package sandbox

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// apiScopes are the scopes of every user API the sandbox serves.
const apiScopes = "user_info,video.list.bind,video.data.bind,fans.list,following.list,data.external.user"

// apiEnv is an env whose test app holds every capability of the OpenAPIs.
func apiEnv(t *testing.T, mutate func(*Options)) *env {
	t.Helper()
	e := newEnv(t, mutate)
	e.s.AddApp(App{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI,
		Scopes: append(DefaultScopes(), BillboardScope)})
	return e
}

// callAPI sends an OpenAPI request with token in the access-token header.
func (e *env) callAPI(method, path, token string, q url.Values, body string) resp {
	e.t.Helper()
	u := e.srv.URL + path
	if q != nil {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("access-token", token)
	}
	req.Header.Set("Content-Type", "application/json")
	return e.do(req)
}

// grant authorizes scope for the test app as the demo user of index user
// and returns the access token and open_id.
func (e *env) grant(scope string, user int) (string, string) {
	e.t.Helper()
	d := e.tokens(scope, url.Values{"open_id": {DemoUsers()[user].OpenID}})
	return str(e.t, d["access_token"]), str(e.t, d["open_id"])
}

// clientToken fetches a client token of the test app.
func (e *env) clientToken() string {
	e.t.Helper()
	return str(e.t, data(e.t, e.postJSON(PathClientToken, clientBody(testKey, testSecret)))["access_token"])
}

// wantAPIError checks that r is an OpenAPI error answer with code, in data
// and in extra.
func wantAPIError(t *testing.T, r resp, code int, detail string) {
	t.Helper()
	m := r.json(t)
	d, _ := m["data"].(map[string]any)
	x, _ := m["extra"].(map[string]any)
	if r.status != http.StatusOK || d == nil || x == nil {
		t.Fatalf("status %d, not the OpenAPI shape: %s", r.status, r.body)
	}
	if num(t, d["error_code"]) != int64(code) || num(t, x["error_code"]) != int64(code) {
		t.Fatalf("error_code %v / %v, want %d\n%s", d["error_code"], x["error_code"], code, r.body)
	}
	desc := str(t, d["description"])
	if desc == "" || strings.HasPrefix(desc, "Unknown error") || x["description"] != desc || !strings.Contains(desc, detail) {
		t.Errorf("description %q, want one with %q", desc, detail)
	}
	if str(t, x["logid"]) == "" || num(t, x["now"]) < testBase.UnixMilli() {
		t.Errorf("extra %v", x)
	}
}

// TestOpenAPIShapesMatchDocs: the answers have the keys and kinds of value
// of the official pages' examples, down to the list's items.
func TestOpenAPIShapesMatchDocs(t *testing.T) {
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	for name, r := range map[string]resp{
		"fans_list_success.json": e.callAPI("GET", PathFansList, at, url.Values{"open_id": {oid}, "count": {"5"}}, ""),
		"hot_video_success.json": e.callAPI("GET", PathHotVideos, e.clientToken(), nil, ""),
	} {
		want, err := os.ReadFile(filepath.Join("testdata", "openapi", name))
		if err != nil {
			t.Fatal(err)
		}
		diffShapes(t, name, shapeOf(t, want), shapeOf(t, r.body))
		diffShapes(t, name+" list[0]", shapeOf(t, firstItem(t, want)), shapeOf(t, firstItem(t, r.body)))
	}
}

// firstItem returns data.list[0] of an answer, as JSON.
func firstItem(t *testing.T, b []byte) []byte {
	t.Helper()
	var m struct {
		Data struct {
			List []json.RawMessage `json:"list"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &m); err != nil || len(m.Data.List) == 0 {
		t.Fatalf("no data.list[0] in %s", b)
	}
	return m.Data.List[0]
}

// TestOpenAPITokenChecks: each family of OpenAPI refuses what the token
// cannot do with its own codes, in the order userinfo checks.
func TestOpenAPITokenChecks(t *testing.T) {
	for _, f := range []struct {
		path  string
		scope string
		codes gatewayCodes
	}{
		{PathVideoList, "video.list.bind", gatewayCodes{invalid: 28001003, expired: 28001008, param: 28001007,
			mismatch: 28001015, capability: 28001018, notGranted: 28001012}},
		{PathFansList, "fans.list", gatewayCodes{invalid: 2190002, expired: 2190008, param: 2100005,
			mismatch: 2190015, capability: 2190004, notGranted: 2190003}},
		{PathUserFans, "data.external.user", gatewayCodes{invalid: 2190002, expired: 2190008, param: 2100005,
			mismatch: 2190015, capability: 2190004, notGranted: 2190003}},
	} {
		e := apiEnv(t, nil)
		at, oid := e.grant(apiScopes, 0)
		narrow, narrowID := e.grant("user_info", 1)
		q := func(id string) url.Values { return url.Values{"open_id": {id}, "count": {"5"}, "date_type": {"7"}} }
		get := func(tok string, v url.Values) resp { return e.callAPI("GET", f.path, tok, v, "") }
		wantAPIError(t, get("", q(oid)), f.codes.invalid, "no access-token header")
		wantAPIError(t, get("act.unknown", q(oid)), f.codes.invalid, "")
		wantAPIError(t, get(e.clientToken(), q(oid)), f.codes.invalid, "client_token")
		wantAPIError(t, get(at, url.Values{"count": {"5"}, "date_type": {"7"}}), f.codes.param, "open_id")
		wantAPIError(t, get(at, q(narrowID)), f.codes.mismatch, "")
		wantAPIError(t, get(narrow, q(narrowID)), f.codes.notGranted, f.scope+" was not granted")
		if r := get(at, q(oid)); num(t, data(t, r)["error_code"]) != 0 {
			t.Fatalf("%s: %s", f.path, r.body)
		}
		e.s.Revoke(testKey, narrowID)
		wantAPIError(t, get(narrow, q(narrowID)), f.codes.invalid, revokedDetail)
		e.s.AddApp(App{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI,
			Scopes: []string{"user_info"}})
		wantAPIError(t, get(at, q(oid)), f.codes.capability, "the app does not hold "+f.scope)
		e.s.Advance(16 * 24 * time.Hour)
		wantAPIError(t, get(at, q(oid)), f.codes.expired, "")
	}
}

// TestDemoAppHoldsEveryAPI: the demo app of a sandbox without Options.Apps
// holds the capability of every OpenAPI the sandbox serves, so its client
// token gets the hot video billboard.
func TestDemoAppHoldsEveryAPI(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Apps = nil })
	demo := DemoApps()[0]
	for _, a := range e.s.openAPIs() {
		if !slices.Contains(demo.Scopes, a.scope) {
			t.Errorf("the demo app lacks %s, which %s needs", a.scope, a.path)
		}
	}
	clt := str(t, data(t, e.postJSON(PathStableClientToken, clientBody(DemoClientKey, DemoClientSecret)))["access_token"])
	if list, _ := data(t, e.callAPI("GET", PathHotVideos, clt, nil, ""))["list"].([]any); len(list) == 0 {
		t.Fatal("an empty billboard for the demo app")
	}
	if slices.Contains(DefaultScopes(), BillboardScope) {
		t.Error("DefaultScopes, the scopes a user may grant, holds the app capability " + BillboardScope)
	}
}

// TestGatewayCodesAreDescribed: every code an OpenAPI gateway answers has
// its own description in the table Codes lists.
func TestGatewayCodesAreDescribed(t *testing.T) {
	for _, g := range []gatewayCodes{v1Codes, legacyCodes} {
		for _, code := range []int{g.invalid, g.expired, g.param, g.mismatch, g.capability, g.notGranted} {
			if Description(code) == "Unknown error" || !slices.Contains(Codes(), code) {
				t.Errorf("gateway code %d has no description", code)
			}
		}
	}
	if got := gatewayErr(2190004, "the app does not hold x").desc; got != "The app has not obtained this capability: the app does not hold x" {
		t.Errorf("2190004 with detail: %q", got)
	}
}

// TestClientAPITokenChecks: the hot video billboard takes a live client
// token of an app that holds its capability, and no user token.
func TestClientAPITokenChecks(t *testing.T) {
	e := newEnv(t, nil)
	at, _ := e.grant("user_info", 0)
	clt := e.clientToken()
	get := func(tok string) resp { return e.callAPI("GET", PathHotVideos, tok, nil, "") }
	wantAPIError(t, get(""), 2190002, "no access-token header")
	wantAPIError(t, get(at), 2190002, "not a user's access_token")
	wantAPIError(t, get(clt), 2190004, BillboardScope)
	e.s.AddApp(App{Name: "Test App", ClientKey: testKey, ClientSecret: testSecret, RedirectURI: testRegURI,
		Scopes: []string{BillboardScope}})
	list, _ := data(t, get(clt))["list"].([]any)
	if len(list) == 0 {
		t.Fatal("an empty billboard")
	}
	prev := int64(1 << 62)
	for i, it := range list {
		m := it.(map[string]any)
		if num(t, m["rank"]) != int64(i+1) || num(t, m["hot_value"]) >= prev || !strings.HasPrefix(str(t, m["item_cover"]), e.srv.URL+"/_sandbox/cover/") {
			t.Fatalf("entry %d: %v", i, m)
		}
		prev = num(t, m["hot_value"])
	}
	e.s.Advance(3 * time.Hour)
	wantAPIError(t, get(clt), 2190008, "expired")
}

// TestOpenAPIPaging walks the fans list by cursor and checks the bounds of
// count and cursor.
func TestOpenAPIPaging(t *testing.T) {
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	page := func(path string, v url.Values) resp {
		v.Set("open_id", oid)
		return e.callAPI("GET", path, at, v, "")
	}
	var ids []string
	cursor, total := "0", int64(0)
	for pages := 0; ; pages++ {
		d := data(t, page(PathFansList, url.Values{"count": {"9"}, "cursor": {cursor}}))
		for _, it := range d["list"].([]any) {
			ids = append(ids, str(t, it.(map[string]any)["open_id"]))
		}
		total = num(t, d["total"])
		if more, _ := d["has_more"].(bool); !more {
			break
		}
		if pages > 20 {
			t.Fatal("no end after 20 pages")
		}
		cursor = string(d["cursor"].(json.Number))
	}
	slices.Sort(ids)
	if int64(len(ids)) != total || len(slices.Compact(slices.Clone(ids))) != len(ids) || total < 30 {
		t.Fatalf("walked %d fans of %d", len(ids), total)
	}
	d := data(t, page(PathFansList, url.Values{"count": {"9"}, "cursor": {"100000"}}))
	if l := d["list"].([]any); len(l) != 0 || d["has_more"] != false {
		t.Errorf("past the end: %v", d)
	}
	for _, c := range []struct {
		path string
		v    url.Values
		code int
	}{
		{PathFansList, url.Values{}, 2100005},
		{PathFansList, url.Values{"count": {"0"}}, 2100005},
		{PathFollowingList, url.Values{"count": {"x"}}, 2100005},
		{PathFansList, url.Values{"count": {"5"}, "cursor": {"-1"}}, 2100005},
		{PathVideoList, url.Values{"count": {"21"}}, 28001007},
		{PathUserFans, url.Values{"date_type": {"8"}}, 2100005},
	} {
		wantAPIError(t, page(c.path, c.v), c.code, "")
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDemoDataIsStable: the same user gets the same data call after call;
// another user other data; the 7-day fan counts are the last of the 30-day
// ones, each day's total the previous one's and its new fans.
func TestDemoDataIsStable(t *testing.T) {
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	list := func(tok, id string) []any {
		r := e.callAPI("GET", PathVideoList, tok, url.Values{"open_id": {id}, "count": {"20"}}, "")
		return data(t, r)["list"].([]any)
	}
	a, b := list(at, oid), list(at, oid)
	if string(mustJSON(t, a)) != string(mustJSON(t, b)) || len(a) != 20 {
		t.Fatal("the video list changed between calls")
	}
	if c := list(e.grant(apiScopes, 1)); string(mustJSON(t, c)) == string(mustJSON(t, a)) {
		t.Fatal("two users have the same videos")
	}
	days := func(n string) []any {
		r := e.callAPI("GET", PathUserFans, at, url.Values{"open_id": {oid}, "date_type": {n}}, "")
		return data(t, r)["result_list"].([]any)
	}
	week, month := days("7"), days("30")
	if len(week) != 7 || len(month) != 30 || string(mustJSON(t, week)) != string(mustJSON(t, month[23:])) {
		t.Fatalf("7 days %v, last 7 of 30 %v", week, month[23:])
	}
	for i := 1; i < len(month); i++ {
		prev, cur := month[i-1].(map[string]any), month[i].(map[string]any)
		if num(t, cur["total_fans"]) != num(t, prev["total_fans"])+num(t, cur["new_fans"]) || str(t, cur["date"]) <= str(t, prev["date"]) {
			t.Fatalf("day %d: %v after %v", i, cur, prev)
		}
	}
	if last := month[29].(map[string]any); str(t, last["date"]) != testBase.In(chinaTime).AddDate(0, 0, -1).Format(time.DateOnly) {
		t.Errorf("the last day is %v, not yesterday", last["date"])
	}
}

// TestVideoData answers the given videos of the user with their statistics,
// and only those.
func TestVideoData(t *testing.T) {
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	videos := data(t, e.callAPI("GET", PathVideoList, at, url.Values{"open_id": {oid}, "count": {"3"}}, ""))["list"].([]any)
	ids := []string{str(t, videos[0].(map[string]any)["item_id"]), str(t, videos[2].(map[string]any)["item_id"]), "@not-hers"}
	body := string(mustJSON(t, map[string]any{"item_ids": ids}))
	got := data(t, e.callAPI("POST", PathVideoData, at, url.Values{"open_id": {oid}}, body))["list"].([]any)
	if len(got) != 2 || string(mustJSON(t, got[0])) != string(mustJSON(t, videos[0])) {
		t.Fatalf("video data %v", got)
	}
	stats := got[1].(map[string]any)["statistics"].(map[string]any)
	if num(t, stats["play_count"]) <= num(t, stats["digg_count"]) || num(t, stats["digg_count"]) == 0 {
		t.Errorf("statistics %v", stats)
	}
	wantAPIError(t, e.callAPI("POST", PathVideoData, at, url.Values{"open_id": {oid}}, `{"item_ids":"x"}`), 28001007, "item_ids")
	wantAPIError(t, e.callAPI("POST", PathVideoData, at, url.Values{"open_id": {oid}}, `{}`), 28001007, "item_ids")
}

// TestOpenAPIRequestShapes: the token in the query string is taken with a
// note, or refused in strict mode like a path without its slash; a wrong
// method is 405; faults and numbers-as-strings apply.
func TestOpenAPIRequestShapes(t *testing.T) {
	for _, strict := range []bool{false, true} {
		e := apiEnv(t, func(o *Options) { o.Strict = strict })
		at, oid := e.grant(apiScopes, 0)
		r := e.callAPI("GET", PathFansList, "", url.Values{"open_id": {oid}, "count": {"5"}, "access_token": {at}}, "")
		notes := e.s.Notes()
		if len(notes) == 0 || !strings.Contains(notes[len(notes)-1].Text, "the query string") || notes[len(notes)-1].Refused != strict {
			t.Errorf("strict %v: notes %v", strict, notes)
		}
		if strict {
			wantAPIError(t, r, 10002, "refused")
			if r := e.callAPI("GET", strings.TrimSuffix(PathFansList, "/"), at, url.Values{"open_id": {oid}, "count": {"5"}}, ""); r.status != http.StatusNotFound {
				t.Errorf("strict, no slash: %d", r.status)
			}
		} else if num(t, data(t, r)["error_code"]) != 0 {
			t.Errorf("token in the query: %s", r.body)
		}
		if r := e.callAPI("POST", PathFansList, at, nil, ""); r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET" {
			t.Errorf("POST to a GET API: %d %v", r.status, r.header)
		}
	}
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	e.s.Inject(Fault{Endpoint: PathFansList, ErrorCode: 2190008})
	e.s.Inject(Fault{Endpoint: PathFollowingList, StringNumbers: true, Once: true})
	wantAPIError(t, e.callAPI("GET", PathFansList, at, url.Values{"open_id": {oid}, "count": {"5"}}, ""), 2190008, "")
	d := data(t, e.callAPI("GET", PathFollowingList, at, url.Values{"open_id": {oid}, "count": {"5"}}, ""))
	if _, ok := d["total"].(string); !ok {
		t.Errorf("numbers-as-strings: total is %T", d["total"])
	}
}

// TestCoverImages: every cover a video list links to is a 3:4 PNG the
// sandbox serves; other names are not found.
func TestCoverImages(t *testing.T) {
	e := apiEnv(t, nil)
	at, oid := e.grant(apiScopes, 0)
	videos := data(t, e.callAPI("GET", PathVideoList, at, url.Values{"open_id": {oid}, "count": {"4"}}, ""))["list"].([]any)
	seen := map[string]bool{}
	for _, v := range videos {
		u := str(t, v.(map[string]any)["cover"])
		r := e.get(strings.TrimPrefix(u, e.srv.URL), nil)
		img, err := png.Decode(bytes.NewReader(r.body))
		if r.status != http.StatusOK || err != nil || img.Bounds().Dx() != CoverWidth || img.Bounds().Dy() != CoverHeight {
			t.Fatalf("%s: %d %v", u, r.status, err)
		}
		seen[string(r.body)] = true
	}
	if len(seen) != len(videos) {
		t.Errorf("%d distinct covers for %d videos", len(seen), len(videos))
	}
	for _, p := range []string{pathCoverPrefix + "zz.png", pathCoverPrefix + "abcd.jpg"} {
		if r := e.get(p, nil); r.status != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.status)
		}
	}
}
