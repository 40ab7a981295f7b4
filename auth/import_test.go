package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// elsewhere logs a user in, as the app's own server would, and gives the
// flow an empty store: the tokens exist on the platform, not here.
func (e *env) elsewhere(t *testing.T) auth.Grant {
	t.Helper()
	g := e.login(t)
	e.store = newMemStore()
	e.flow.Store = e.store
	return g
}

// requests counts the platform calls logged so far.
func (e *env) requests() int {
	e.logMu.Lock()
	defer e.logMu.Unlock()
	return len(e.log)
}

// wantImportError fails unless err is an *auth.ImportError for failure,
// explained in both languages with the platform's code when there is one.
func wantImportError(t *testing.T, err error, failure auth.ImportFailure, code string) {
	t.Helper()
	var ie *auth.ImportError
	if !errors.As(err, &ie) || ie.Failure != failure {
		t.Fatalf("want import failure %d, got %v", failure, err)
	}
	en, zh := auth.Message(err, "en"), auth.Message(err, "zh")
	if !strings.Contains(en, "not imported") || !strings.Contains(zh, "未导入") || strings.Contains(en+zh, "%!") {
		t.Errorf("messages do not say the token was not imported:\n%s\n%s", en, zh)
	}
	if code != "" && (!strings.Contains(en, code) || !strings.Contains(zh, code)) {
		t.Errorf("messages lack the platform's code %s:\n%s\n%s", code, en, zh)
	}
}

func TestImportRefreshToken(t *testing.T) {
	e := newEnv(t)
	src := e.elsewhere(t)
	e.clock.Advance(time.Hour)
	g, err := e.flow.ImportRefreshToken(context.Background(), "  "+src.RefreshToken+"\r\n")
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	if g.OpenID != src.OpenID || g.RefreshToken != src.RefreshToken || !g.Imported || g.AccessOnly ||
		g.Nickname == "" || g.Scope != src.Scope {
		t.Fatalf("imported %+v", g)
	}
	// The refresh told both lives: the access token's anew, the refresh
	// token's unchanged.
	if !g.AccessExpiry.Equal(now.Add(sandbox.DefaultAccessTTL)) || !g.RefreshExpiry.Equal(src.RefreshExpiry) {
		t.Errorf("expiries %v %v, want %v %v", g.AccessExpiry, g.RefreshExpiry, now.Add(sandbox.DefaultAccessTTL), src.RefreshExpiry)
	}
	// A live access token comes back unchanged: the server that holds it
	// keeps a working one.
	if g.AccessToken != src.AccessToken || !e.sb.TokenValid(src.AccessToken) || !e.sb.TokenValid(src.RefreshToken) {
		t.Errorf("the import ended a token held elsewhere")
	}
	if s, err := e.store.Grant(src.OpenID); err != nil || s.RefreshToken != src.RefreshToken || !s.Imported {
		t.Errorf("stored %+v, %v", s, err)
	}
}

// TestImportRefreshTokenRefused: an ended, revoked or unknown refresh token
// is explained and nothing is stored; a malformed one is not even sent.
func TestImportRefreshTokenRefused(t *testing.T) {
	for _, c := range []struct {
		name    string
		spoil   func(e *env, g auth.Grant) string
		failure auth.ImportFailure
		code    string
	}{
		{"expired", func(e *env, g auth.Grant) string {
			e.clock.Advance(sandbox.DefaultRefreshTTL + time.Minute)
			return g.RefreshToken
		}, auth.ImportRefreshEnded, "10010"},
		{"revoked", func(e *env, g auth.Grant) string {
			e.sb.Revoke(testKey, g.OpenID)
			return g.RefreshToken
		}, auth.ImportRefreshEnded, "10010"},
		{"unknown", func(e *env, g auth.Grant) string { return g.RefreshToken + "x" }, auth.ImportRefreshUnknown, "10002"},
		{"two tokens", func(e *env, g auth.Grant) string { return g.RefreshToken + "\n" + g.RefreshToken }, auth.ImportMalformed, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			token := c.spoil(e, e.elsewhere(t))
			before := e.requests()
			_, err := e.flow.ImportRefreshToken(context.Background(), token)
			wantImportError(t, err, c.failure, c.code)
			if c.failure == auth.ImportMalformed && e.requests() != before {
				t.Error("a malformed token was sent")
			}
			if len(e.store.Grants()) != 0 {
				t.Errorf("stored %+v", e.store.Grants())
			}
		})
	}
	e := newEnv(t)
	var fe *auth.FieldError
	if _, err := e.flow.ImportRefreshToken(context.Background(), " \r\n"); !errors.As(err, &fe) || fe.Field != auth.FieldRefreshToken {
		t.Errorf("empty refresh token: %v", err)
	}
}

