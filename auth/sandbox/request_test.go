package sandbox

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
)

// shapeEndpoint is a platform API endpoint and how to make valid parameters
// for one call to it.
type shapeEndpoint struct {
	name     string
	path     string
	json     bool   // the docs give a JSON body, not a form
	doc      string // what the notes say the docs give
	params   func(e *env) map[string]string
	userInfo bool // answers in the userinfo shape
}

func shapeEndpoints() []shapeEndpoint {
	const form, jsonBody = "POST with a form body", "POST with a JSON body"
	client := func(*env) map[string]string { return clientBody(testKey, testSecret) }
	refresh := func(e *env) map[string]string {
		return map[string]string{"client_key": testKey, "grant_type": "refresh_token",
			"refresh_token": str(e.t, e.tokens("user_info", nil)["refresh_token"])}
	}
	return []shapeEndpoint{
		{name: "access_token", path: PathAccessToken, doc: form, params: func(e *env) map[string]string {
			return map[string]string{"client_key": testKey, "client_secret": testSecret,
				"code": e.authorize(testKey, testRedirect, "user_info", nil), "grant_type": "authorization_code"}
		}},
		{name: "refresh_token", path: PathRefreshToken, doc: form, params: refresh},
		{name: "renew_refresh_token", path: PathRenewRefreshToken, doc: form, params: func(e *env) map[string]string {
			return map[string]string{"client_key": testKey,
				"refresh_token": str(e.t, e.tokens("user_info,renew_refresh_token", nil)["refresh_token"])}
		}},
		{name: "client_token", path: PathClientToken, json: true, doc: jsonBody, params: client},
		{name: "stable_client_token", path: PathStableClientToken, json: true, doc: jsonBody, params: client},
		{name: "userinfo", path: PathUserInfo, doc: "POST with a form or JSON body", userInfo: true,
			params: func(e *env) map[string]string {
				d := e.tokens("user_info", nil)
				return map[string]string{"access_token": str(e.t, d["access_token"]), "open_id": str(e.t, d["open_id"])}
			}},
	}
}

func formOf(p map[string]string) string {
	v := url.Values{}
	for k, s := range p {
		v.Set(k, s)
	}
	return v.Encode()
}

func jsonOf(p map[string]string) string {
	b, _ := json.Marshal(p)
	return string(b)
}

// newShapeRequest is a request with body and, when not empty, a
// Content-Type.
func newShapeRequest(t *testing.T, method, u, ctype, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	return req
}

// documentedBody is the body and Content-Type the docs give for ep.
func documentedBody(ep shapeEndpoint, p map[string]string) (ctype, body string) {
	if ep.json {
		return "application/json", jsonOf(p)
	}
	return "application/x-www-form-urlencoded", formOf(p)
}

// requestShape is one way real clients send a call.
type requestShape struct {
	name  string
	only  string // the endpoint it applies to; "" for all
	build func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request
	// notes are the notes a default sandbox records; none for a documented shape.
	notes func(ep shapeEndpoint) []string
	// strict is the HTTP status that refuses it in strict mode; 200 means
	// error 10002 in the endpoint's JSON shape.
	strict int
}

