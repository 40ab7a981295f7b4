package ui

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// edited reports whether the form differs from what it was filled with or
// last saved.
func (v *credentialsView) edited() bool { return v.draft() != v.u.kept.formBase }

// leaveForm runs then, which fills the form with something else, at once
// when the form, if ever shown, holds no unsaved edit; otherwise it asks
// first whether to discard the edit. Keeping it runs stay instead, and
// shows the form.
func (u *Window) leaveForm(then, stay func()) {
	if u.creds == nil || !u.creds.edited() {
		then()
		return
	}
	confirm(u.win, lang.L("Unsaved changes"),
		lang.L("The credentials form has changes that are not saved. Discard them?"),
		lang.L("Discard changes"), lang.L("Keep editing"), widget.DangerImportance, then,
		func() {
			if stay != nil {
				stay()
			}
			u.show(tabCredentials)
		})
}
