package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

func TestFullFlowShowsCountdownsAndRefreshes(t *testing.T) {
	u, clk, st := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)

	if len(u.tokens.cards) != 1 {
		t.Fatalf("%d accounts shown", len(u.tokens.cards))
	}
	c := u.tokens.cards[0]
	access, refresh := c.access.countdown.label, c.refresh.countdown.label
	if access.Text != "15d 0h 0m" || refresh.Text != "30d 0h 0m" {
		t.Fatalf("countdowns %q and %q", access.Text, refresh.Text)
	}
	if !access.Visible() || !refresh.Visible() {
		t.Fatal("countdowns hidden")
	}
	clk.advance(2 * time.Second)
	if n := u.clock.tick(); n != 2 {
		t.Fatalf("%d labels changed on tick, want 2", n)
	}
	if access.Text != "14d 23h 59m" || refresh.Text != "29d 23h 59m" {
		t.Fatalf("after 2s: %q and %q", access.Text, refresh.Text)
	}

	before, err := st.Tokens("ui-test").Grant(c.grant.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	if c.access.valueText.Text != auth.Mask(before.AccessToken) {
		t.Fatalf("shown %q, stored %q", c.access.valueText.Text, auth.Mask(before.AccessToken))
	}
	test.Tap(c.refreshBtn)
	u.wait()
	if c.errLabel.Visible() {
		t.Fatalf("refresh failed: %s", c.errLabel.Text)
	}
	after, err := st.Tokens("ui-test").Grant(c.grant.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	// A still valid access token comes back with a new expiry.
	if after.AccessToken != before.AccessToken || !after.AccessExpiry.After(before.AccessExpiry) {
		t.Fatalf("stored access token %q until %v, before %q until %v", after.AccessToken, after.AccessExpiry, before.AccessToken, before.AccessExpiry)
	}
	if c.access.valueText.Text != auth.Mask(after.AccessToken) {
		t.Fatalf("shown %q after refresh, stored %q", c.access.valueText.Text, auth.Mask(after.AccessToken))
	}
	test.Tap(c.access.revealBtn)
	if c.access.valueText.Text != after.AccessToken {
		t.Fatal("Reveal does not show the new token")
	}
	if c.refreshBtn.Disabled() {
		t.Fatal("Refresh stays disabled")
	}
	if access.Text != "15d 0h 0m" {
		t.Fatalf("access countdown after refresh %q", access.Text)
	}

	test.Tap(c.verifyBtn)
	u.wait()
	if !strings.Contains(c.info.Text, c.grant.OpenID) {
		t.Fatalf("verify said %q", c.info.Text)
	}
	if want := "curl -X POST " + base + "/oauth/userinfo/ -d access_token=" + after.AccessToken + " -d open_id=" + after.OpenID; c.curl() != want {
		t.Fatalf("curl = %q", c.curl())
	}
	test.Tap(c.curlBtn)
	if got := u.fyne.Clipboard().Content(); got != c.curl() {
		t.Fatalf("clipboard %q", got)
	}
}

func TestRefreshFaultKeepsOldToken(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	old := c.access.valueText.Text
	oldValue := c.access.value

	sb.Inject(sandbox.Fault{Endpoint: "/oauth/refresh_token/", ErrorCode: 10010, Latency: 300 * time.Millisecond})
	test.Tap(c.refreshBtn)
	u.do(func() { // under the lock the background job uses for the widgets
		if !c.refreshBtn.Disabled() || !c.renewBtn.Disabled() || !c.busy.activity.Visible() {
			t.Error("no busy state while the refresh runs")
		}
	})
	u.wait()
	x, _ := auth.Explain(10010)
	if !c.errLabel.Visible() || !strings.Contains(c.errLabel.Text, x.Meaning("en")) || !strings.Contains(c.errLabel.Text, x.Action("en")) {
		t.Fatalf("error shown: %q", c.errLabel.Text)
	}
	if c.access.valueText.Text != old || c.access.value != oldValue {
		t.Fatalf("token changed after a failed refresh: %q", c.access.valueText.Text)
	}
	if c.access.countdown.label.Text != "15d 0h 0m" {
		t.Fatalf("countdown lost: %q", c.access.countdown.label.Text)
	}
	if c.refreshBtn.Disabled() {
		t.Fatal("Refresh stays disabled after a failure")
	}
}

func TestForgetAccount(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	openID := c.grant.OpenID

	test.Tap(c.forgetBtn)
	confirm := findButton(u.win.Canvas().Overlays().Top(), "Forget account")
	if confirm == nil {
		t.Fatal("no confirmation dialog")
	}
	if _, err := st.Tokens("ui-test").Grant(openID); err != nil {
		t.Fatal("deleted before confirming:", err)
	}
	test.Tap(confirm)
	u.wait()
	if _, err := st.Tokens("ui-test").Grant(openID); !errors.Is(err, auth.ErrNoAccount) {
		t.Fatalf("grant after forgetting: %v", err)
	}
	if p, _ := st.Profile("ui-test"); len(p.Accounts) != 0 {
		t.Fatalf("accounts left: %+v", p.Accounts)
	}
	if len(u.tokens.cards) != 0 || len(u.session.profile.Accounts) != 0 || !u.tokens.empty.Visible() {
		t.Fatalf("%d cards shown after forgetting", len(u.tokens.cards))
	}
	if !strings.Contains(u.tokens.empty.Text, "No authorized account yet") {
		t.Fatalf("empty text %q", u.tokens.empty.Text)
	}
}

func TestTimesLineIsNotDimmed(t *testing.T) {
	u, _, _ := newTestApp(t)
	r := newTokenRow(u, "x", time.Hour, accessLife)
	if r.times.Importance == widget.LowImportance {
		t.Fatal("the obtained/expires line uses the disabled colour")
	}
}

func TestMissingScopes(t *testing.T) {
	got := missingScopes([]string{"user_info", "video.list.bind", "renew_refresh_token"}, "user_info,renew_refresh_token")
	if len(got) != 1 || got[0] != "video.list.bind" {
		t.Fatalf("missing = %v", got)
	}
	if got := missingScopes([]string{"user_info"}, "user_info,trial.whitelist"); len(got) != 0 {
		t.Fatalf("missing = %v", got)
	}
	// The platform's callback often leaves renew_refresh_token out.
	if got := missingScopes([]string{"user_info", "renew_refresh_token"}, "user_info"); len(got) != 0 {
		t.Fatalf("renew_refresh_token reported as not granted: %v", got)
	}
}

// TestResultOfAnotherProfileStaysThere: a refresh that ends after the user
// opened another profile does not add its account to that profile.
func TestResultOfAnotherProfileStaysThere(t *testing.T) {
	u, _, st := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	first := u.tokens.cards[0].grant.OpenID
	storeGrant(t, st, "other", base, testStart)
	other, err := st.Profile("other")
	if err != nil {
		t.Fatal(err)
	}
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, Latency: 300 * time.Millisecond, Once: true})
	test.Tap(u.tokens.cards[0].refreshBtn)
	u.do(func() { u.session.open(other, testApp.ClientSecret, nil) })
	u.wait()
	if u.session.profile.Name != "other" {
		t.Fatalf("active profile %q", u.session.profile.Name)
	}
	for _, a := range u.session.profile.Accounts {
		if a.OpenID == first {
			t.Fatal("the refreshed account of the first profile was added to the other one")
		}
	}
}
