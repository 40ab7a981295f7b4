package sandbox

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestStringNumbersOption(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.StringNumbers = true })
	code := e.authorize(testKey, testRedirect, "user_info", nil)
	d := data(t, e.postForm(PathAccessToken, tokenForm(code)))
	for k, want := range map[string]string{"error_code": "0", "expires_in": "1296000", "refresh_expires_in": "2592000"} {
		if d[k] != want {
			t.Errorf("%s = %#v, want the string %q", k, d[k], want)
		}
	}
	m := e.postForm(PathAccessToken, tokenForm(code)).json(t)
	d, x := m["data"].(map[string]any), m["extra"].(map[string]any)
	if d["error_code"] != "10007" || x["sub_error_code"] != "0" {
		t.Errorf("error numbers not strings: %v %v", d, x)
	}
	if _, ok := x["now"].(string); !ok {
		t.Errorf("extra.now %#v is not a string", x["now"])
	}
	tok := data(t, e.postJSON(PathClientToken, clientBody(testKey, testSecret)))
	if tok["expires_in"] != "7200" || tok["error_code"] != "0" {
		t.Errorf("client_token numbers: %v", tok)
	}
	e.s.SetStringNumbers(false)
	d = data(t, e.postJSON(PathClientToken, clientBody(testKey, testSecret)))
	if _, ok := d["expires_in"].(json.Number); !ok {
		t.Errorf("SetStringNumbers(false) ignored: %#v", d["expires_in"])
	}
}

func TestStringNumbersFault(t *testing.T) {
	e := newEnv(t, nil)
	e.s.Inject(Fault{Endpoint: "/oauth/userinfo", StringNumbers: true})
	tok := e.tokens("user_info", nil)
	if _, ok := tok["expires_in"].(json.Number); !ok {
		t.Errorf("fault on userinfo changed access_token: %#v", tok["expires_in"])
	}
	m := e.postForm(PathUserInfo, url.Values{"access_token": {str(t, tok["access_token"])},
		"open_id": {str(t, tok["open_id"])}}).json(t)
	// err_no stays a number; data's numbers are strings.
	if n, ok := m["err_no"].(json.Number); !ok || n != "0" {
		t.Errorf("err_no %#v, want the number 0", m["err_no"])
	}
	if m["data"].(map[string]any)["error_code"] != "0" {
		t.Errorf("data.error_code %#v, want \"0\"", m["data"].(map[string]any)["error_code"])
	}
}

func TestTruncateFault(t *testing.T) {
	e := newEnv(t, nil)
	e.s.Inject(Fault{Endpoint: PathClientToken, Truncate: true, Once: true})
	r := e.postJSON(PathClientToken, clientBody(testKey, testSecret))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if json.Valid(r.body) || !strings.HasPrefix(string(r.body), `{"data":{`) {
		t.Fatalf("body is not cut JSON: %s", r.body)
	}
	whole := e.postJSON(PathClientToken, clientBody(testKey, testSecret))
	if !json.Valid(whole.body) {
		t.Fatalf("Once fault applied twice: %s", whole.body)
	}
	if d := len(whole.body) / 2; len(r.body) < d-2 || len(r.body) > d+2 {
		t.Errorf("truncated to %d bytes, whole is %d", len(r.body), len(whole.body))
	}
}

func TestGatewayStatusFaults(t *testing.T) {
	e := newEnv(t, nil)
	code := e.authorize(testKey, testRedirect, "user_info", nil)
	for _, status := range []int{500, 502} {
		e.s.Inject(Fault{Status: status, Once: true})
		r := e.postForm(PathAccessToken, tokenForm(code))
		if r.status != status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("status %d %q, want %d HTML", r.status, r.header.Get("Content-Type"), status)
		}
		if !strings.Contains(string(r.body), "<html>") || !strings.Contains(string(r.body), http.StatusText(status)) {
			t.Errorf("body: %s", r.body)
		}
	}
	// The gateway failures did not consume the code.
	if d := data(t, e.postForm(PathAccessToken, tokenForm(code))); num(t, d["error_code"]) != 0 {
		t.Errorf("code lost to a gateway error: %v", d)
	}
	// A persistent fault stays until cleared.
	e.s.Inject(Fault{Endpoint: PathClientToken, Status: 502})
	for i := 0; i < 2; i++ {
		if r := e.postJSON(PathClientToken, clientBody(testKey, testSecret)); r.status != 502 {
			t.Fatalf("call %d: status %d", i, r.status)
		}
	}
	if r := e.postJSON(PathStableClientToken, clientBody(testKey, testSecret)); r.status != 200 {
		t.Errorf("fault leaked to another endpoint: %d", r.status)
	}
	e.s.ClearFaults()
	if r := e.postJSON(PathClientToken, clientBody(testKey, testSecret)); r.status != 200 {
		t.Errorf("after ClearFaults: %d", r.status)
	}
}

func TestErrorCodeFaultIsOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.s.Inject(Fault{Endpoint: PathClientToken, ErrorCode: 10001})
	e.s.Inject(Fault{Endpoint: PathClientToken, ErrorCode: 28003018})
	wantOAuthError(t, e.postJSON(PathClientToken, clientBody(testKey, testSecret)), 10001)
	wantOAuthError(t, e.postJSON(PathClientToken, clientBody(testKey, testSecret)), 28003018)
	if d := data(t, e.postJSON(PathClientToken, clientBody(testKey, testSecret))); num(t, d["error_code"]) != 0 {
		t.Errorf("error fault applied thrice: %v", d)
	}
	// An ErrorCode fault for every endpoint hits whichever call comes first.
	e.s.Inject(Fault{ErrorCode: 10001})
	wantOAuthError(t, e.postJSON(PathStableClientToken, clientBody(testKey, testSecret)), 10001)
	if len(e.s.Faults()) != 0 {
		t.Errorf("faults left: %v", e.s.Faults())
	}
}

