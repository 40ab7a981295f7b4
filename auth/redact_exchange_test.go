package auth

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Secrets of the hostile exchanges: a client secret with characters that
// every encoding changes, a code, and tokens whose bodies hold "/" and "…",
// which a pattern alone stops at.
const (
	hostileSecret  = `cs-"quoted"&<amp>/plus+eq=Secret1`
	hostileCode    = "code-ABCDEFGHIJKLMNOPQRSTUV"
	hostileRefresh = "rft.ab…cdREFRESHSECRET/tail0123456789"
	hostileAccess  = "act.AccessSecret/with/slashes0123456789"
	issuedAccess   = "act.IssuedAccess0123456789abcdefXYZ"
	issuedRefresh  = "rft.IssuedRefresh0123456789abcdefXYZ"
)

// echoes returns every form of the exchange's secrets a gateway or platform
// might echo: raw, URL-encoded and base64; the answers escape them in JSON
// once or twice more.
func echoes(values ...string) string {
	var parts []string
	for _, v := range values {
		parts = append(parts, v, url.QueryEscape(v), url.PathEscape(v),
			base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	}
	return strings.Join(parts, " | ")
}

// leaks returns what of values text still shows, apart from their masks:
// any run of eight bytes of a value or of one of its encodings.
func leaks(text string, values ...string) []string {
	var found []string
	for _, v := range values {
		text = strings.ReplaceAll(text, Mask(v), "")
	}
	for _, v := range values {
		q, _ := json.Marshal(v)
		for _, form := range []string{v, string(q[1 : len(q)-1]), url.QueryEscape(v),
			base64.StdEncoding.EncodeToString([]byte(v))} {
			for i := 0; i+8 <= len(form); i++ {
				if strings.Contains(text, form[i:i+8]) && !strings.Contains(Mask(v), form[i:i+8]) {
					found = append(found, form[i:i+8])
					break
				}
			}
		}
	}
	return found
}

// sentSecrets returns the secret values a request carries, in a form or a
// JSON body.
func sentSecrets(r *http.Request) []string {
	var out []string
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		var m map[string]string
		json.NewDecoder(r.Body).Decode(&m)
		out = append(out, m["client_secret"])
	} else {
		r.ParseForm()
		for _, k := range []string{"client_secret", "code", "refresh_token", "access_token"} {
			if v := r.PostForm.Get(k); v != "" {
				out = append(out, v)
			}
		}
	}
	return out
}

