package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// An observer registered again under its name replaces the one before in
// its place: a rebuilt screen is told once, its predecessor never.
func TestSessionObserversReplaceInPlace(t *testing.T) {
	s := newSession(func(storage.Profile, string) *auth.Flow { return nil })
	var told []string
	record := func(name string) func(change) {
		return func(c change) {
			if c == profileChanged {
				told = append(told, name)
			}
		}
	}
	s.observe("tokens", record("old tokens"))
	s.observe("scheduler", record("scheduler"))
	s.observe("tokens", record("new tokens"))
	s.open(storage.Profile{Name: "p"}, "secret", nil)
	if want := []string{"new tokens", "scheduler"}; !slices.Equal(told, want) {
		t.Fatalf("told %q, want %q", told, want)
	}
}

// After the window is rebuilt in another language, opening a profile in
// the Profiles tab reaches the rebuilt screens, not the ones replaced.
func TestRebuiltScreensFollowTheSession(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "alpha", "http://127.0.0.1:1", testStart)
	storeGrant(t, st, "beta", "http://127.0.0.1:1", testStart)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "alpha" })
	u, _, _ := newTestAppWith(t, st)
	if !u.session.is("alpha") {
		t.Fatalf("active %q", u.session.profile.Name)
	}
	observers, replaced := len(u.session.observers), u.tokens
	for _, choice := range []string{"中文", "English"} {
		u.do(func() { u.setView.language.SetSelected(choice) })
		u.wait()
	}
	if n := len(u.session.observers); n != observers {
		t.Fatalf("%d observers after two rebuilds, %d before", n, observers)
	}

	u.show(tabProfiles)
	u.profiles.list.Select(slices.IndexFunc(u.profiles.profiles, func(p storage.Profile) bool { return p.Name == "beta" }))
	test.Tap(u.profiles.openBtn)
	u.wait()
	if !u.session.is("beta") || u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("active %q, tab %d", u.session.profile.Name, u.tabs.SelectedIndex())
	}
	if len(u.tokens.cards) != 1 || u.tokens.cards[0].grant.OpenID != "open-beta" {
		t.Fatalf("the tokens view shows %d cards of %q", len(u.tokens.cards), u.tokens.shown)
	}
	if !strings.Contains(u.authz.profileLabel.Text, "“beta”") {
		t.Fatalf("step 2 shows %q", u.authz.profileLabel.Text)
	}
	if replaced.shown != "alpha" {
		t.Fatalf("the replaced tokens view was told too: it shows %q", replaced.shown)
	}
	if m := u.trayMenu(); len(m.Items) != 4 || !strings.HasPrefix(m.Items[3].Label, "Nick beta:") {
		t.Fatalf("tray menu %d items", len(m.Items))
	}
	if got, _ := st.Settings(); got.LastProfile != "beta" {
		t.Fatalf("last profile %q", got.LastProfile)
	}
}

// An automatic refresh due when the window opens runs: the scheduler hears
// of the profile after the tokens view has put its cards on screen.
func TestAutoRefreshDueAtStartRuns(t *testing.T) {
	st := newTestStore(t, nil)
	// The access token has 30 minutes left, under AutoRefreshBelow.
	storeGrant(t, st, "due", "http://127.0.0.1:1", testStart.Add(-15*24*time.Hour+30*time.Minute))
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile, s.AutoRefreshBelow = "due", time.Hour })
	u, _, _ := newTestAppWith(t, st)
	if len(u.tokens.cards) != 1 {
		t.Fatalf("%d cards", len(u.tokens.cards))
	}
	tried := slices.ContainsFunc(u.log.snapshot(), func(e auth.LogEntry) bool {
		return strings.HasSuffix(e.URL, auth.PathRefreshToken)
	})
	if !tried || !u.tokens.cards[0].errLabel.Visible() {
		t.Fatalf("no automatic refresh at start: logged %v, card says %q", tried, u.tokens.cards[0].errLabel.Text)
	}
}
