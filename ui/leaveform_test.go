package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// TestLeavingAnEditedFormAsks edits the credentials form, then asks for a
// new profile: the window asks first. Keep editing leaves the edit in the
// form, on step 1; Discard changes empties it. An unedited form is left
// without a question.
func TestLeavingAnEditedFormAsks(t *testing.T) {
	u, _, _ := newTestApp(t)
	dialogButton := func(text string) func() {
		t.Helper()
		b := findButton(u.win.Canvas().Overlays().Top(), text)
		if b == nil {
			t.Fatalf("no dialog with %q", text)
		}
		return func() { test.Tap(b) }
	}
	u.do(func() {
		test.Type(u.creds.name, "half-typed")
		u.show(tabProfiles)
		test.Tap(u.profiles.newBtn)
	})
	u.do(dialogButton("Keep editing"))
	if u.creds.name.Text != "half-typed" || u.tabs.SelectedIndex() != tabCredentials {
		t.Fatalf("after Keep editing: name %q, tab %d", u.creds.name.Text, u.tabs.SelectedIndex())
	}
	u.do(func() { test.Tap(u.profiles.newBtn) })
	u.do(dialogButton("Discard changes"))
	if u.creds.name.Text != "" || u.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("after Discard changes: name %q", u.creds.name.Text)
	}
	u.do(func() { u.show(tabProfiles); test.Tap(u.profiles.newBtn) })
	if u.win.Canvas().Overlays().Top() != nil || u.tabs.SelectedIndex() != tabCredentials {
		t.Fatal("leaving an unedited form asked, or did not leave")
	}
}

// TestDestructiveQuestionsShareOneRedStyle: deleting a profile, forgetting
// an account and revoking it each ask with a red (danger) confirm button.
func TestDestructiveQuestionsShareOneRedStyle(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	for _, ask := range []struct {
		name, confirm string
		tap           func()
	}{
		{"forget", "Forget account", func() { test.Tap(c.forgetBtn) }},
		{"revoke", "Revoke", func() { test.Tap(c.revokeBtn) }},
		{"delete", "Delete", func() { u.show(tabProfiles); u.profiles.list.Select(0); test.Tap(u.profiles.delBtn) }},
	} {
		u.do(ask.tap)
		u.do(func() {
			btn := findButton(u.win.Canvas().Overlays().Top(), ask.confirm)
			if btn == nil {
				t.Fatalf("%s: no dialog with %q", ask.name, ask.confirm)
			}
			if btn.Importance != widget.DangerImportance {
				t.Errorf("%s: the confirm button has importance %v", ask.name, btn.Importance)
			}
			u.win.Canvas().Overlays().Top().Hide()
			u.win.Canvas().Overlays().Remove(u.win.Canvas().Overlays().Top())
		})
	}
}
