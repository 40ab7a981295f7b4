package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func TestRestoreOpensLastProfileOnTokens(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "restored", "http://127.0.0.1:1", testStart)
	if err := st.SaveProfile(storage.Profile{Name: "aaa-first", ClientKey: "awfirst", RedirectURI: "https://example.com/cb"}); err != nil {
		t.Fatal(err)
	}
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "restored" })

	u, _, _ := newTestAppWith(t, st)
	if !u.session.active || u.session.profile.Name != "restored" || u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("active %v %q, tab %d", u.session.active, u.session.profile.Name, u.tabs.SelectedIndex())
	}
	if len(u.tokens.cards) != 1 {
		t.Fatalf("%d accounts shown", len(u.tokens.cards))
	}
	c := u.tokens.cards[0]
	access, refresh := c.access.countdown.label, c.refresh.countdown.label
	if access.Text != "15d 0h 0m" || refresh.Text != "30d 0h 0m" || !access.Visible() || !refresh.Visible() {
		t.Fatalf("countdowns %q %q", access.Text, refresh.Text)
	}
	if u.creds.name.Text != "restored" || u.creds.clientSecret.Text != testApp.ClientSecret {
		t.Fatalf("credentials form %q", u.creds.name.Text)
	}
}

func TestRestoreFallsBackToFirstProfile(t *testing.T) {
	st := newTestStore(t, nil)
	for _, n := range []string{"b-second", "a-first"} {
		if err := st.SaveProfile(storage.Profile{Name: n, ClientKey: "aw" + n, RedirectURI: "https://example.com/cb"}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetSecret(n, "secret-"+n); err != nil {
			t.Fatal(err)
		}
	}
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "deleted-meanwhile" })
	u, _, _ := newTestAppWith(t, st)
	if !u.session.active || u.session.profile.Name != "a-first" || u.tabs.SelectedIndex() != tabCredentials {
		t.Fatalf("active %v %q, tab %d", u.session.active, u.session.profile.Name, u.tabs.SelectedIndex())
	}
	if got, _ := st.Settings(); got.LastProfile != "a-first" {
		t.Fatalf("last profile %q", got.LastProfile)
	}

	// Opening another profile makes it the last one.
	u.show(tabProfiles)
	u.profiles.list.Select(1)
	test.Tap(u.profiles.openBtn)
	u.wait()
	if u.session.profile.Name != "b-second" {
		t.Fatalf("opened %q", u.session.profile.Name)
	}
	if got, _ := st.Settings(); got.LastProfile != "b-second" {
		t.Fatalf("last profile %q", got.LastProfile)
	}
}

// The keyring is read off the UI goroutine: a keyring that hangs does not
// block the window, and what it answers later shows up.
func TestKeyringReadsStayOffTheUIGoroutine(t *testing.T) {
	keyring := newGatedSecrets()
	st := newTestStore(t, keyring)
	storeGrant(t, st, "slow", "http://127.0.0.1:1", testStart)
	keyring.hold()
	released := false
	defer func() {
		if !released {
			keyring.release()
		}
	}()

	returned := make(chan *Window, 1)
	go func() {
		u, _, _ := newTestAppWithoutWait(t, st)
		returned <- u
	}()
	var u *Window
	select {
	case u = <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("starting the window waits for the keyring")
	}
	if u.session.active {
		t.Fatal("activated before the keyring answered")
	}
	// Reloading the tokens and profiles does not wait either.
	done := make(chan struct{})
	go func() {
		u.do(func() { u.tokens.reload(); u.profiles.reload() })
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reloading waits for the keyring")
	}
	keyring.release()
	released = true
	u.wait()
	if !u.session.active || u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 {
		t.Fatalf("after the keyring answered: active %v, tab %d, %d cards", u.session.active, u.tabs.SelectedIndex(), len(u.tokens.cards))
	}

	// Once active, a reload with a hanging keyring keeps the cards shown.
	keyring.hold()
	done = make(chan struct{})
	go func() {
		u.do(u.tokens.reload)
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("reloading the active profile waits for the keyring")
	}
	u.do(func() {
		if len(u.tokens.cards) != 1 || u.tokens.empty.Visible() {
			t.Error("the cards went away while reloading")
		}
	})
	keyring.release()
	u.wait()
}

// TestStartShowsTheProfileOpening starts the window while the keyring holds
// the last profile's secret: it starts on Tokens, saying that the profile
// is opening, and shows its account once read.
func TestStartShowsTheProfileOpening(t *testing.T) {
	kr := newGatedSecrets()
	st := newTestStore(t, kr)
	storeGrant(t, st, "restored", "http://127.0.0.1:1", testStart)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "restored" })
	kr.hold()
	u, _, _ := newTestAppWithoutWait(t, st)
	var tab int
	var text string
	var importing bool
	var sections int
	u.do(func() {
		tab, text, importing = u.tabs.SelectedIndex(), u.tokens.empty.Text, u.tokens.importBox.Visible()
		sections = len(u.tokens.clientBox.Objects) + len(u.tokens.importBox.Objects)
	})
	// Errors rather than fatal: the test goes on to release the keyring.
	if tab != tabTokens || text != "Opening profile “restored”…" || importing {
		t.Errorf("while the secret is read: tab %d, %q, import shown %v", tab, text, importing)
	}
	if sections != 0 {
		t.Error("the hidden sections are laid out with the first screen")
	}
	kr.release()
	u.wait()
	if !u.session.active || u.tabs.SelectedIndex() != tabTokens || len(u.tokens.cards) != 1 || u.tokens.empty.Visible() ||
		!u.tokens.importBox.Visible() || !u.tokens.clientBox.Visible() {
		t.Fatalf("active %v, tab %d, %d accounts, %q shown", u.session.active, u.tabs.SelectedIndex(), len(u.tokens.cards),
			u.tokens.empty.Text)
	}
}

// TestStartWithTheLastProfileGone starts on Tokens for a profile that is no
// longer stored, and moves on to step 1.
func TestStartWithTheLastProfileGone(t *testing.T) {
	st := newTestStore(t, nil)
	storeSettings(t, st, func(s *storage.Settings) { s.LastProfile = "gone" })
	u, _, _ := newTestAppWith(t, st)
	if u.session.active || u.tabs.SelectedIndex() != tabCredentials {
		t.Fatalf("active %v, tab %d", u.session.active, u.tabs.SelectedIndex())
	}
	if text := u.tokens.empty.Text; text != "No profile yet: save the credentials first (step 1)." {
		t.Fatalf("Tokens says %q", text)
	}
	if u.tokens.clientBox.Visible() || u.tokens.importBox.Visible() {
		t.Fatal("Tokens shows client tokens or the import without a profile")
	}
}