// TestExchangeTextsMaskEchoedSecrets has a platform echo every secret the
// request sent, in every encoding, and the tokens it issues, in error
// descriptions, gateway pages, truncated JSON and odd fields, and checks
// every text derived from the exchange: the error in both languages and the
// logged exchange.
func TestExchangeTextsMaskEchoedSecrets(t *testing.T) {
	answers := map[string]func(w http.ResponseWriter, echo string){
		"platform error": func(w http.ResponseWriter, echo string) {
			body, _ := json.Marshal(map[string]any{
				"data":  map[string]any{"error_code": 10013, "description": "bad: " + echo},
				"extra": map[string]any{"sub_error_code": 1, "sub_description": echo},
			})
			w.Write(body)
		},
		"err_no": func(w http.ResponseWriter, echo string) {
			body, _ := json.Marshal(map[string]any{"err_no": 10008, "err_msg": "token " + echo})
			w.Write(body)
		},
		"gateway page": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(http.StatusBadGateway)
			fmt.Fprintf(w, "<html><body>upstream said %s</body></html>", echo)
		},
		// The secret straddles the point where a quoted snippet is cut.
		"truncated json": func(w http.ResponseWriter, echo string) {
			fmt.Fprintf(w, `{"data":{"description":"%s%s`, strings.Repeat("x", 100), echo)
		},
		"success missing fields": func(w http.ResponseWriter, echo string) {
			body, _ := json.Marshal(map[string]any{"data": map[string]any{"error_code": 0, "Access_Token": issuedAccess,
				"REFRESH_TOKEN": issuedRefresh, "note": "issued " + echoes(issuedAccess, issuedRefresh), "echo": echo}})
			w.Write(body)
		},
		"status with escaped json": func(w http.ResponseWriter, echo string) {
			w.WriteHeader(http.StatusInternalServerError)
			inner, _ := json.Marshal(map[string]string{"client_secret": echo, "Refresh_Token": echo})
			outer, _ := json.Marshal(map[string]string{"message": string(inner)})
			w.Write(outer)
		},
	}
	for name, answer := range answers {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			answer(w, echoes(sentSecrets(r)...))
		}))
		var logged []LogEntry
		c := &Client{BaseURL: srv.URL, Log: func(ex LogEntry) { logged = append(logged, ex) }}
		ctx := context.Background()
		app := Credentials{ClientKey: "awkey", ClientSecret: hostileSecret, RedirectURI: "http://127.0.0.1:1/cb"}
		calls := []struct {
			name string
			run  func() error
			sent []string
		}{
			{"exchange", func() error { _, err := c.ExchangeCode(ctx, app, hostileCode); return err }, []string{hostileSecret, hostileCode}},
			{"refresh", func() error { _, err := c.Refresh(ctx, "awkey", hostileRefresh); return err }, []string{hostileRefresh}},
			{"renew", func() error { _, err := c.RenewRefreshToken(ctx, "awkey", hostileRefresh); return err }, []string{hostileRefresh}},
			{"client", func() error { _, err := c.ClientToken(ctx, "awkey", hostileSecret); return err }, []string{hostileSecret}},
			{"stable client", func() error { _, err := c.StableClientToken(ctx, "awkey", hostileSecret); return err }, []string{hostileSecret}},
			{"userinfo", func() error { _, err := c.UserInfo(ctx, hostileAccess, "open-id"); return err }, []string{hostileAccess}},
		}
		for _, call := range calls {
			logged = nil
			err := call.run()
			if err == nil {
				t.Fatalf("%s / %s: no error", name, call.name)
			}
			texts := map[string]string{"error": err.Error(), "zh": Message(err, "zh")}
			for _, ex := range logged {
				texts["request body"] = ex.RequestBody
				texts["response body"] = ex.ResponseBody
				texts["logged error"] = Message(ex.Err, "en")
			}
			secrets := append(call.sent, issuedAccess, issuedRefresh)
			for what, text := range texts {
				if l := leaks(text, secrets...); len(l) > 0 {
					t.Errorf("%s / %s: the %s leaks %q:\n%s", name, call.name, what, l, text)
				}
			}
		}
		srv.Close()
	}
}

func TestRedactTextPatterns(t *testing.T) {
	for _, in := range []string{
		`CLIENT_SECRET=hunter2hunter2XYZ`,
		`Client_Secret: hunter2hunter2XYZ`,
		`{"Client_Secret":"hunter2hunter2XYZ"}`,
		`{"message":"{\"client_secret\":\"hunter2hunter2XYZ\"}"}`,
		`Access-Token: hunter2hunter2XYZ`,
		`REFRESH_TOKEN=hunter2hunter2XYZ`,
		`act.topsecret/value123`,
		`rft.to…psecretvalue123`,
		`clt.topsecret+value=123`,
	} {
		if out := redactText(in); strings.Contains(out, "hunter2") || strings.Contains(out, "topsecret") || strings.Contains(out, "value1") {
			t.Errorf("redactText(%q) = %q", in, out)
		}
	}
	for in, want := range map[string]string{
		"act.AA…zz":              "act.AA…zz", // a mask stays a mask
		"access_token=act.AA…zz": "access_token=act.AA…zz",
		`"error_code":10013`:     `"error_code":10013`,
	} {
		if got := redactText(in); got != want {
			t.Errorf("redactText(%q) = %q, want %q", in, got, want)
		}
	}
}
