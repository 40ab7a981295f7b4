package auth

import (
	"strings"
	"testing"
)

func TestMask(t *testing.T) {
	for in, want := range map[string]string{
		"act.1234567890abcdef9f": "act.12…9f",
		"rft.abcdefghijklmnXY":   "rft.ab…XY",
		"clt.short":              "clt.…",
		"sandbox-demo-secret":    "sa…et",
		"tiny":                   "…",
	} {
		if got := Mask(in); got != want {
			t.Errorf("Mask(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestRedactText(t *testing.T) {
	secrets := []string{"s3cr3t-value-long", "CODEabcdefghijkl", "act.AAAAAAAAAAAAAAAAAAAAAAzz", "rft.BBBBBBBBBBBBBBBBBBBByy"}
	inputs := []string{
		"client_key=k&client_secret=s3cr3t-value-long&code=CODEabcdefghijkl&grant_type=authorization_code",
		`{"client_key":"k","client_secret":"s3cr3t-value-long","grant_type":"client_credential"}`,
		`{"data":{"access_token":"act.AAAAAAAAAAAAAAAAAAAAAAzz","refresh_token":"rft.BBBBBBBBBBBBBBBBBBBByy","error_code":0}}`,
		"http://127.0.0.1:1/callback?code=CODEabcdefghijkl&state=xyz",
		"curl -H 'access-token: act.AAAAAAAAAAAAAAAAAAAAAAzz'",
	}
	for _, in := range inputs {
		out := redactText(in)
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("redactText(%q) = %q still holds %q", in, out, s)
			}
		}
	}
	if got := redactText(`{"error_code":10013,"description":"x"}`); got != `{"error_code":10013,"description":"x"}` {
		t.Errorf("error_code was masked: %s", got)
	}
	if got := redactText("act.AAAAAAAAAAAAAAAAAAAAAAzz"); got != "act.AA…zz" {
		t.Errorf("token masked to %q", got)
	}
	if got := redactText(redactText("access_token=act.AAAAAAAAAAAAAAAAAAAAAAzz")); got != "access_token=act.AA…zz" {
		t.Errorf("double redaction gave %q", got)
	}
}

func TestRedactValuesFindsEscapedSecrets(t *testing.T) {
	secret := `abc"def&ghijk lmnop<`
	for _, body := range []string{
		`{"client_key":"k","client_secret":"abc\"def\u0026ghijk lmnop\u003c","grant_type":"client_credential"}`,
		"client_key=k&client_secret=abc%22def%26ghijk+lmnop%3C",
		"secret " + secret,
	} {
		out := newRedactor(secret).text(body)
		for _, part := range []string{"def", "ghijk", "lmnop"} {
			if strings.Contains(out, part) {
				t.Errorf("redacting %q gives %q, which leaks %q", body, out, part)
			}
		}
	}
}
