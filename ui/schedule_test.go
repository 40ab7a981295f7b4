package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func TestSchedule(t *testing.T) {
	now := testStart
	s := storage.DefaultSettings() // access 24h, refresh 72h before
	s.AutoRefreshBelow = time.Hour
	a := auth.Account{OpenID: "o1", AccessExpiry: now.Add(15 * 24 * time.Hour), RefreshExpiry: now.Add(30 * 24 * time.Hour)}
	done := map[string]bool{}

	due, next := schedule(now, s, "p", []auth.Account{a}, done)
	if len(due) != 0 || !next.Equal(a.AccessExpiry.Add(-24*time.Hour)) {
		t.Fatalf("fresh tokens: due %v, next %v", due, next)
	}
	// 23 hours before the access token expires: its notification is due.
	at := a.AccessExpiry.Add(-23 * time.Hour)
	due, next = schedule(at, s, "p", []auth.Account{a}, done)
	if len(due) != 1 || due[0].kind != dueNotifyAccess || !next.Equal(a.AccessExpiry.Add(-time.Hour)) {
		t.Fatalf("23h left: due %v, next %v", due, next)
	}
	done[due[0].key("p")] = true
	if due, _ = schedule(at, s, "p", []auth.Account{a}, done); len(due) != 0 {
		t.Fatalf("a notification sent twice: %v", due)
	}
	// Another profile's events are its own.
	if due, _ = schedule(at, s, "other", []auth.Account{a}, done); len(due) != 1 {
		t.Fatalf("other profile: %v", due)
	}
	// 30 minutes left: the automatic refresh is due.
	due, _ = schedule(a.AccessExpiry.Add(-30*time.Minute), s, "p", []auth.Account{a}, done)
	if len(due) != 1 || due[0].kind != dueAutoRefresh {
		t.Fatalf("30m left: %v", due)
	}
	// Expired access token: no notification, but a refresh while the
	// refresh token lives.
	due, next = schedule(a.AccessExpiry.Add(time.Hour), s, "p", []auth.Account{a}, map[string]bool{})
	if len(due) != 1 || due[0].kind != dueAutoRefresh || !next.Equal(a.RefreshExpiry.Add(-72*time.Hour)) {
		t.Fatalf("expired access token: due %v, next %v", due, next)
	}
	// Nothing after the refresh token expired.
	if due, next = schedule(a.RefreshExpiry, s, "p", []auth.Account{a}, map[string]bool{}); len(due) != 0 || !next.IsZero() {
		t.Fatalf("all expired: due %v, next %v", due, next)
	}
	// Switched off.
	s.NotifyAccessBefore, s.NotifyRefreshBefore, s.AutoRefreshBelow = 0, 0, 0
	if due, next = schedule(at, s, "p", []auth.Account{a}, map[string]bool{}); len(due) != 0 || !next.IsZero() {
		t.Fatalf("switched off: due %v, next %v", due, next)
	}
}

// Expiry notifications and automatic refreshes happen with the tokens tab
// hidden, from a timer set for the next expiry.
func TestNotifyAndAutoRefreshWithTokensHidden(t *testing.T) {
	u, clk, st := newTestApp(t)
	_, base := startSandbox(t)
	u.settings.AutoRefreshBelow = time.Hour
	authorize(t, u, base)
	ft := timersOf(u)
	c := u.tokens.cards[0]
	before := c.grant

	u.show(tabSettings)
	if u.clock.running() {
		t.Fatal("the countdown ticker runs with the tokens hidden")
	}
	// The timer waits for the first event (the access notification, 24h
	// before expiry) or an hour, whichever is sooner.
	if armed := ft.armed(); len(armed) != 1 || armed[0] != maxSleep {
		t.Fatalf("timers %v", armed)
	}
	clk.advance(15*24*time.Hour - 30*time.Minute)
	want := fyne.NewNotification("Douyin Auth Desk",
		"Access token of "+accountName(before.Account)+" (ui-test) expires in 30m 0s.")
	test.AssertNotificationSent(t, want, func() {
		ft.fire()
		u.wait()
	})
	after, err := st.Tokens("ui-test").Grant(before.OpenID)
	if err != nil {
		t.Fatal(err)
	}
	if !after.AccessExpiry.After(before.AccessExpiry) || c.grant.AccessToken != after.AccessToken {
		t.Fatal("the access token was not refreshed automatically")
	}
	if u.tabs.SelectedIndex() != tabSettings {
		t.Fatalf("tab %d", u.tabs.SelectedIndex())
	}
	if !after.AccessExpiry.Equal(clk.now().Add(15 * 24 * time.Hour)) {
		t.Fatalf("new expiry %v", after.AccessExpiry)
	}
	// Nothing is due again until the new expiry comes near.
	test.AssertNotificationSent(t, nil, func() {
		ft.fire()
		u.wait()
	})
	if armed := ft.armed(); len(armed) != 1 {
		t.Fatalf("timers after the refresh %v", armed)
	}
}

func TestAutoRefreshWaitsHalfTheTokensLife(t *testing.T) {
	now := testStart
	a := auth.Account{OpenID: "u", AccessObtained: now, AccessExpiry: now.Add(2 * time.Minute),
		RefreshObtained: now, RefreshExpiry: now.Add(5 * time.Minute)}
	s := storage.Settings{AutoRefreshBelow: time.Hour}
	due, next := schedule(now, s, "p", []auth.Account{a}, map[string]bool{})
	if len(due) != 0 || !next.Equal(now.Add(time.Minute)) {
		t.Fatalf("due %v, next %v: a fresh token is refreshed at once", due, next)
	}
	due, _ = schedule(now.Add(time.Minute), s, "p", []auth.Account{a}, map[string]bool{})
	if len(due) != 1 || due[0].kind != dueAutoRefresh {
		t.Fatalf("due %v at half life", due)
	}
}
