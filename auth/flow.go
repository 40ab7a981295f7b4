package auth

import (
	"context"
	"crypto/tls"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// CodeLifetime is how long an authorization code lives, and so how long a
// login waits for its callback by default.
const CodeLifetime = 10 * time.Minute

// Errors that end a login.
var (
	ErrCancelled    = errors.New("the authorization was cancelled")
	ErrLoginTimeout = errors.New("no callback arrived before the authorization code's lifetime ran out")
	ErrCodeUsed     = errors.New("this authorization has already received its code")
)

// Flow is the OAuth flow for one app: authorize, exchange, save, refresh,
// renew, client token and verify. It is the only implementation of these
// steps; the window and the command line both drive it.
type Flow struct {
	Client      *Client
	Credentials Credentials
	Store       TokenStore
	// Now is the clock used to stamp expiries; time.Now when nil.
	Now func() time.Time
}

func (f *Flow) now() time.Time {
	if f.Now != nil {
		return f.Now()
	}
	return f.Client.now()
}

// LoginOptions adjust a login.
type LoginOptions struct {
	// Listen starts a loopback callback server on the app's redirect URI.
	// Without it the code arrives only through Paste.
	Listen bool
	// Timeout ends the login; CodeLifetime when zero.
	Timeout time.Duration
	// Lang is the language of the browser pages ("zh", "en", or "" to
	// follow the browser).
	Lang string
	// ListenURI is the loopback URI to listen on when the platform
	// redirects elsewhere and a relay page forwards the callback; empty
	// listens on the app's redirect URI.
	ListenURI string
	// TLS serves an https loopback URI (see LoopbackTLS).
	TLS *tls.Config
	// pageWait overrides how long the callback's page waits for the
	// exchange before it polls, for tests.
	pageWait time.Duration
}

// Login is one authorization in progress.
type Login struct {
	URL         string    // the authorization page to open in a browser
	RedirectURI string    // the redirect URI sent, with the real loopback port
	CallbackURI string    // where the loopback server listens; empty without one
	Deadline    time.Time // when the login gives up

	flow   *Flow
	app    Credentials
	state  string
	server *CallbackServer
	pasted chan Callback
	claim  atomic.Bool
	// unchecked: the code came from a pasted bare code.
	unchecked atomic.Bool
	stop      chan struct{}
	once      sync.Once
	// received is closed once a code arrived, at receivedAt.
	received     chan struct{}
	receivedOnce sync.Once
	receivedAt   atomic.Pointer[time.Time]
}

// Begin starts an authorization: it creates the state, starts the loopback
// server when asked, and builds the authorization URL.
func (f *Flow) Begin(opts LoginOptions) (*Login, error) {
	if err := f.Credentials.Validate(); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = CodeLifetime
	}
	l := &Login{flow: f, app: f.Credentials, state: newState(), pasted: make(chan Callback, 1), stop: make(chan struct{}),
		received: make(chan struct{})}
	if opts.Listen {
		listen := f.Credentials.RedirectURI
		if opts.ListenURI != "" {
			listen = opts.ListenURI
		}
		claim := func() bool { return l.claim.CompareAndSwap(false, true) }
		srv, err := ListenCallback(listen, l.state, CallbackOptions{Lang: opts.Lang, TLS: opts.TLS, Claim: claim,
			AwaitOutcome: true, pageWait: opts.pageWait})
		if err != nil {
			return nil, err
		}
		l.server = srv
		l.CallbackURI = srv.RedirectURI()
		if opts.ListenURI == "" {
			l.app.RedirectURI = srv.RedirectURI()
		}
	}
	l.RedirectURI = l.app.RedirectURI
	l.URL = f.Client.AuthorizeURL(l.app, l.state)
	l.Deadline = time.Now().Add(timeout)
	return l, nil
}

// State returns the login's state value.
func (l *Login) State() string { return l.state }

// Paste feeds what the user pasted from the browser's address bar, read by
// ParsePasted with the login's state: an address must carry that state, a
// bare code is taken unchecked (see StateUnchecked). An error leaves the
// login waiting; a pasted failure callback ends it.
func (l *Login) Paste(text string) error {
	p, err := ParsePasted(text, l.state)
	if err != nil {
		return err
	}
	if !l.claim.CompareAndSwap(false, true) {
		return ErrCodeUsed
	}
	l.unchecked.Store(!p.StateChecked)
	l.codeArrived(p.Callback)
	l.pasted <- p.Callback
	return nil
}

// Received is closed once a code arrived — from the loopback server, a relay
// page or Paste — and the login exchanges it: the code's lifetime runs from
// then (see ReceivedAt). A refusal from the platform closes nothing; it ends
// the login at once.
func (l *Login) Received() <-chan struct{} { return l.received }

