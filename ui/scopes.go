package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// knownScopes are the scopes offered in the picker, with what each grants;
// free text is allowed too.
var knownScopes = []struct {
	name  string
	about func() string
}{
	{"user_info", func() string { return lang.L("Basic profile: nickname and avatar (required for login)") }},
	{"trial.whitelist", func() string { return lang.L("Bind test users (together with user_info)") }},
	{"renew_refresh_token", func() string { return lang.L("Renew the refresh token") }},
	{"video.list.bind", func() string { return lang.L("List the user's videos") }},
	{"video.data.bind", func() string { return lang.L("Data of the user's videos") }},
	{"fans.check", func() string { return lang.L("Check whether someone follows the user") }},
	{"data.external.item", func() string { return lang.L("Video analytics") }},
	{"data.external.user", func() string { return lang.L("User analytics") }},
	{"following.list", func() string { return lang.L("Accounts the user follows") }},
	{"fans.list", func() string { return lang.L("The user's followers") }},
	{"im.share", func() string { return lang.L("Share into chats") }},
	{"aweme.share", func() string { return lang.L("Share to Douyin") }},
	{"h5.share", func() string { return lang.L("Share from H5 pages") }},
	{"open.account.data", func() string { return lang.L("Account data") }},
	{"incremental_authorization", func() string { return lang.L("Ask for more scopes later") }},
}

// scopeSeparator joins a scope and its description in the picker.
const scopeSeparator = " — "

// scopeMenu returns the picker's menu in the current language: each known
// scope with what it grants; picking one adds it.
func (v *credentialsView) scopeMenu() *fyne.Menu {
	items := make([]*fyne.MenuItem, len(knownScopes))
	for i, k := range knownScopes {
		items[i] = fyne.NewMenuItem(k.name+scopeSeparator+k.about(), func() { v.addScope(k.name) })
	}
	return fyne.NewMenu("", items...)
}

// showScopeMenu opens the scope menu below the picker's button, moved left
// as far as it takes to stay inside the window: the button sits at the
// right edge, and the menu is wider than it.
func (v *credentialsView) showScopeMenu() {
	c := v.u.win.Canvas()
	pop := widget.NewPopUpMenu(v.scopeMenu(), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(v.scopePicker)
	pos.Y += v.scopePicker.Size().Height
	pop.Resize(pop.MinSize())
	pop.ShowAtPosition(pos)
	v.scopePopUp = pop
}

// addScope appends a picked scope to the list unless it is there already.
func (v *credentialsView) addScope(s string) {
	if s == "" {
		return
	}
	list := auth.SplitScopes(v.scopes.Text)
	if !slices.Contains(list, s) {
		list = append(list, s)
	}
	v.scopes.SetText(strings.Join(list, ","))
}

// missingScopes returns the requested scopes absent from the granted,
// comma-separated list. renew_refresh_token is a capability of the app, not
// a grant of the user: callbacks often leave it out of the scopes they
// return, and renewing works all the same.
func missingScopes(requested []string, granted string) []string {
	have := auth.SplitScopes(granted)
	var missing []string
	for _, r := range requested {
		if r != "renew_refresh_token" && !slices.Contains(have, r) {
			missing = append(missing, r)
		}
	}
	return missing
}
