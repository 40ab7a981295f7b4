package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// tokensView is step 3: the tokens of every authorized account of the
// active profile, and the app's client tokens.
type tokensView struct {
	u       *Window
	content fyne.CanvasObject

	empty    *widget.Label
	accounts *fyne.Container
	cards    []*accountCard

	// shown is the profile whose accounts are on screen; gen tells a
	// reload's answer whether it is still wanted.
	shown string
	gen   int

	// client and importer are the client token and import sections,
	// nil until first shown.
	client   *clientTokens
	importer *tokenImport
	// clientBox and importBox hold the client token and import sections,
	// each below a line, shown while a profile is open (see showSection).
	clientBox, importBox *fyne.Container
}

func newTokensView(u *Window) *tokensView {
	v := &tokensView{u: u}
	v.empty = wrapped("")
	v.accounts = container.NewVBox()
	v.clientBox, v.importBox = container.NewVBox(), container.NewVBox()
	v.clientBox.Hide()
	v.importBox.Hide()
	v.content = container.NewVScroll(container.NewVBox(v.empty, v.accounts, v.clientBox, v.importBox))
	v.showImport()
	v.reload()
	u.session.observe("tokens", v.sessionChanged)
	return v
}

// showImport shows the import section while a profile is open, the one a
// token is imported into.
func (v *tokensView) showImport() {
	if v.u.session.active {
		if v.importer == nil {
			v.importer = newTokenImport(v.u)
		}
		showSection(v.importBox, v.importer.content)
	} else {
		v.importBox.Hide()
	}
}

// showSection shows box with a line and then section. Both go into box
// when it is first shown, and the sections are built then: until then the
// screen neither builds, lays out nor measures them, and starts sooner.
func showSection(box *fyne.Container, section fyne.CanvasObject) {
	if len(box.Objects) == 0 {
		box.Objects = []fyne.CanvasObject{widget.NewSeparator(), section}
	}
	box.Show()
}

// sessionChanged shows the tokens of the active profile: those read along
// with it, or else read again.
func (v *tokensView) sessionChanged(c change) {
	switch c {
	case profileChanged:
		// Another profile, or this one saved again: what was said of the
		// last one is over.
		v.clearMessages()
		if v.importer != nil {
			v.importer.status.Hide()
			v.importer.check()
		}
		v.showImport()
		if v.u.session.snap != nil {
			v.showLatest()
		} else {
			v.reload()
		}
	case tokensRead:
		v.showLatest()
	case accountsChanged, settingsChanged:
		v.reload()
	}
}

// clearMessages takes every message of the view away.
func (v *tokensView) clearMessages() {
	for _, c := range v.cards {
		c.clearMessages()
	}
	if v.client != nil {
		v.client.clearMessages()
	}
}

// hasCountdowns reports whether the view shows any countdown.
func (v *tokensView) hasCountdowns() bool {
	return len(v.cards) > 0 || len(v.clientCountdowns()) > 0
}

// clientCountdowns returns the countdowns of the client tokens shown.
func (v *tokensView) clientCountdowns() []*countdown {
	if v.client == nil {
		return nil
	}
	return v.client.countdowns()
}

// tokenSnapshot is what the tokens view shows for a profile, read from
// storage and the keyring off the UI goroutine.
type tokenSnapshot struct {
	name     string
	accounts []auth.Account
	err      error // reading the profile
	grants   map[string]auth.Grant
	errs     map[string]error  // reading a grant, by open_id
	client   *auth.ClientToken // the rotating one
	stable   *auth.ClientToken
}

// loadTokens reads the accounts, grants and client tokens of profile. It
// may block on the keyring: call it in the background.
func loadTokens(st *storage.Store, profile string) tokenSnapshot {
	s := tokenSnapshot{name: profile, grants: map[string]auth.Grant{}, errs: map[string]error{}}
	p, err := st.Profile(profile)
	if err != nil {
		s.err = err
		return s
	}
	s.accounts = p.Accounts
	ts := st.Tokens(profile)
	for _, a := range p.Accounts {
		if g, err := ts.Grant(a.OpenID); err == nil {
			s.grants[a.OpenID] = g
		} else {
			s.errs[a.OpenID] = err
		}
	}
	if t, err := ts.ClientToken(false); err == nil {
		s.client = &t
	}
	if t, err := ts.ClientToken(true); err == nil {
		s.stable = &t
	}
	return s
}