// TestImportRefreshTokenOverStoredAccount: a refresh token that does not
// work leaves the stored one alone; one that works replaces it.
func TestImportRefreshTokenOverStoredAccount(t *testing.T) {
	e := newEnv(t)
	first := e.login(t)
	second := e.login(t) // a second authorization: a new refresh token
	if second.RefreshToken == first.RefreshToken {
		t.Fatal("the second login got the same refresh token")
	}
	stored, _ := e.store.Grant(first.OpenID)
	_, err := e.flow.ImportRefreshToken(context.Background(), "rft.not-a-token")
	wantImportError(t, err, auth.ImportRefreshUnknown, "10002")
	keeps(t, e, stored)

	// The first token still works (the sandbox keeps it alive), so it can
	// be imported; it replaces the stored one only now.
	if !e.sb.TokenValid(first.RefreshToken) {
		t.Fatal("the sandbox ended the first refresh token at the second authorization")
	}
	g, err := e.flow.ImportRefreshToken(context.Background(), first.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if s, _ := e.store.Grant(first.OpenID); s.RefreshToken != first.RefreshToken || !s.Imported || s.Nickname != stored.Nickname || g.Renewals != 0 {
		t.Errorf("after a working import: %+v", s)
	}
}

func TestImportAccessToken(t *testing.T) {
	e := newEnv(t)
	src := e.elsewhere(t)
	e.clock.Advance(time.Hour)
	g, err := e.flow.ImportAccessToken(context.Background(), src.AccessToken+"\n", " "+src.OpenID+" ")
	if err != nil {
		t.Fatal(err)
	}
	if g.OpenID != src.OpenID || g.AccessToken != src.AccessToken || g.RefreshToken != "" || !g.AccessOnly || !g.Imported ||
		g.AccessExpiryKnown() || !g.RefreshExpiry.IsZero() || g.Nickname == "" || !g.AccessObtained.Equal(e.clock.Now()) {
		t.Fatalf("imported %+v", g)
	}
	if s, err := e.store.Grant(src.OpenID); err != nil || s.AccessToken != src.AccessToken || !s.AccessOnly {
		t.Errorf("stored %+v, %v", s, err)
	}
	// Verify works on it; refresh and renew have nothing to send.
	if _, err := e.flow.Verify(context.Background(), src.OpenID); err != nil {
		t.Errorf("Verify: %v", err)
	}
	before := e.requests()
	for name, step := range map[string]func(context.Context, string) (auth.Grant, error){"Refresh": e.flow.Refresh, "Renew": e.flow.Renew} {
		if _, err := step(context.Background(), src.OpenID); !errors.Is(err, auth.ErrNoRefreshToken) {
			t.Errorf("%s of an access-only account: %v", name, err)
		}
	}
	if e.requests() != before {
		t.Error("refresh or renew sent a request without a refresh token")
	}
	if !strings.Contains(auth.Message(auth.ErrNoRefreshToken, "zh"), "refresh_token") || auth.Message(auth.ErrNoRefreshToken, "zh") == auth.ErrNoRefreshToken.Error() {
		t.Errorf("ErrNoRefreshToken in Chinese: %s", auth.Message(auth.ErrNoRefreshToken, "zh"))
	}
}

// TestImportAccessTokenRefused: alive is imported; expired, revoked, the
// wrong open_id and another app's token are each explained, and nothing is
// stored.
func TestImportAccessTokenRefused(t *testing.T) {
	bob := sandbox.DemoUsers()[1].OpenID
	for _, c := range []struct {
		name    string
		spoil   func(e *env, g auth.Grant) (token, openID string)
		failure auth.ImportFailure
		code    string
	}{
		{"expired", func(e *env, g auth.Grant) (string, string) {
			e.clock.Advance(sandbox.DefaultAccessTTL + time.Minute)
			return g.AccessToken, g.OpenID
		}, auth.ImportExpired, "28001008"},
		{"revoked", func(e *env, g auth.Grant) (string, string) {
			e.sb.Revoke(testKey, g.OpenID)
			return g.AccessToken, g.OpenID
		}, auth.ImportRevoked, "28001003"},
		{"unknown", func(e *env, g auth.Grant) (string, string) { return "act.never-issued", g.OpenID }, auth.ImportRevoked, "28001003"},
		{"wrong open_id", func(e *env, g auth.Grant) (string, string) { return g.AccessToken, bob }, auth.ImportWrongOpenID, "28001015"},
		{"space inside", func(e *env, g auth.Grant) (string, string) { return g.AccessToken + " x", g.OpenID }, auth.ImportMalformed, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			token, openID := c.spoil(e, e.elsewhere(t))
			_, err := e.flow.ImportAccessToken(context.Background(), token, openID)
			wantImportError(t, err, c.failure, c.code)
			if c.failure == auth.ImportWrongOpenID && !strings.Contains(auth.Message(err, "zh"), bob) {
				t.Errorf("the message does not name the open_id given: %s", auth.Message(err, "zh"))
			}
			if len(e.store.Grants()) != 0 {
				t.Errorf("stored %+v", e.store.Grants())
			}
		})
	}
	e := newEnv(t)
	var fe *auth.FieldError
	if _, err := e.flow.ImportAccessToken(context.Background(), "act.x", " "); !errors.As(err, &fe) || fe.Field != auth.FieldOpenID {
		t.Errorf("empty open_id: %v", err)
	}
}

