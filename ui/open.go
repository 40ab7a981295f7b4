package ui

import (
	"context"

	"fyne.io/fyne/v2/lang"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// profileRead is what opening a profile needs, read off the UI goroutine.
type profileRead struct {
	profile storage.Profile
	secret  string
	err     error // reading the secret
	// snap holds the profile's tokens when they were read along.
	snap *tokenSnapshot
}

// readProfile reads the secret of p and, with tokens, its tokens. It may
// block on the keyring: call it in the background.
func readProfile(st *storage.Store, p storage.Profile, tokens bool) profileRead {
	r := profileRead{profile: p}
	r.secret, r.err = st.Secret(p.Name)
	if r.err == nil && tokens {
		snap := loadTokens(st, p.Name)
		if snap.err == nil {
			r.profile.Accounts = snap.accounts
		}
		r.snap = &snap
	}
	return r
}

// openProfile fills the credentials form with r. When the secret was read,
// it makes the profile the active one and shows its tokens, or the tab
// noAccount while it has no account. Otherwise it shows step 1, where the
// secret is entered, and returns why in the current language.
func (u *Window) openProfile(r profileRead, noAccount int) (problem string) {
	u.fillForm(profileDraft(r.profile, r.secret))
	if r.err != nil {
		u.show(tabCredentials)
		return lang.L("The client secret of “{{.Name}}” is not available ({{.Err}}); enter it in step 1.",
			map[string]any{"Name": r.profile.Name, "Err": message(r.err)})
	}
	u.session.open(r.profile, r.secret, r.snap)
	if len(r.profile.Accounts) > 0 {
		u.show(tabTokens)
	} else {
		u.show(noAccount)
	}
	return ""
}

// restore opens the profile used last, or the first one, reading its
// secret and tokens in the background. It leaves the window alone if the
// user started on something else meanwhile. The window starts on Tokens
// when a profile was open last time (kept.opening), which says that the
// profile is opening; step 1 follows when there is none to open.
func (u *Window) restore() {
	st, last, form := u.st, u.settings.LastProfile, u.kept.credentials
	u.background(nil, func(context.Context) func() {
		ps, err := st.Profiles()
		if err != nil || len(ps) == 0 {
			return u.opened
		}
		p := ps[0]
		for _, q := range ps {
			if q.Name == last {
				p = q
			}
		}
		r := readProfile(st, p, true)
		return func() {
			defer u.opened()
			if u.session.active || u.kept.credentials != form {
				return
			}
			if problem := u.openProfile(r, tabCredentials); problem != "" {
				u.creds.report(problem)
			}
		}
	})
}

// opened ends the start's opening of a profile: when none was opened, the
// Tokens screen says so, and the window moves on to step 1 if it still
// shows Tokens.
func (u *Window) opened() {
	if u.kept.opening == "" {
		return
	}
	u.kept.opening = ""
	if u.session.active {
		return
	}
	u.tokens.reload()
	if u.tabs.SelectedIndex() == tabTokens {
		u.show(tabCredentials)
	}
}

// fillForm fills the credentials form with d, a stored profile, as its
// fill does; a form not built yet holds d when it is.
func (u *Window) fillForm(d credentialsDraft) {
	if u.creds != nil {
		u.creds.fill(d, "")
		return
	}
	u.kept.credentials, u.kept.editing = d, d.Name
	u.kept.formBase = credentialsDraft{} // the form as built from d
}
