package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// TestEnterSubmitsTheCredentials: Enter in a field of a valid form saves
// and authorizes, as Save and authorize does; in an invalid one it does
// nothing.
func TestEnterSubmitsTheCredentials(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	test.Type(u.creds.name, "p1")
	u.do(func() { u.creds.clientSecret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	u.wait()
	if ps, _ := st.Profiles(); len(ps) != 0 {
		t.Fatal("Enter saved an invalid form")
	}
	fillCredentials(u, base)
	var browserErr error
	u.openURL = func(target string) error { browserErr = actAsBrowser(target); return browserErr }
	u.do(func() { u.creds.clientSecret.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	u.wait()
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	if u.tabs.SelectedIndex() != tabTokens || len(u.session.profile.Accounts) != 1 {
		t.Fatalf("Enter did not save and authorize: tab %d, %q", u.tabs.SelectedIndex(), u.creds.status.Text)
	}
}