func requestShapes() []requestShape {
	accepted := func(what, doc string) string { return what + " accepted; the platform documents " + doc }
	get := func(ep shapeEndpoint) string { return accepted("GET "+ep.path, ep.doc) }
	unlessDoc := func(isDoc func(shapeEndpoint) bool, note func(shapeEndpoint) string) func(shapeEndpoint) []string {
		return func(ep shapeEndpoint) []string {
			if isDoc(ep) {
				return nil
			}
			return []string{note(ep)}
		}
	}
	formDoc := func(ep shapeEndpoint) bool { return !ep.json }
	jsonDoc := func(ep shapeEndpoint) bool { return ep.json || ep.userInfo }
	header := func(name, ctype string, body func(map[string]string) string) func(*testing.T, string, shapeEndpoint, map[string]string) *http.Request {
		return func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
			rest := map[string]string{"open_id": p["open_id"]}
			req := newShapeRequest(t, http.MethodPost, base+ep.path, ctype, body(rest))
			req.Header[name] = []string{p["access_token"]} // sent as written, not canonicalized
			return req
		}
	}
	return []requestShape{
		{name: "POST form", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodPost, base+ep.path, "application/x-www-form-urlencoded", formOf(p))
			},
			notes: unlessDoc(formDoc, func(ep shapeEndpoint) string { return accepted("POST "+ep.path+" with a form body", ep.doc) })},
		{name: "POST JSON", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodPost, base+ep.path, "application/json; charset=utf-8", jsonOf(p))
			},
			notes: unlessDoc(jsonDoc, func(ep shapeEndpoint) string { return accepted("POST "+ep.path+" with a JSON body", ep.doc) })},
		{name: "GET query", strict: http.StatusMethodNotAllowed,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodGet, base+ep.path+"?"+formOf(p), "", "")
			},
			notes: func(ep shapeEndpoint) []string { return []string{get(ep)} }},
		{name: "GET JSON body", strict: http.StatusMethodNotAllowed,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodGet, base+ep.path, "application/json", jsonOf(p))
			},
			notes: func(ep shapeEndpoint) []string {
				if jsonDoc(ep) {
					return []string{get(ep)}
				}
				return []string{get(ep), accepted("GET "+ep.path+" with a JSON body", ep.doc)}
			}},
		{name: "GET JSON type empty body", strict: http.StatusMethodNotAllowed,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodGet, base+ep.path+"?"+formOf(p), "application/json", "")
			},
			notes: func(ep shapeEndpoint) []string { return []string{get(ep)} }},
		{name: "POST multipart", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				var b bytes.Buffer
				mw := multipart.NewWriter(&b)
				for k, v := range p {
					mw.WriteField(k, v)
				}
				mw.Close()
				return newShapeRequest(t, http.MethodPost, base+ep.path, mw.FormDataContentType(), b.String())
			},
			notes: func(ep shapeEndpoint) []string {
				return []string{accepted("POST "+ep.path+" with a multipart/form-data body", ep.doc)}
			}},
		{name: "POST query", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				return newShapeRequest(t, http.MethodPost, base+ep.path+"?"+formOf(p), "application/x-www-form-urlencoded", "")
			},
			notes: func(ep shapeEndpoint) []string {
				return []string{accepted("POST "+ep.path+" with parameters in the query string", ep.doc)}
			}},
		{name: "no trailing slash", strict: http.StatusNotFound,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				ctype, body := documentedBody(ep, p)
				return newShapeRequest(t, http.MethodPost, base+strings.TrimSuffix(ep.path, "/"), ctype, body)
			},
			notes: func(ep shapeEndpoint) []string {
				return []string{accepted("POST "+strings.TrimSuffix(ep.path, "/")+" (no trailing slash)", ep.path)}
			}},
		{name: "documented body labelled text/plain", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				_, body := documentedBody(ep, p)
				return newShapeRequest(t, http.MethodPost, base+ep.path, "text/plain", body)
			},
			notes: func(ep shapeEndpoint) []string {
				ctype, _ := documentedBody(ep, nil)
				kind := map[bool]string{false: "a form body", true: "a JSON body"}[ep.json]
				return []string{accepted("POST "+ep.path+" with "+kind+" labelled text/plain", "Content-Type "+ctype)}
			}},
		{name: "documented body without Content-Type", strict: 200,
			build: func(t *testing.T, base string, ep shapeEndpoint, p map[string]string) *http.Request {
				_, body := documentedBody(ep, p)
				return newShapeRequest(t, http.MethodPost, base+ep.path, "", body)
			},
			notes: func(ep shapeEndpoint) []string {
				ctype, _ := documentedBody(ep, nil)
				kind := map[bool]string{false: "a form body", true: "a JSON body"}[ep.json]
				return []string{accepted("POST "+ep.path+" with "+kind+" without a Content-Type", "Content-Type "+ctype)}
			}},
		{name: "access-token header, JSON body", only: "userinfo", strict: 200,
			build: header("access-token", "application/json", jsonOf),
			notes: func(ep shapeEndpoint) []string {
				return []string{accepted("POST "+ep.path+" with the access token in an access-token header", "access_token in the body")}
			}},
		{name: "access_token header, form body", only: "userinfo", strict: 200,
			build: header("access_token", "application/x-www-form-urlencoded", formOf),
			notes: func(ep shapeEndpoint) []string {
				return []string{accepted("POST "+ep.path+" with the access token in an access_token header", "access_token in the body")}
			}},
	}
}

// wantAnswered checks that r is a successful answer of ep.
func wantAnswered(t *testing.T, ep shapeEndpoint, r resp, p map[string]string) {
	t.Helper()
	if ep.userInfo {
		m := r.json(t)
		if num(t, m["err_no"]) != 0 {
			t.Fatalf("userinfo refused: %s", r.body)
		}
		if d, _ := m["data"].(map[string]any); d == nil || d["open_id"] != p["open_id"] {
			t.Fatalf("userinfo answered another user: %s", r.body)
		}
		return
	}
	d := data(t, r)
	if num(t, d["error_code"]) != 0 {
		t.Fatalf("%s refused: %s", ep.name, r.body)
	}
	if d["access_token"] == nil && d["refresh_token"] == nil {
		t.Fatalf("%s issued no token: %s", ep.name, r.body)
	}
}

