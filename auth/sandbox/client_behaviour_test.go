package sandbox_test

import (
	"context"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// The documented behaviours of douyin-openapi.md (issue 17), as auth.Client
// meets them on the sandbox's demo apps.

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type world struct {
	sb    *sandbox.Sandbox
	c     *auth.Client
	clock *fakeClock
}

func newWorld(t *testing.T) *world {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)}
	sb := sandbox.New(sandbox.Options{Now: clk.Now})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return &world{sb: sb, c: &auth.Client{BaseURL: base, Now: clk.Now}, clock: clk}
}

func demo(scopes ...string) auth.Credentials {
	return auth.Credentials{ClientKey: sandbox.DemoClientKey, ClientSecret: sandbox.DemoClientSecret,
		Scopes: scopes, RedirectURI: sandbox.DemoRedirectURI}
}

func trial() auth.Credentials {
	return auth.Credentials{ClientKey: sandbox.TrialClientKey, ClientSecret: sandbox.TrialClientSecret,
		Scopes: []string{"user_info", "trial.whitelist"}, RedirectURI: sandbox.DemoRedirectURI}
}

// code has the user openID agree to app's request and returns the code.
func (w *world) code(t *testing.T, app auth.Credentials, openID string) string {
	t.Helper()
	loc, err := sandboxtest.ConsentWith(w.c.AuthorizeURL(app, "st"), "agree", url.Values{"open_id": {openID}})
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query().Get("code")
}

