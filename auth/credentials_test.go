package auth

import (
	"strings"
	"testing"
)

func TestCredentialsProblemsListsEveryField(t *testing.T) {
	a := Credentials{ClientKey: " ", ClientSecret: "", Scopes: nil, OptionalScope: "x", RedirectURI: "ftp://x"}
	var fields []string
	for _, err := range a.Problems() {
		fields = append(fields, string(err.(*FieldError).Field))
	}
	if strings.Join(fields, ",") != "client_key,client_secret,scope,optionalScope,redirect_uri" {
		t.Fatalf("problems in %v", fields)
	}
	if err := a.Validate(); err.(*FieldError).Field != FieldClientKey {
		t.Fatalf("Validate = %v", err)
	}
	ok := Credentials{ClientKey: "k", ClientSecret: "s", Scopes: []string{"user_info"}, RedirectURI: "https://example.com/cb"}
	if ok.Problems() != nil || ok.Validate() != nil {
		t.Fatal("a valid app has problems")
	}
}

func TestRedirectURIMayCarryAFragment(t *testing.T) {
	for uri, ok := range map[string]bool{
		"https://example.com/cb#section":  true,
		"https://example.com/cb#":         true,
		"http://127.0.0.1:8910/cb#x":      true,
		"https://example.com/cb?x=1#y":    false,
		"https://example.com/cb?x=1":      false,
		"ftp://example.com/cb#x":          false,
		"#only":                           false,
		"https://user@example.com/cb#top": false,
	} {
		if err := ValidateRedirectURI(uri); (err == nil) != ok {
			t.Errorf("ValidateRedirectURI(%q) = %v", uri, err)
		}
	}
}