func TestErrorCodeFaultShapes(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens("user_info", nil)
	e.s.Inject(Fault{ErrorCode: 28001016})
	wantUserInfoError(t, e.postForm(PathUserInfo, url.Values{"access_token": {str(t, tok["access_token"])},
		"open_id": {str(t, tok["open_id"])}}), 28001016)
	e.s.Inject(Fault{ErrorCode: 10001})
	wantOAuthError(t, e.postForm(PathRefreshToken, refreshForm(str(t, tok["refresh_token"]))), 10001)
	e.s.Inject(Fault{Endpoint: PathConnect, ErrorCode: 10012})
	wantErrorPage(t, e.get(PathConnect, authParams(testKey, testRedirect, "user_info", "s")), 10012)
	if r := e.get(PathConnect, authParams(testKey, testRedirect, "user_info", "s")); r.status != 200 {
		t.Errorf("consent fault applied twice: %d", r.status)
	}
}

func TestLatency(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Latency = 60 * time.Millisecond })
	start := time.Now()
	e.postJSON(PathClientToken, clientBody(testKey, testSecret))
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("Options.Latency: answered in %v", d)
	}
	e.s.Inject(Fault{Endpoint: PathClientToken, Latency: 100 * time.Millisecond, Once: true})
	start = time.Now()
	e.postJSON(PathClientToken, clientBody(testKey, testSecret))
	if d := time.Since(start); d < 160*time.Millisecond {
		t.Errorf("fault latency: answered in %v", d)
	}
}

func TestControlEndpoints(t *testing.T) {
	e := newEnv(t, nil)
	post := func(path, body string) resp {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		return e.do(req)
	}
	if r := post("/_sandbox/fault", `{"endpoint":"/oauth/client_token/","status":502,"once":true}`); r.status != 200 {
		t.Fatalf("POST fault: %d %s", r.status, r.body)
	}
	if r := post("/_sandbox/fault", `{"endpoint":"/oauth/client_token/","error_code":10020,"latency_ms":1,"truncate":false,"string_numbers":true}`); r.status != 200 {
		t.Fatalf("POST fault: %d %s", r.status, r.body)
	}
	for _, bad := range []string{`{"status":200}`, `{"latency_ms":-1}`, `{"bogus":1}`, `not json`, `{"endpoint":"oauth"}`} {
		if r := post("/_sandbox/fault", bad); r.status != http.StatusBadRequest {
			t.Errorf("POST fault %s: %d, want 400", bad, r.status)
		}
	}
	var faults []Fault
	if err := json.Unmarshal(e.get("/_sandbox/fault", nil).body, &faults); err != nil || len(faults) != 2 ||
		faults[0].Status != 502 || !faults[0].Once || faults[1].ErrorCode != 10020 || faults[1].Latency != time.Millisecond {
		t.Fatalf("GET fault: %v %+v", err, faults)
	}
	if r := e.postJSON(PathClientToken, clientBody(testKey, testSecret)); r.status != 502 {
		t.Errorf("injected 502 not served: %d", r.status)
	}
	m := e.postJSON(PathClientToken, clientBody(testKey, testSecret)).json(t)
	if d := m["data"].(map[string]any); d["error_code"] != "10020" {
		t.Errorf("injected error with string numbers not served: %v", m)
	}
	e.s.Inject(Fault{Status: 500})
	req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+"/_sandbox/fault", nil)
	req.Header.Set("Content-Type", "application/json")
	if r := e.do(req); r.status != http.StatusNoContent || len(e.s.Faults()) != 0 {
		t.Errorf("DELETE fault: %d, %d left", r.status, len(e.s.Faults()))
	}

	e.tokens("user_info", nil)
	e.authorize(testKey, testRedirect, "user_info", nil)
	r := e.get("/_sandbox/state", nil)
	var st State
	if err := json.Unmarshal(r.body, &st); err != nil {
		t.Fatal(err)
	}
	if st.Apps != len(testApps()) || st.LiveCodes != 1 || st.AccessTokens != 1 || st.RefreshTokens != 1 || st.ClientTokens != 0 {
		t.Errorf("state %+v", st)
	}
	for _, secret := range []string{testSecret, DemoClientSecret, "act.", "rft.", "clt."} {
		if strings.Contains(string(r.body), secret) {
			t.Errorf("state reveals %q", secret)
		}
	}

	if r := post("/_sandbox/clock", `{"advance_ms":600000}`); r.status != 200 {
		t.Fatalf("clock: %d %s", r.status, r.body)
	}
	if got := e.s.Now(); !got.Equal(testBase.Add(10 * time.Minute)) {
		t.Errorf("clock at %v", got)
	}
	if st := e.s.State(); st.LiveCodes != 0 || st.ClockOffsetMS != 600000 {
		t.Errorf("after advance: %+v", st)
	}
	if r := post("/_sandbox/clock", `{"advance_ms":-5}`); r.status != http.StatusBadRequest {
		t.Errorf("negative advance: %d", r.status)
	}
}

func TestFaultJSONRoundTrip(t *testing.T) {
	f := Fault{Endpoint: PathAccessToken, Latency: 1500 * time.Millisecond, Status: 502, Truncate: true,
		StringNumbers: true, ErrorCode: 10001, Once: true}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"endpoint":"/oauth/access_token/","latency_ms":1500,"status":502,"truncate":true,"string_numbers":true,"error_code":10001,"once":true}`
	if string(b) != want {
		t.Errorf("Marshal = %s", b)
	}
	var g Fault
	if err := json.Unmarshal(b, &g); err != nil || g != f {
		t.Errorf("round trip: %+v, %v", g, err)
	}
}