// reload reads the accounts and client token stored for the active
// profile in the background and hands them to the session; until then it
// shows what was read last.
func (v *tokensView) reload() {
	s := v.u.session
	v.gen++
	if !s.active {
		v.shown = ""
		if name := v.u.kept.opening; name != "" {
			v.clear(lang.L("Opening profile “{{.Name}}”…", map[string]any{"Name": name}))
		} else {
			v.clear(lang.L("No profile yet: save the credentials first (step 1)."))
		}
		return
	}
	name := s.profile.Name
	if v.shown != name {
		if s.snap != nil && s.snap.name == name {
			v.show(*s.snap)
		} else {
			v.shown = ""
			v.clear(lang.L("Loading…"))
		}
	}
	gen, st := v.gen, v.u.st
	v.u.background(nil, func(context.Context) func() {
		snap := loadTokens(st, name)
		return func() {
			if v.gen == gen {
				s.tokensRead(snap)
			}
		}
	})
}

// showLatest shows the session's snapshot.
func (v *tokensView) showLatest() {
	v.gen++ // a reload started earlier must not overwrite it
	v.show(*v.u.session.snap)
}

// clear takes the accounts and the client tokens off the screen and says
// text instead.
func (v *tokensView) clear(text string) {
	v.setCards(nil)
	if v.client != nil {
		v.client.clear()
	}
	v.empty.SetText(text)
	v.empty.Show()
	v.clientBox.Hide()
	v.register()
}

// show puts a snapshot on screen, keeping the cards of accounts still
// there so that jobs running for them land on screen.
func (v *tokensView) show(s tokenSnapshot) {
	old := map[string]*accountCard{}
	if v.shown == s.name {
		for _, c := range v.cards {
			old[c.grant.OpenID] = c
		}
	}
	v.shown = s.name
	if v.client == nil {
		v.client = newClientTokens(v.u, func() {
			v.register()
			v.u.visibilityChanged()
		})
	}
	showSection(v.clientBox, v.client.content)
	var cards []*accountCard
	for _, a := range s.accounts {
		c := old[a.OpenID]
		if c == nil {
			c = newAccountCard(v.u, a)
		}
		c.showRead(s)
		cards = append(cards, c)
	}
	v.setCards(cards)
	switch {
	case s.err != nil:
		setError(v.empty, message(s.err))
	case len(v.cards) == 0:
		note(v.empty, lang.L("No authorized account yet: run the authorization (step 2)."), widget.MediumImportance)
	default:
		v.empty.Hide()
	}
	v.client.show(s.client, s.stable)
	v.register()
}

// setCards replaces the account cards on screen.
func (v *tokensView) setCards(cards []*accountCard) {
	v.cards = cards
	objs := make([]fyne.CanvasObject, len(cards))
	for i, c := range cards {
		objs[i] = c.content
	}
	v.accounts.Objects = objs
	v.accounts.Refresh()
}

// register hands the view's countdowns to the clock.
func (v *tokensView) register() {
	var cds []*countdown
	for _, c := range v.cards {
		cds = append(cds, c.access.countdown, c.refresh.countdown)
	}
	cds = append(cds, v.clientCountdowns()...)
	v.u.clock.set("tokens", cds)
}

// card returns the card of openID, or nil.
func (v *tokensView) card(openID string) *accountCard {
	for _, c := range v.cards {
		if c.grant.OpenID == openID {
			return c
		}
	}
	return nil
}

// autoRefresh refreshes the access token of openID, as the scheduler
// asks, unless a job for it runs already.
func (v *tokensView) autoRefresh(openID string) {
	if c := v.card(openID); c != nil && !c.busy.running() {
		c.doRefresh()
	}
}
