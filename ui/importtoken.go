package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// importKinds are the tokens the import takes, in the order offered.
const (
	importRefresh = iota
	importAccess
)

// tokenImport, on the Tokens step, stores an account from a token obtained
// elsewhere: a refresh token, which a refresh turns into the account and
// its lifetimes, or an access token with its open_id, which userinfo
// checks. The token is typed into a masked field and never stored but in
// the keyring.
type tokenImport struct {
	u       *Window
	content fyne.CanvasObject

	kind      *widget.RadioGroup
	token     *widget.Entry
	openID    *widget.Entry
	importBtn *widget.Button
	status    *widget.Label
	busy      *busy
}

func newTokenImport(u *Window) *tokenImport {
	v := &tokenImport{u: u}
	v.kind = widget.NewRadioGroup([]string{lang.L("Refresh token"), lang.L("Access token with its open_id")},
		func(string) { v.kindChanged() })
	v.kind.Horizontal = true
	v.token = widget.NewPasswordEntry()
	v.token.SetPlaceHolder(lang.L("Paste the token"))
	v.token.OnChanged = func(string) { v.check() }
	v.token.OnSubmitted = func(string) { v.submit() }
	v.openID = widget.NewEntry()
	v.openID.SetPlaceHolder("open_id")
	v.openID.OnChanged = func(string) { v.check() }
	v.openID.OnSubmitted = func(string) { v.submit() }
	v.importBtn = widget.NewButton(lang.L("Import"), v.submit)
	v.status = hiddenNote("", widget.MediumImportance)
	v.busy = newBusy(v.importBtn)
	v.busy.after = v.check
	help := caption(wrapped(lang.L("A refresh token is refreshed once to learn the account and its lifetimes; an access token is checked through userinfo and keeps an unknown expiry until it is refreshed. The token is kept in the keyring only.")))
	v.content = container.NewVBox(heading(lang.L("Import a token obtained elsewhere")), help, v.kind, v.token, v.openID,
		actionRow([]fyne.CanvasObject{v.importBtn, v.busy.activity}), v.status)
	v.kind.SetSelected(v.kind.Options[importRefresh])
	return v
}

// kindChanged asks for an open_id with an access token only.
func (v *tokenImport) kindChanged() {
	if v.kind.Selected == v.kind.Options[importAccess] {
		v.openID.Show()
	} else {
		v.openID.Hide()
	}
	v.check()
}

// check enables Import once a profile is open and what the kind needs is
// filled in.
func (v *tokenImport) check() {
	if v.busy.running() {
		return
	}
	ok := v.u.session.active && strings.TrimSpace(v.token.Text) != ""
	if v.kind.Selected == v.kind.Options[importAccess] {
		ok = ok && strings.TrimSpace(v.openID.Text) != ""
	}
	enable(ok, v.importBtn)
}

// submit imports the token in the background and shows the account, or
// why the platform refused it.
func (v *tokenImport) submit() {
	if v.importBtn.Disabled() {
		return
	}
	s := v.u.session
	flow, profile := s.flow, s.profile.Name
	token, openID := strings.TrimSpace(v.token.Text), strings.TrimSpace(v.openID.Text)
	access := v.kind.Selected == v.kind.Options[importAccess]
	v.status.Hide()
	v.u.background(v.busy, func(ctx context.Context) func() {
		var g auth.Grant
		var err error
		if access {
			g, err = flow.ImportAccessToken(ctx, token, openID)
		} else {
			g, err = flow.ImportRefreshToken(ctx, token)
		}
		return func() { v.imported(profile, g, err) }
	})
}

// imported shows the outcome of an import into profile.
func (v *tokenImport) imported(profile string, g auth.Grant, err error) {
	var unsaved *auth.UnsavedError
	if errors.As(err, &unsaved) {
		v.u.session.authorized(profile, unsaved.Grant)
	}
	if err != nil {
		setError(v.status, v.u.explain(err))
		return
	}
	v.token.SetText("")
	v.openID.SetText("")
	note(v.status, lang.L("Imported {{.Who}}.", map[string]any{"Who": accountName(g.Account)}), widget.SuccessImportance)
	v.u.session.authorized(profile, g)
}