// ReceivedAt returns when the code arrived, on the flow's clock; zero until
// Received is closed.
func (l *Login) ReceivedAt() time.Time {
	if t := l.receivedAt.Load(); t != nil {
		return *t
	}
	return time.Time{}
}

// codeArrived records that cb, just accepted, brought a code.
func (l *Login) codeArrived(cb Callback) {
	if cb.failed() {
		return
	}
	l.receivedOnce.Do(func() {
		at := l.flow.now()
		l.receivedAt.Store(&at)
		close(l.received)
	})
}

// StateUnchecked reports whether the login took a pasted bare code, whose
// state could not be checked: nothing shows the code came from this
// authorization, and the user should be told so.
func (l *Login) StateUnchecked() bool { return l.unchecked.Load() }

// Cancel ends the login; Wait returns ErrCancelled.
func (l *Login) Cancel() {
	l.once.Do(func() { close(l.stop) })
}

// Wait waits for the callback — from the loopback server or Paste — then
// exchanges the code exactly once, stores the grant and returns it. It
// returns a *CallbackError when the platform reported a failure. The
// loopback server's page shows the browser how it ended.
func (l *Login) Wait(ctx context.Context) (g Grant, err error) {
	defer func() { l.finish(err) }()
	cb, err := l.receive(ctx)
	if err != nil {
		return Grant{}, err
	}
	if cb.failed() {
		return Grant{}, &CallbackError{Callback: cb}
	}
	ctx, cancel := l.stopContext(ctx)
	defer cancel()
	return l.flow.exchange(ctx, l.app, cb.Code)
}

// receive waits for the callback, or for the login to end without one.
func (l *Login) receive(ctx context.Context) (Callback, error) {
	var serverResult <-chan Callback
	if l.server != nil {
		serverResult = l.server.Result()
	}
	timer := time.NewTimer(time.Until(l.Deadline))
	defer timer.Stop()
	select {
	case cb := <-serverResult:
		l.codeArrived(cb)
		return cb, nil
	case cb := <-l.pasted:
		return cb, nil
	case <-l.stop:
		return Callback{}, ErrCancelled
	case <-ctx.Done():
		return Callback{}, ctx.Err()
	case <-timer.C:
		return Callback{}, ErrLoginTimeout
	}
}

