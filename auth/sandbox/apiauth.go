package sandbox

import (
	"slices"
	"time"
)

// gatewayCodes are the error codes one family of OpenAPIs answers with.
// The platform's status-code pages list two: the gateway of the
// /api/douyin/v1/ paths answers the 28001xxx codes /oauth/userinfo/ does
// (28001018 "应用未获得该能力" is what developers meet on those paths before
// the capability is granted), and the older paths (/fans/list/,
// /data/external/…, /data/extern/billboard/…) answer the 2190xxx codes of
// the general status-code table (2190003 "用户未授权该api", 2190004 "应用
// 未获得该能力") and 2100005 for a bad parameter, as their pages' error
// examples show.
type gatewayCodes struct {
	invalid    int // unknown or revoked token
	expired    int
	param      int // missing or bad parameter
	mismatch   int // open_id is not the token's user
	capability int // the app does not hold the scope
	notGranted int // the user's grant lacks the scope
}

var (
	v1Codes     = gatewayCodes{28001003, 28001008, 28001007, 28001015, 28001018, 28001012}
	legacyCodes = gatewayCodes{2190002, 2190008, 2100005, 2190015, 2190004, 2190003}
)

// gatewayErr returns code's error, with detail when not empty.
func gatewayErr(code int, detail string) *apiErr {
	if detail == "" {
		return newErr(code)
	}
	return errf(code, detail)
}

// grantView is what an access token speaks for.
type grantView struct {
	openID    string
	clientKey string
	scopes    []string
}

// authorizeUser checks a user's access token presented with openID for a,
// in the order /oauth/userinfo/ checks it (userInfoRefusal): the token,
// open_id, the app's capability, a test app's codes, then the grant.
func (s *Sandbox) authorizeUser(a openAPI, token, openID string, now time.Time) (grantView, *apiErr) {
	s.mu.Lock()
	rec := s.access[token]
	clientTok := s.clientTokenLocked(token) != ""
	var app App
	var g grantView
	if rec != nil {
		g = grantView{openID: rec.openID, clientKey: rec.clientKey, scopes: slices.Clone(rec.scopes)}
		if p := s.apps[rec.clientKey]; p != nil {
			app = *p
			app.Scopes, app.TrialUsers = slices.Clone(p.Scopes), slices.Clone(p.TrialUsers)
		}
	}
	s.mu.Unlock()
	c := a.codes
	switch {
	case token == "":
		return g, gatewayErr(c.invalid, "no access-token header")
	case rec == nil && clientTok:
		return g, gatewayErr(c.invalid, "a client_token cannot call an API that needs the user's authorization")
	case rec == nil:
		return g, gatewayErr(c.invalid, "")
	case rec.revoked:
		return g, gatewayErr(c.invalid, revokedDetail)
	case !now.Before(rec.expiry):
		return g, gatewayErr(c.expired, "")
	case openID == "":
		return g, gatewayErr(c.param, "open_id is required")
	case rec.openID != openID:
		return g, gatewayErr(c.mismatch, "")
	case !slices.Contains(app.Scopes, a.scope):
		return g, gatewayErr(c.capability, "the app does not hold "+a.scope)
	case app.Trial && app.TrialExpired:
		return g, newErr(28001021)
	case app.Trial && !slices.Contains(app.TrialUsers, rec.openID):
		return g, newErr(28001020)
	case !slices.Contains(rec.scopes, a.scope):
		return g, gatewayErr(c.notGranted, a.scope+" was not granted")
	}
	return g, nil
}

// authorizeClient checks a client token for a: one the sandbox issued, still
// valid, of an app that holds a's scope.
func (s *Sandbox) authorizeClient(a openAPI, token string, now time.Time) *apiErr {
	s.mu.Lock()
	key := s.clientTokenLocked(token)
	var tok clientTok
	var app App
	if cs := s.clients[key]; cs != nil {
		tok = cs.tokens[slices.IndexFunc(cs.tokens, func(t clientTok) bool { return t.token == token })]
	}
	if p := s.apps[key]; p != nil {
		app.Scopes = slices.Clone(p.Scopes)
	}
	userTok := s.access[token] != nil
	s.mu.Unlock()
	c := a.codes
	switch {
	case token == "":
		return gatewayErr(c.invalid, "no access-token header")
	case key == "" && userTok:
		return gatewayErr(c.invalid, "this API takes a client_token, not a user's access_token")
	case key == "":
		return gatewayErr(c.invalid, "")
	case !tok.valid(now):
		return gatewayErr(c.expired, "the client_token has expired or was replaced")
	case !slices.Contains(app.Scopes, a.scope):
		return gatewayErr(c.capability, "the app does not hold "+a.scope)
	}
	return nil
}

// clientTokenLocked returns the client key of the client token token, or
// "" when the sandbox never issued it or has forgotten it.
func (s *Sandbox) clientTokenLocked(token string) string {
	if token == "" {
		return ""
	}
	for key, cs := range s.clients {
		if slices.ContainsFunc(cs.tokens, func(t clientTok) bool { return t.token == token }) {
			return key
		}
	}
	return ""
}