// TestImportAccessTokenOfAnotherApp: userinfo names the app a token was
// issued to; another app's token is refused.
func TestImportAccessTokenOfAnotherApp(t *testing.T) {
	e := newEnv(t)
	l, loc := e.remoteLogin(t, "agree")
	if err := l.Paste(loc.String()); err != nil {
		t.Fatal(err)
	}
	other, err := l.Wait(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	e.flow.Credentials.ClientKey = testKey
	e.store = newMemStore()
	e.flow.Store = e.store
	_, err = e.flow.ImportAccessToken(context.Background(), other.AccessToken, other.OpenID)
	wantImportError(t, err, auth.ImportOtherApp, "")
	if msg := auth.Message(err, "en"); !strings.Contains(msg, "awremote00001") || !strings.Contains(msg, testKey) {
		t.Errorf("message does not name both apps: %s", msg)
	}
	if len(e.store.Grants()) != 0 {
		t.Errorf("stored %+v", e.store.Grants())
	}
}

// TestImportAccessTokenKeepsRefreshToken: an access token imported onto a
// stored account keeps its refresh token, whose refresh makes the expiry
// known again.
func TestImportAccessTokenKeepsRefreshToken(t *testing.T) {
	e := newEnv(t)
	stored := e.login(t)
	// The same access token, imported again, keeps its known expiry.
	g, err := e.flow.ImportAccessToken(context.Background(), stored.AccessToken, stored.OpenID)
	if err != nil || g.RefreshToken != stored.RefreshToken || g.AccessOnly || g.Imported || !g.AccessExpiry.Equal(stored.AccessExpiry) {
		t.Fatalf("same token imported: %+v, %v", g, err)
	}
	// A new one (after expiry the platform hands out another) has an
	// unknown expiry until a refresh.
	e.clock.Advance(sandbox.DefaultAccessTTL + time.Minute)
	fresh, err := e.flow.Refresh(context.Background(), stored.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	e.store.MemoryTokens.SaveGrant(stored) // the store still holds the old access token
	g, err = e.flow.ImportAccessToken(context.Background(), fresh.AccessToken, stored.OpenID)
	if err != nil || g.RefreshToken != stored.RefreshToken || g.AccessOnly || g.AccessExpiryKnown() {
		t.Fatalf("new token imported: %+v, %v", g, err)
	}
	r, err := e.flow.Refresh(context.Background(), stored.OpenID)
	if err != nil || !r.AccessExpiryKnown() || r.AccessToken != fresh.AccessToken {
		t.Errorf("refresh after the import: %+v, %v", r, err)
	}
}

// TestImportAccessTokenWithoutUserInfo: userinfo's 28001012, the user did not
// grant user_info, comes for a token it accepted: it is imported without a
// nickname.
func TestImportAccessTokenWithoutUserInfo(t *testing.T) {
	e := newEnv(t, "renew_refresh_token")
	src := e.elsewhere(t)
	if strings.Contains(src.Scope, "user_info") {
		t.Fatalf("the grant holds user_info: %q", src.Scope)
	}
	g, err := e.flow.ImportAccessToken(context.Background(), src.AccessToken, src.OpenID)
	if err != nil || g.Nickname != "" || !g.AccessOnly {
		t.Fatalf("imported %+v, %v", g, err)
	}
	if _, err := e.store.Grant(src.OpenID); err != nil {
		t.Errorf("not stored: %v", err)
	}
}
