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
