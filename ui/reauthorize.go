package ui

import (
	"fyne.io/fyne/v2/lang"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// authorize shows step 2 and starts the authorization of the active
// profile, as its Start button does: what "Save and authorize" does once
// the profile is saved.
func (u *Window) authorize() {
	u.show(tabAuthorize)
	u.authz.startAs(nil)
}

// reauthorizeAccount begins a new authorization of the active profile's
// account a on step 2; if the platform answers for another user, step 2
// says so instead of quietly adding a second account.
func (u *Window) reauthorizeAccount(a auth.Account) {
	u.show(tabAuthorize)
	u.authz.startAs(&a)
}

// onlyAccount returns the active profile's account when it has one only,
// else nil.
func (v *authorizeView) onlyAccount() *auth.Account {
	if accounts := v.u.session.profile.Accounts; v.u.session.active && len(accounts) == 1 {
		a := accounts[0]
		return &a
	}
	return nil
}

// anotherUser says that re-authorizing want came back as got, naming both.
func anotherUser(want, got auth.Account) string {
	return lang.L("Douyin signed in {{.Got}}, not {{.Want}}, whose account you re-authorized. {{.Got}} was added as another account of this profile; the tokens of {{.Want}} were not renewed. To renew them, re-authorize and sign in as {{.Want}}.",
		map[string]any{"Got": accountName(got), "Want": accountName(want)})
}
