package auth

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The contract's literal examples (douyin-openapi.md §2, §5, §6).
const (
	contractAccessTokenOK = `{"data":{"access_token":"act.1d1021d2aee3d41fee2d2add43456badMFZnrhFhfWotu3Ecuiuka27L56lr","captcha":"","desc_url":"","description":"","error_code":0,
 "expires_in":1296000,"log_id":"20200708182308010204038175","open_id":"b9b71865-7fea-44cc-ba8a-ed4d2f4b2a5b","refresh_expires_in":2592000,
 "refresh_token":"rft.e0d86c5c8b8e4c8b8e4c8b8e4c8b8e4cQp","scope":"user_info"},"message":"success"}`
	contractAccessTokenErr = `{"data":{"description":"Parameter error","error_code":10002},"extra":{"logid":"2020070818230801020403817501","now":1594015876138,
 "sub_error_code":0,"sub_description":""},"message":"error"}`
	contractClientTokenOK = `{"data":{"access_token":"clt.943da17996fb5cebfbc70c044c3fc25a57T54vEj6Ke2ygB1Bbd7d0Zxi5P2","description":"","error_code":0,"expires_in":7200},"message":"success"}`
	contractUserInfoOK    = `{"err_no":0,"err_msg":"","log_id":"202207051749240101501950411B12345","data":{"open_id":"b9b71865","union_id":"10cd3f9c","nickname":"张三","avatar":"https://p3.douyinpic.com/a.jpeg",
 "description":"","e_account_role":"","error_code":"0","client_key":"awsandboxdemo0001"}}`
)

// stringify turns every bare number in a fixture into a string, the older
// shape the platform still sends.
func stringify(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ':' {
			b.WriteByte(c)
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\n') {
				j++
			}
			k := j
			for k < len(s) && (s[k] >= '0' && s[k] <= '9' || s[k] == '-') {
				k++
			}
			if k > j {
				b.WriteString(`"` + s[j:k] + `"`)
				i = k - 1
			}
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func TestDecodeContractExamples(t *testing.T) {
	for _, shape := range []struct {
		name string
		conv func(string) string
	}{{"numbers", func(s string) string { return s }}, {"strings", stringify}} {
		t.Run(shape.name, func(t *testing.T) {
			var d tokenData
			if err := Decode(PathAccessToken, 200, []byte(shape.conv(contractAccessTokenOK)), &d); err != nil {
				t.Fatalf("success example: %v", err)
			}
			if d.ExpiresIn != 1296000 || d.RefreshExpiresIn != 2592000 || d.OpenID == "" || !strings.HasPrefix(d.AccessToken, "act.") || d.Scope != "user_info" {
				t.Fatalf("decoded %+v", d)
			}

			err := Decode(PathAccessToken, 200, []byte(shape.conv(contractAccessTokenErr)), &d)
			var pe *PlatformError
			if !errors.As(err, &pe) || pe.Code != 10002 || pe.Description != "Parameter error" || pe.LogID != "2020070818230801020403817501" {
				t.Fatalf("error example: %#v", err)
			}

			var ct struct {
				AccessToken string `json:"access_token"`
				ExpiresIn   Number `json:"expires_in"`
			}
			if err := Decode(PathClientToken, 200, []byte(shape.conv(contractClientTokenOK)), &ct); err != nil || ct.ExpiresIn != 7200 {
				t.Fatalf("client token example: %v %+v", err, ct)
			}

			var u UserInfo
			if err := Decode(PathUserInfo, 200, []byte(shape.conv(contractUserInfoOK)), &u); err != nil || u.Nickname != "张三" || u.OpenID != "b9b71865" {
				t.Fatalf("userinfo example: %v %+v", err, u)
			}
		})
	}
}

func TestStringifyChangesNumbers(t *testing.T) {
	got := stringify(`{"a":12,"b":"x","c":{"d":-3}}`)
	if got != `{"a":"12","b":"x","c":{"d":"-3"}}` {
		t.Fatalf("stringify = %s", got)
	}
}

// TestDecodeSandboxFixtures reads the fixtures the sandbox is also tested
// against, so that client and sandbox answer to the same text.
func TestDecodeSandboxFixtures(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("sandbox", "testdata", "contract", "*.json"))
	if len(files) == 0 {
		t.Fatal("no contract fixtures found under sandbox/testdata/contract")
	}
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		err = Decode("/fixture", 200, body, nil)
		isErr := strings.Contains(filepath.Base(f), "error")
		var pe *PlatformError
		if isErr != errors.As(err, &pe) {
			t.Errorf("%s: Decode = %v", filepath.Base(f), err)
		}
		if !isErr && err != nil {
			t.Errorf("%s: %v", filepath.Base(f), err)
		}
	}
}