func (w *world) login(t *testing.T, app auth.Credentials, openID string) auth.Grant {
	t.Helper()
	g, err := w.c.ExchangeCode(context.Background(), app, w.code(t, app, openID))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func user(i int) string { return sandbox.DemoUsers()[i].OpenID }

// wantPlatformCode checks err is the platform error code, explained in both
// languages, and returns the English message.
func wantPlatformCode(t *testing.T, err error, code int) string {
	t.Helper()
	var pe *auth.PlatformError
	if !errors.As(err, &pe) || pe.Code != code {
		t.Fatalf("want platform error %d, got %v", code, err)
	}
	x, ok := auth.Explain(code)
	if !ok {
		t.Fatalf("code %d has no explanation", code)
	}
	for _, lang := range []string{"en", "zh"} {
		if msg := auth.Message(err, lang); !strings.Contains(msg, strconv.Itoa(code)) || !strings.Contains(msg, x.Meaning(lang)) {
			t.Errorf("%s message of %d: %s", lang, code, msg)
		}
	}
	return auth.Message(err, "en")
}

func TestClientRefreshKeepsTheStillValidAccessToken(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	g := w.login(t, demo("user_info"), user(0))
	w.clock.Advance(time.Hour)
	r, err := w.c.Refresh(ctx, sandbox.DemoClientKey, g.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if r.AccessToken != g.AccessToken || !r.AccessExpiry.Equal(w.clock.Now().Add(sandbox.DefaultAccessTTL)) {
		t.Fatalf("refresh of a valid token: %s until %v", r.AccessToken, r.AccessExpiry)
	}
	if !r.RefreshExpiry.Equal(g.RefreshExpiry) || r.RefreshToken != g.RefreshToken {
		t.Errorf("refresh expiry %v, want %v", r.RefreshExpiry, g.RefreshExpiry)
	}
	w.clock.Advance(sandbox.DefaultAccessTTL)
	r2, err := w.c.Refresh(ctx, sandbox.DemoClientKey, g.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if r2.AccessToken == g.AccessToken || !r2.AccessExpiry.Equal(w.clock.Now().Add(sandbox.DefaultAccessTTL)) {
		t.Fatalf("an expired token was not replaced: %+v", r2)
	}
	if _, err := w.c.UserInfo(ctx, r2.AccessToken, g.OpenID); err != nil {
		t.Fatal(err)
	}
}

func TestClientRenewsWhenOnlyTheAppHoldsTheCapability(t *testing.T) {
	w := newWorld(t)
	g := w.login(t, demo("user_info"), user(0))
	if strings.Contains(g.Scope, "renew_refresh_token") {
		t.Fatalf("scope %q", g.Scope)
	}
	r, err := w.c.RenewRefreshToken(context.Background(), sandbox.DemoClientKey, g.RefreshToken)
	if err != nil || r.RefreshToken == "" || r.RefreshToken == g.RefreshToken {
		t.Fatalf("renew: %+v, %v", r, err)
	}
	// The basic demo app holds user_info only.
	basic := auth.Credentials{ClientKey: sandbox.BasicClientKey, ClientSecret: sandbox.BasicClientSecret,
		Scopes: []string{"user_info"}, RedirectURI: sandbox.DemoRedirectURI}
	b := w.login(t, basic, user(0))
	_, err = w.c.RenewRefreshToken(context.Background(), sandbox.BasicClientKey, b.RefreshToken)
	wantPlatformCode(t, err, 10004)
}

func TestClientOlderCodeIsVoidedByANewAuthorization(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	older := w.code(t, demo("user_info"), user(0))
	newer := w.code(t, demo("user_info"), user(0))
	_, err := w.c.ExchangeCode(ctx, demo("user_info"), older)
	wantPlatformCode(t, err, 10007)
	if !auth.NeedsReauthorization(err) {
		t.Error("a voided code does not ask for authorization")
	}
	if _, err := w.c.ExchangeCode(ctx, demo("user_info"), newer); err != nil {
		t.Fatal(err)
	}
}

func TestClientUserInfoCapabilityAndTrialCodes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	noInfo := w.login(t, demo("trial.whitelist"), user(0))
	_, err := w.c.UserInfo(ctx, noInfo.AccessToken, noInfo.OpenID)
	userSide := wantPlatformCode(t, err, 28001012)

	app := sandbox.DemoApps()[0]
	app.Scopes = []string{"trial.whitelist"}
	w.sb.AddApp(app)
	_, err = w.c.UserInfo(ctx, noInfo.AccessToken, noInfo.OpenID)
	appSide := wantPlatformCode(t, err, 28001014)
	x12, _ := auth.Explain(28001012)
	x14, _ := auth.Explain(28001014)
	if x12.MeaningEN == x14.MeaningEN || x12.ActionZH == x14.ActionZH || userSide == appSide {
		t.Errorf("28001012 and 28001014 explained alike: %q / %q", userSide, appSide)
	}

	bound, unbound := w.login(t, trial(), user(0)), w.login(t, trial(), user(2))
	if _, err := w.c.UserInfo(ctx, bound.AccessToken, bound.OpenID); err != nil {
		t.Fatal(err)
	}
	_, err = w.c.UserInfo(ctx, unbound.AccessToken, unbound.OpenID)
	wantPlatformCode(t, err, 28001020)
	w.sb.SetTrialExpired(sandbox.TrialClientKey, true)
	_, err = w.c.UserInfo(ctx, bound.AccessToken, bound.OpenID)
	wantPlatformCode(t, err, 28001021)
}

func TestClientAfterTheUserRevokes(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	g := w.login(t, demo("user_info"), user(0))
	if !w.sb.Revoke(sandbox.DemoClientKey, g.OpenID) {
		t.Fatal("nothing revoked")
	}
	_, err := w.c.UserInfo(ctx, g.AccessToken, g.OpenID)
	if msg := wantPlatformCode(t, err, 28001003); !strings.Contains(msg, "revoked") {
		t.Errorf("the message does not mention a revocation: %s", msg)
	}
	_, err = w.c.Refresh(ctx, sandbox.DemoClientKey, g.RefreshToken)
	wantPlatformCode(t, err, 10010)
	if !auth.NeedsReauthorization(err) {
		t.Error("refresh after a revocation does not ask for authorization")
	}
	_, err = w.c.RenewRefreshToken(ctx, sandbox.DemoClientKey, g.RefreshToken)
	wantPlatformCode(t, err, 10010)
	again := w.login(t, demo("user_info"), user(0))
	if _, err := w.c.UserInfo(ctx, again.AccessToken, again.OpenID); err != nil {
		t.Fatalf("after authorizing again: %v", err)
	}
}

// TestEveryNewCodeIsExplained: the codes the contract lists beyond the
// sandbox's own have zh and en explanations; the status-code-page ones say
// the platform's text is what tells.
func TestEveryNewCodeIsExplained(t *testing.T) {
	for _, c := range []int{28001007, 28001019, 28001020, 28001021, 28001045, 28001046, 28001047, 28004020, 2100009, 2190001} {
		x, ok := auth.Explain(c)
		if !ok || x.MeaningZH == "" || x.MeaningEN == "" || x.ActionZH == "" || x.ActionEN == "" {
			t.Errorf("code %d: %+v", c, x)
		}
	}
	for _, c := range []int{28001019, 28001045, 28001046, 28001047, 28004020, 2100009, 2190001} {
		if x, _ := auth.Explain(c); !strings.Contains(x.MeaningEN, "platform's text") {
			t.Errorf("code %d claims more than the contract knows: %q", c, x.MeaningEN)
		}
	}
}