// wantRefused checks that r refuses a call to ep with status, or with
// error 10002 when status is 200.
func wantRefused(t *testing.T, ep shapeEndpoint, r resp, status int) {
	t.Helper()
	switch {
	case status != http.StatusOK:
		if r.status != status {
			t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
		}
		if status == http.StatusMethodNotAllowed && r.header.Get("Allow") != http.MethodPost {
			t.Errorf("Allow %q, want POST", r.header.Get("Allow"))
		}
	case ep.userInfo:
		wantUserInfoError(t, r, 10002)
	default:
		wantOAuthError(t, r, 10002)
	}
}

func noteTexts(notes []Note) []string {
	var out []string
	for _, n := range notes {
		out = append(out, n.Text)
	}
	return out
}

// TestRequestShapes sends every shape to every endpoint: a default sandbox
// answers it and notes each deviation, a strict one refuses the deviating
// shapes as the platform would, and both answer the documented shapes
// without a note.
func TestRequestShapes(t *testing.T) {
	for _, ep := range shapeEndpoints() {
		for _, sh := range requestShapes() {
			if sh.only != "" && sh.only != ep.name {
				continue
			}
			for _, strict := range []bool{false, true} {
				name := ep.name + "/" + sh.name
				if strict {
					name += "/strict"
				}
				t.Run(name, func(t *testing.T) {
					e := newEnv(t, func(o *Options) { o.Strict = strict })
					p := ep.params(e)
					r := e.do(sh.build(t, e.srv.URL, ep, p))
					want := sh.notes(ep)
					switch {
					case strict && want != nil:
						wantRefused(t, ep, r, sh.strict)
						for i := range want {
							want[i] = strings.Replace(want[i], " accepted; ", " refused; ", 1)
						}
						if sh.strict == http.StatusOK && !strings.Contains(string(r.body), want[0]) {
							t.Errorf("the refusal does not name the deviation %q:\n%s", want[0], r.body)
						}
					default:
						wantAnswered(t, ep, r, p)
					}
					notes := e.s.Notes()
					if got := noteTexts(notes); !slices.Equal(got, want) {
						t.Errorf("notes\n%q\nwant\n%q", got, want)
					}
					for _, n := range notes {
						if n.Endpoint != ep.path || n.Refused != strict || !n.Time.Equal(testBase) {
							t.Errorf("note %+v: want endpoint %s, refused %v, time %v", n, ep.path, strict, testBase)
						}
					}
				})
			}
		}
	}
}

// TestNotesEndpointAndCallback checks GET /_sandbox/notes and OnNote see the
// same notes, and that only the most recent MaxNotes are kept.
func TestNotesEndpointAndCallback(t *testing.T) {
	var mu sync.Mutex
	var heard []string
	e := newEnv(t, func(o *Options) {
		o.OnNote = func(n Note) {
			mu.Lock()
			heard = append(heard, n.Text)
			mu.Unlock()
		}
	})
	var list []Note
	if err := json.Unmarshal(e.get("/_sandbox/notes", nil).body, &list); err != nil || list == nil || len(list) != 0 {
		t.Fatalf("notes before any call: %v %v", list, err)
	}
	for i := 0; i < MaxNotes+5; i++ {
		e.get(PathClientToken, url.Values{"client_key": {testKey}, "client_secret": {testSecret},
			"grant_type": {"client_credential"}, "n": {string(rune('a' + i%26))}})
	}
	r := e.get("/_sandbox/notes", nil)
	if r.status != http.StatusOK {
		t.Fatalf("GET /_sandbox/notes: %d %s", r.status, r.body)
	}
	if err := json.Unmarshal(r.body, &list); err != nil {
		t.Fatal(err)
	}
	want := "GET /oauth/client_token/ accepted; the platform documents POST with a JSON body"
	if len(list) != MaxNotes || list[0].Text != want || list[0].Endpoint != PathClientToken {
		t.Errorf("notes: %d, first %+v", len(list), list[0])
	}
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != MaxNotes+5 || heard[0] != want {
		t.Errorf("OnNote heard %d notes, first %q", len(heard), heard[0])
	}
	// The notes are behind the control guard, like the other controls.
	req := newShapeRequest(t, http.MethodGet, e.srv.URL+"/_sandbox/notes", "", "")
	req.Header.Set("Origin", "https://example.com")
	if r := e.do(req); r.status != http.StatusForbidden {
		t.Errorf("notes for another origin: status %d", r.status)
	}
}

// TestStrictMethods checks the Allow header names what each mode serves.
func TestStrictMethods(t *testing.T) {
	for strict, allow := range map[bool]string{false: "GET, POST", true: "POST"} {
		e := newEnv(t, func(o *Options) { o.Strict = strict })
		r := e.do(newShapeRequest(t, http.MethodPut, e.srv.URL+PathAccessToken, "", ""))
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != allow {
			t.Errorf("strict %v: PUT gave %d, Allow %q; want 405, %q", strict, r.status, r.header.Get("Allow"), allow)
		}
	}
}
