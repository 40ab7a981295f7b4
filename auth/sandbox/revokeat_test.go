package sandbox

import (
	"context"
	"errors"
	"testing"
)

func TestRevokeAt(t *testing.T) {
	e := newEnv(t, nil)
	alice := e.s.Users()[0]
	g := e.grantAs(testKey, testSecret, testRedirect, "user_info", alice)
	ctx := context.Background()
	if err := RevokeAt(ctx, e.srv.URL+"/", testKey, alice.OpenID); err != nil {
		t.Fatalf("RevokeAt: %v", err)
	}
	if e.s.TokenValid(str(t, g["access_token"])) {
		t.Fatal("the access token survived")
	}
	if err := RevokeAt(ctx, e.srv.URL, testKey, alice.OpenID); !errors.Is(err, ErrNothingToRevoke) {
		t.Fatalf("second RevokeAt = %v", err)
	}
	if err := RevokeAt(ctx, e.srv.URL, "", ""); err == nil || errors.Is(err, ErrNothingToRevoke) {
		t.Fatalf("RevokeAt without a body's fields = %v", err)
	}
	e.srv.Close()
	if err := RevokeAt(ctx, e.srv.URL, testKey, alice.OpenID); err == nil {
		t.Fatal("a closed sandbox revoked")
	}
}
