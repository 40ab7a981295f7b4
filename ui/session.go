package ui

import (
	"slices"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// change says what changed in the session.
type change int

const (
	// profileChanged: another profile is active, the active one was saved
	// again, or none is active any more.
	profileChanged change = iota
	// tokensRead: the tokens of the active profile were read; session.snap
	// holds them.
	tokensRead
	// accountsChanged: an account of the active profile was authorized or
	// forgotten, so what was read of it before is stale.
	accountsChanged
	// expiriesChanged: a refresh or renewal gave an account new tokens, which
	// its card shows already.
	expiriesChanged
	// settingsChanged: the notification and refresh thresholds changed.
	settingsChanged
)

// session is what the screens share: the active profile, its secret, the
// flow built from them, the tokens read for it last and the login in
// progress. Screens do not call each other: they change the session through
// its methods, and every screen that registered with observe is told what
// changed and shows it. Everything here runs on the UI goroutine.
type session struct {
	profile storage.Profile
	secret  string
	flow    *auth.Flow
	active  bool

	// snap is the last token snapshot read for the active profile; a rebuilt
	// tokens view shows it at once. Right after open it holds the tokens
	// read along with the profile, or nil when they are still to be read.
	snap *tokenSnapshot

	// login is the authorization in progress, nil when none waits; it was
	// begun for the profile loginProfile.
	login        *auth.Login
	loginProfile string

	// newFlow builds the flow of a profile with its secret.
	newFlow   func(storage.Profile, string) *auth.Flow
	observers []observer
}

// observer is a function told of every change, under the name of the
// screen that registered it.
type observer struct {
	name string
	tell func(change)
}

func newSession(newFlow func(storage.Profile, string) *auth.Flow) *session {
	return &session{newFlow: newFlow}
}

// observe registers tell under name, to be told of every change after the
// observers registered before it. A screen rebuilt in another language
// registers under the name of the one it replaces: that one is told no
// more, and the new one keeps its place in the order.
func (s *session) observe(name string, tell func(change)) {
	for i, o := range s.observers {
		if o.name == name {
			s.observers[i].tell = tell
			return
		}
	}
	s.observers = append(s.observers, observer{name, tell})
}

// notify tells every observer of c, in the order they first registered.
func (s *session) notify(c change) {
	for _, o := range s.observers {
		o.tell(c)
	}
}

// is reports whether profile is the active one.
func (s *session) is(profile string) bool { return s.active && s.profile.Name == profile }

// open makes p, with its secret, the active profile and builds its flow.
// snap, when not nil, holds its tokens read already; otherwise the screens
// read them.
func (s *session) open(p storage.Profile, secret string, snap *tokenSnapshot) {
	if s.login != nil && s.loginProfile != p.Name {
		s.login.Cancel() // its callback would belong to the other app
	}
	s.profile, s.secret, s.active = p, secret, true
	s.flow = s.newFlow(p, secret)
	s.snap = snap
	if snap != nil && snap.err == nil {
		s.profile.Accounts = snap.accounts
	}
	s.notify(profileChanged)
}

// close forgets the active profile and ends the login in progress.
func (s *session) close() {
	s.cancelLogin()
	s.profile, s.secret, s.flow, s.active, s.snap = storage.Profile{}, "", nil, false, nil
	s.notify(profileChanged)
}

// tokensRead records the tokens read for snap's profile, when it is still
// the active one.
func (s *session) tokensRead(snap tokenSnapshot) {
	if !s.is(snap.name) {
		return
	}
	s.snap = &snap
	if snap.err == nil {
		s.profile.Accounts = snap.accounts
	}
	s.notify(tokensRead)
}

// grantChanged records the new expiries of g's account of profile, when it
// is the active one.
func (s *session) grantChanged(profile string, g auth.Grant) {
	if s.setAccount(profile, g.Account) {
		s.notify(expiriesChanged)
	}
}

// authorized records the new grant g of profile and reports whether profile
// is still the active one.
func (s *session) authorized(profile string, g auth.Grant) bool {
	if !s.setAccount(profile, g.Account) {
		return false
	}
	s.notify(accountsChanged)
	return true
}

// forgotten removes the account openID from profile, when it is the active
// one.
func (s *session) forgotten(profile, openID string) {
	if !s.is(profile) {
		return
	}
	s.profile.Accounts = slices.DeleteFunc(s.profile.Accounts, func(a auth.Account) bool { return a.OpenID == openID })
	s.notify(accountsChanged)
}

// setAccount adds a to the accounts of profile, or replaces the account
// with its open_id, and reports whether profile is the active one.
func (s *session) setAccount(profile string, a auth.Account) bool {
	if !s.is(profile) {
		return false
	}
	i := slices.IndexFunc(s.profile.Accounts, func(b auth.Account) bool { return b.OpenID == a.OpenID })
	if i < 0 {
		s.profile.Accounts = append(s.profile.Accounts, a)
	} else {
		s.profile.Accounts[i] = a
	}
	return true
}

// clientTokenConfirmed records that the user of profile consented to fetch
// rotating client tokens, when it is the active one, so that they are not
// asked again.
func (s *session) clientTokenConfirmed(profile string) {
	if s.is(profile) {
		s.profile.ClientTokenConfirmed = true
	}
}

// begin makes login, begun for the active profile, the login in progress.
func (s *session) begin(login *auth.Login) {
	s.login, s.loginProfile = login, s.profile.Name
}

// ended records that login ended with err. It reports whether the screens
// should show how: not when it failed because a newer login replaced it.
func (s *session) ended(login *auth.Login, err error) bool {
	if s.login != login && s.login != nil && err != nil {
		return false
	}
	if s.login == login {
		s.login = nil
	}
	return true
}

// waiting reports whether a login waits for its callback.
func (s *session) waiting() bool { return s.login != nil }

// cancelLogin ends the login in progress, if any.
func (s *session) cancelLogin() {
	if s.login != nil {
		s.login.Cancel()
	}
}
