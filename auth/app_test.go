package auth

import (
	"strings"
	"testing"
)

func TestAppProblemsListsEveryField(t *testing.T) {
	a := App{ClientKey: " ", ClientSecret: "", Scopes: nil, OptionalScope: "x", RedirectURI: "ftp://x"}
	var fields []string
	for _, err := range a.Problems() {
		fields = append(fields, err.(*InputError).Field)
	}
	if strings.Join(fields, ",") != "client_key,client_secret,scope,optionalScope,redirect_uri" {
		t.Fatalf("problems in %v", fields)
	}
	if err := a.Validate(); err.(*InputError).Field != "client_key" {
		t.Fatalf("Validate = %v", err)
	}
	ok := App{ClientKey: "k", ClientSecret: "s", Scopes: []string{"user_info"}, RedirectURI: "https://example.com/cb"}
	if ok.Problems() != nil || ok.Validate() != nil {
		t.Fatal("a valid app has problems")
	}
}