// stopContext derives a context that Cancel also ends.
func (l *Login) stopContext(ctx context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	go func() {
		select {
		case <-l.stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// finish tells the loopback server how the login ended, for its page, and
// lets it close. An exchange that Cancel cut short ended as cancelled.
func (l *Login) finish(err error) {
	if l.server == nil {
		return
	}
	select {
	case <-l.stop:
		if err != nil {
			err = ErrCancelled
		}
	default:
	}
	l.server.Finish(err)
}

// exchange trades the code, enriches the grant with the user's profile when
// user_info was granted, and stores it.
func (f *Flow) exchange(ctx context.Context, app Credentials, code string) (Grant, error) {
	g, err := f.Client.ExchangeCode(ctx, app, code)
	if err != nil {
		return Grant{}, err
	}
	return f.adopt(ctx, g)
}

// adopt completes g, a grant the platform has just issued, with what the
// store knows of its user (and its renewal count, when the refresh token is
// the one stored) and what userinfo tells when user_info was granted, then
// saves it.
func (f *Flow) adopt(ctx context.Context, g Grant) (Grant, error) {
	if old, err := f.Store.Grant(g.OpenID); err == nil {
		g.Nickname, g.Avatar, g.UnionID, g.Role = old.Nickname, old.Avatar, old.UnionID, old.Role
		if old.RefreshToken == g.RefreshToken {
			g.Renewals = old.Renewals
		}
	}
	if hasScope(g.Scope, "user_info") {
		if u, err := f.Client.UserInfo(ctx, g.AccessToken, g.OpenID); err == nil {
			applyUserInfo(&g.Account, u)
		}
	}
	if err := f.save(g); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// save stores g, which the platform has just issued, trying twice: its
// refresh token may be the only one that works. A failure is an
// *UnsavedError carrying g, so that the user can still copy it.
func (f *Flow) save(g Grant) error {
	err := f.Store.SaveGrant(g)
	if err != nil {
		err = f.Store.SaveGrant(g)
	}
	var ue *UnsavedError
	if err != nil && !errors.As(err, &ue) {
		err = &UnsavedError{Grant: g, Err: err}
	}
	return err
}

// Refresh obtains a new access token for openID with its refresh token. The
// stored grant changes only when the platform answered with a new token. An
// account without a refresh token (Account.AccessOnly) gets
// ErrNoRefreshToken, and nothing is sent.
func (f *Flow) Refresh(ctx context.Context, openID string) (Grant, error) {
	old, err := f.storedRefreshable(openID)
	if err != nil {
		return Grant{}, err
	}
	g, err := f.Client.Refresh(ctx, f.Credentials.ClientKey, old.RefreshToken)
	if err != nil {
		return Grant{}, err
	}
	next := old
	next.AccessToken, next.AccessObtained, next.AccessExpiry = g.AccessToken, g.AccessObtained, g.AccessExpiry
	if g.Scope != "" {
		next.Scope = g.Scope
	}
	if g.RefreshToken != "" && g.RefreshToken != old.RefreshToken {
		next.RefreshToken, next.RefreshObtained = g.RefreshToken, g.RefreshObtained
		if !g.RefreshExpiry.IsZero() {
			next.RefreshExpiry = g.RefreshExpiry
		}
	} else if !g.RefreshExpiry.IsZero() && g.RefreshExpiry.Before(old.RefreshExpiry) {
		// The platform never extends a refresh token; believe a shorter life.
		next.RefreshExpiry = g.RefreshExpiry
	}
	if err := f.save(next); err != nil {
		return Grant{}, err
	}
	return next, nil
}

// Renew replaces openID's refresh token with a new one of full lifetime.
// The new token is stored before the old one is dropped. The old one ends at
// once, also wherever else it is held (see Account.Imported): Renew is only
// ever called on the user's request. An account without a refresh token
// gets ErrNoRefreshToken.
func (f *Flow) Renew(ctx context.Context, openID string) (Grant, error) {
	old, err := f.storedRefreshable(openID)
	if err != nil {
		return Grant{}, err
	}
	r, err := f.Client.RenewRefreshToken(ctx, f.Credentials.ClientKey, old.RefreshToken)
	if err != nil {
		return Grant{}, err
	}
	next := old
	next.RefreshToken, next.RefreshObtained, next.RefreshExpiry = r.RefreshToken, r.Obtained, r.Expiry
	next.Renewals++
	// The old refresh token died when the platform answered.
	if err := f.save(next); err != nil {
		return Grant{}, err
	}
	return next, nil
}

// storedRefreshable returns the stored grant of openID, or
// ErrNoRefreshToken when it holds no refresh token to send.
func (f *Flow) storedRefreshable(openID string) (Grant, error) {
	g, err := f.Store.Grant(openID)
	if err == nil && g.RefreshToken == "" {
		err = ErrNoRefreshToken
	}
	return g, err
}

// FetchClientToken obtains and stores a client token: with stable, the
// app's stable one; otherwise a new one of client_token's rotation.
func (f *Flow) FetchClientToken(ctx context.Context, stable bool) (ClientToken, error) {
	if strings.TrimSpace(f.Credentials.ClientKey) == "" {
		return ClientToken{}, &FieldError{Field: FieldClientKey, Reason: ReasonEmpty}
	}
	if strings.TrimSpace(f.Credentials.ClientSecret) == "" {
		return ClientToken{}, &FieldError{Field: FieldClientSecret, Reason: ReasonEmpty}
	}
	fetch := f.Client.ClientToken
	if stable {
		fetch = f.Client.StableClientToken
	}
	t, err := fetch(ctx, f.Credentials.ClientKey, f.Credentials.ClientSecret)
	if err != nil {
		return ClientToken{}, err
	}
	if err := f.Store.SaveClientToken(t); err != nil {
		return ClientToken{}, err
	}
	return t, nil
}

// Verify calls userinfo with openID's access token, proving it works, and
// stores what it tells about the user. It returns the grant as stored.
func (f *Flow) Verify(ctx context.Context, openID string) (Grant, error) {
	g, err := f.Store.Grant(openID)
	if err != nil {
		return Grant{}, err
	}
	u, err := f.Client.UserInfo(ctx, g.AccessToken, g.OpenID)
	if err != nil {
		return Grant{}, err
	}
	applyUserInfo(&g.Account, u)
	if err := f.Store.SaveGrant(g); err != nil {
		return Grant{}, err
	}
	return g, nil
}

func applyUserInfo(a *Account, u UserInfo) {
	a.Nickname, a.Avatar = u.Nickname, u.Avatar
	if u.UnionID != "" {
		a.UnionID = u.UnionID
	}
	if u.Role != "" {
		a.Role = u.Role
	}
}

// hasScope reports whether the comma-separated list contains scope.
func hasScope(list, scope string) bool {
	for _, s := range strings.Split(list, ",") {
		if strings.TrimSpace(s) == scope {
			return true
		}
	}
	return false
}