func TestDecodeFailures(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		kind   Kind
		code   int
	}{
		{"html gateway page", 200, "<html><body>502 Bad Gateway</body></html>", KindNotJSON, 0},
		{"5xx html", 502, "<html>Bad Gateway</html>", KindHTTPStatus, 0},
		{"5xx empty", 500, "", KindHTTPStatus, 0},
		{"4xx json without code", 404, `{"message":"not found"}`, KindHTTPStatus, 0},
		{"truncated", 200, `{"data":{"access_token":"act.abc","expi`, KindTruncated, 0},
		{"empty 200", 200, "", KindNotJSON, 0},
		{"data not object", 200, `{"data":"x","message":"success"}`, KindBadResponse, 0},
		{"no data", 200, `{"message":"success"}`, KindBadResponse, 0},
		{"wrong field type", 200, `{"data":{"expires_in":{"x":1}},"message":"success"}`, KindBadResponse, 0},
		{"200 with error_code", 200, `{"data":{"description":"x","error_code":10013},"message":"error"}`, 0, 10013},
		{"200 with string error_code", 200, `{"data":{"description":"x","error_code":"10010"},"message":"error"}`, 0, 10010},
		{"err_no", 200, `{"err_no":28001008,"err_msg":"access_token expired","data":{"error_code":"28001008"}}`, 0, 28001008},
		{"err_no as string", 200, `{"err_no":"28001003","err_msg":"bad"}`, 0, 28001003},
		{"500 with platform code", 500, `{"data":{"description":"system error","error_code":10001},"message":"error"}`, 0, 10001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d tokenData
			err := Decode(PathAccessToken, tt.status, []byte(tt.body), &d)
			if tt.code != 0 {
				var pe *PlatformError
				if !errors.As(err, &pe) || pe.Code != tt.code || pe.HTTPStatus != tt.status {
					t.Fatalf("want platform error %d, got %#v", tt.code, err)
				}
				return
			}
			var te *TransportError
			if !errors.As(err, &te) || te.Kind != tt.kind {
				t.Fatalf("want transport kind %d, got %#v", tt.kind, err)
			}
			if tt.status != 0 && te.Status != tt.status {
				t.Fatalf("status %d, want %d", te.Status, tt.status)
			}
		})
	}
}

func TestDecodeErrorQuotesBodyWithoutSecrets(t *testing.T) {
	body := `<html>client_secret=supersecretvalue123 act.abcdefghijklmnop</html>`
	err := Decode(PathAccessToken, 502, []byte(body), nil)
	msg := err.Error()
	if strings.Contains(msg, "supersecretvalue123") || strings.Contains(msg, "abcdefghijklmnop") {
		t.Fatalf("secret leaked: %s", msg)
	}
	if !strings.Contains(msg, "502") || !strings.Contains(msg, "<html>") {
		t.Fatalf("message lacks status or body start: %s", msg)
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]Number{`12`: 12, `"12"`: 12, `""`: 0, `null`: 0, `" 7 "`: 7, `1296000`: 1296000, `3e2`: 300} {
		var n Number
		if err := n.UnmarshalJSON([]byte(in)); err != nil || n != want {
			t.Errorf("%s → %d, %v; want %d", in, n, err, want)
		}
	}
	for _, bad := range []string{`"x"`, `true`, `1.5`, `{}`} {
		var n Number
		if err := n.UnmarshalJSON([]byte(bad)); err == nil {
			t.Errorf("%s accepted as %d", bad, n)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{contractAccessTokenOK, contractAccessTokenErr, contractClientTokenOK, contractUserInfoOK,
		stringify(contractAccessTokenOK), "<html>", `{"data":{"error_code":"x"}}`, `{"err_no":"1"}`, ""} {
		f.Add(200, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		var d tokenData
		err := Decode(PathAccessToken, status, body, &d)
		if err == nil {
			return
		}
		var pe *PlatformError
		var te *TransportError
		if !errors.As(err, &pe) && !errors.As(err, &te) {
			t.Fatalf("untyped error %T: %v", err, err)
		}
		if pe != nil && pe.Code == 0 {
			t.Fatalf("platform error with code 0")
		}
		_ = err.Error()
	})
}

// TestDecodeFailureInExtraOnly: a non-zero extra.error_code or
// extra.sub_error_code is a failure even when data.error_code is 0.
func TestDecodeFailureInExtraOnly(t *testing.T) {
	for body, want := range map[string]int{
		`{"data":{"error_code":0,"access_token":"act.x","expires_in":1,"open_id":"o"},"extra":{"error_code":10008,"sub_error_code":0}}`:                          10008,
		`{"data":{"error_code":"0","access_token":"act.x","expires_in":1,"open_id":"o"},"extra":{"sub_error_code":"2190008","sub_description":"token expired"}}`: 2190008,
		`{"data":{"error_code":10013,"description":"bad secret"},"extra":{"error_code":10002,"sub_error_code":3}}`:                                               10013,
	} {
		var out struct{}
		err := Decode(PathAccessToken, 200, []byte(body), &out)
		var pe *PlatformError
		if !errors.As(err, &pe) || pe.Code != want {
			t.Errorf("%s: %v, want code %d", body, err, want)
		}
	}
	ok := `{"data":{"error_code":0,"access_token":"act.x","expires_in":1,"open_id":"o"},"extra":{"error_code":0,"sub_error_code":0,"logid":"l"}}`
	if err := Decode(PathAccessToken, 200, []byte(ok), &struct{}{}); err != nil {
		t.Errorf("a success with zero codes in extra: %v", err)
	}
}
