package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// saveRequest is a profile to store from the form, with its secret and
// whether to move on to the authorization step after.
type saveRequest struct {
	profile storage.Profile
	secret  string
	next    bool
}

// save validates the form and stores the profile and its secret, then
// makes it the active profile; with next it moves on to the authorization
// step. Nothing is replaced without asking: a name that another profile
// has, and accounts that would stay with another client_key or base URL,
// are asked about first.
func (v *credentialsView) save(next bool) {
	p, secret, ok := v.profile()
	if !ok {
		return
	}
	st := v.u.st
	v.u.background(v.busy, func(context.Context) func() {
		ps, err := st.Profiles()
		return func() {
			if err != nil {
				v.showFieldError(err)
				return
			}
			v.confirmSave(saveRequest{profile: p, secret: secret, next: next}, ps)
		}
	})
}

// confirmSave stores r, asking first when its name is taken by a profile
// other than the one edited, or when the edited profile's accounts would
// be left with another client_key or base URL.
func (v *credentialsView) confirmSave(r saveRequest, ps []storage.Profile) {
	i := slices.IndexFunc(ps, func(q storage.Profile) bool { return q.Name == r.profile.Name })
	if i < 0 {
		v.store(r, nil)
		return
	}
	old := ps[i]
	var drop []auth.Account
	if movesAccounts(old, r.profile) {
		drop = old.Accounts
	}
	switch {
	case old.Name != v.u.kept.editing:
		v.askOverwrite(r, old, drop, freeName(ps, r.profile.Name, r.profile.Name))
	case len(drop) > 0:
		v.askDropAccounts(r, old)
	default:
		v.store(r, nil)
	}
}

// movesAccounts reports whether saving p over old would leave old's
// accounts with another client_key or base URL.
func movesAccounts(old, p storage.Profile) bool {
	return len(old.Accounts) > 0 &&
		(old.ClientKey != p.ClientKey || !strings.EqualFold(old.Endpoint(), p.Endpoint()))
}

// boundAccounts says why accounts of old are not carried to another
// server: their tokens are bound to old's client_key and base URL.
func boundAccounts(old storage.Profile) string {
	return lang.L("Its {{.N}} account(s) were authorized for client_key {{.Key}} at {{.URL}}; their tokens are bound to these and are never sent to another client_key or server.",
		map[string]any{"N": len(old.Accounts), "Key": old.ClientKey, "URL": old.Endpoint()})
}

// askOverwrite asks whether to replace old, which has the name of r's
// profile, or to save r under free; overwriting drops the accounts drop.
func (v *credentialsView) askOverwrite(r saveRequest, old storage.Profile, drop []auth.Account, free string) {
	text := lang.L("A profile named “{{.Name}}” exists already. Overwrite it, or save this one as “{{.Free}}”?",
		map[string]any{"Name": old.Name, "Free": free})
	if len(drop) > 0 {
		text += "\n\n" + boundAccounts(old) + " " + lang.L("Overwriting removes them from “{{.Name}}”.", map[string]any{"Name": old.Name})
	}
	var d *dialog.CustomDialog
	choose := func(f func()) func() { return func() { d.Hide(); f() } }
	cancel := widget.NewButton(lang.L("Cancel"), choose(func() {}))
	rename := widget.NewButton(lang.L("Save as “{{.Name}}”", map[string]any{"Name": free}), choose(func() {
		v.name.SetText(free)
		r.profile.Name = free
		v.store(r, nil)
	}))
	overwrite := widget.NewButton(lang.L("Overwrite"), choose(func() { v.store(r, drop) }))
	overwrite.Importance = widget.DangerImportance
	d = dialog.NewCustomWithoutButtons(lang.L("Profile name taken"), wrapped(text), v.u.win)
	d.SetButtons([]fyne.CanvasObject{cancel, rename, overwrite})
	d.Resize(fyne.NewSize(520, 0))
	d.Show()
}

// askDropAccounts asks, for an edit of old that changes its client_key
// or base URL, whether to keep its accounts, saving nothing, or to remove
// them and save.
func (v *credentialsView) askDropAccounts(r saveRequest, old storage.Profile) {
	text := lang.L("This edit points “{{.Name}}” at client_key {{.Key}} at {{.URL}}.",
		map[string]any{"Name": old.Name, "Key": r.profile.ClientKey, "URL": r.profile.Endpoint()}) +
		" " + boundAccounts(old) + "\n\n" +
		lang.L("Keep the accounts (nothing is saved), or remove them from this profile and save?")
	d := confirm(v.u.win, lang.L("Accounts of another server"), text, lang.L("Remove them and save"),
		lang.L("Keep the accounts"), widget.DangerImportance, func() { v.store(r, old.Accounts) })
	d.Resize(fyne.NewSize(520, 0))
}

// store stores r's profile, removes the accounts drop from it, stores its
// secret and makes it the active profile.
func (v *credentialsView) store(r saveRequest, drop []auth.Account) {
	u, st, p := v.u, v.u.st, r.profile
	u.background(v.busy, func(context.Context) func() {
		err := st.SaveProfile(p)
		for _, a := range drop {
			if err == nil {
				err = st.DeleteAccount(p.Name, a.OpenID)
			}
		}
		if err == nil {
			err = st.SetSecret(p.Name, r.secret)
		}
		var saved storage.Profile
		if err == nil {
			saved, err = st.Profile(p.Name)
		}
		return func() { v.stored(r, saved, len(drop), err) }
	})
}

// stored shows the outcome of store and opens the profile saved.
func (v *credentialsView) stored(r saveRequest, saved storage.Profile, dropped int, err error) {
	if err != nil {
		v.showFieldError(err)
		return
	}
	u := v.u
	u.kept.editing = saved.Name
	u.kept.formBase = v.draft()
	text := lang.L("Saved.")
	if dropped > 0 {
		text += " " + lang.L("{{.N}} account(s) removed from it.", map[string]any{"N": dropped})
	}
	note(v.status, text, widget.SuccessImportance)
	u.session.open(saved, r.secret, nil)
	if r.next {
		u.authorize()
	}
}
