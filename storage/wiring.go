package storage

import (
	"net/url"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Flow returns the OAuth flow of profile p with its client secret: a client
// of the platform at p's endpoint, and p's tokens in s. The window and the
// command line set the client's log and clock as they need.
func (s *Store) Flow(p Profile, secret string) *auth.Flow {
	return &auth.Flow{
		Client:      auth.NewClient(p.Endpoint()),
		Credentials: p.Credentials(secret),
		Store:       s.Tokens(p.Name),
	}
}

// LoginOptions returns how a login of p receives its callback. In relay
// mode it listens on the relay target, where the relay page forwards the
// callback; in loopback mode on its loopback redirect URI (loopback mode
// with a redirect URI elsewhere is refused, see ValidateCallback); in paste
// mode it does not listen. An https address is
// served with the certificate kept in s's directory (auth.LoopbackTLS).
func (s *Store) LoginOptions(p Profile) (auth.LoginOptions, error) {
	// A profile stored before loopback mode needed a loopback redirect URI
	// would otherwise wait for a callback that cannot arrive.
	if err := ValidateCallback(p.CallbackMode, p.RedirectURI); err != nil {
		return auth.LoginOptions{}, err
	}
	var opts auth.LoginOptions
	listen := p.RedirectURI
	switch {
	case p.CallbackMode == ModeRelay:
		opts.Listen, opts.ListenURI, listen = true, p.RelayTarget, p.RelayTarget
	case p.CallbackMode != ModePaste && auth.IsLoopbackRedirect(p.RedirectURI):
		opts.Listen = true
	}
	if u, err := url.Parse(listen); opts.Listen && err == nil && u.Scheme == "https" {
		cfg, err := auth.LoopbackTLS(s.dir)
		if err != nil {
			return auth.LoginOptions{}, err
		}
		opts.TLS = cfg
	}
	return opts, nil
}
