package sandbox

import (
	"crypto/subtle"
	"slices"
	"strings"
	"time"
)

func secretOK(app *App, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(app.ClientSecret), []byte(secret)) == 1
}

func missing(names ...string) *apiErr {
	return errf(10005, strings.Join(names, ", "))
}

// missingParams returns the names in names whose values are empty.
func missingParams(get func(string) string, names ...string) []string {
	var out []string
	for _, n := range names {
		if get(n) == "" {
			out = append(out, n)
		}
	}
	return out
}

// accessToken exchanges an authorization code: POST /oauth/access_token/.
func (s *Sandbox) accessToken(c *call) (map[string]any, *apiErr) {
	p, e := c.params()
	if e != nil {
		return nil, e
	}
	if m := missingParams(p.Get, "client_key", "client_secret", "code", "grant_type"); m != nil {
		return nil, missing(m...)
	}
	key, code := p.Get("client_key"), p.Get("code")
	if p.Get("grant_type") != "authorization_code" {
		return nil, errf(10002, "grant_type must be authorization_code")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.apps[key]
	if app == nil {
		return nil, newErr(10003)
	}
	if !secretOK(app, p.Get("client_secret")) {
		return nil, newErr(10013)
	}
	rec := s.codes[code]
	if rec == nil {
		return nil, newErr(10007)
	}
	if !c.now.Before(rec.expiry) {
		delete(s.codes, code)
		return nil, newErr(10007)
	}
	if rec.clientKey != key {
		return nil, newErr(10014)
	}
	delete(s.codes, code)
	s.pruneLocked(c.now)

	at, rt := newAccessToken(), newRefreshToken()
	s.access[at] = &accessRec{clientKey: key, openID: rec.openID, scopes: rec.scopes, expiry: c.now.Add(s.accessTTL)}
	s.refresh[rt] = &refreshRec{clientKey: key, openID: rec.openID, scopes: rec.scopes, expiry: c.now.Add(s.refreshTTL), access: at}
	return map[string]any{
		"data": map[string]any{
			"access_token":       at,
			"captcha":            "",
			"desc_url":           "",
			"description":        "",
			"error_code":         0,
			"expires_in":         seconds(s.accessTTL),
			"log_id":             c.logID,
			"open_id":            rec.openID,
			"refresh_expires_in": seconds(s.refreshTTL),
			"refresh_token":      rt,
			"scope":              strings.Join(rec.scopes, ","),
		},
		"message": "success",
	}, nil
}

// lookupRefreshLocked finds a refresh token of key; unknown tokens and tokens of
// another client_key give 10002, expired and revoked ones 10010.
func (s *Sandbox) lookupRefreshLocked(key, token string, now time.Time) (*refreshRec, *apiErr) {
	rec := s.refresh[token]
	if rec == nil || rec.clientKey != key {
		return nil, errf(10002, "refresh_token invalid")
	}
	if rec.revoked {
		return nil, errf(10010, revokedDetail)
	}
	if !now.Before(rec.expiry) {
		return nil, newErr(10010)
	}
	return rec, nil
}

// refreshToken answers POST /oauth/refresh_token/. The refresh token and its
// expiry stay as they are.
func (s *Sandbox) refreshToken(c *call) (map[string]any, *apiErr) {
	p, e := c.params()
	if e != nil {
		return nil, e
	}
	if m := missingParams(p.Get, "client_key", "grant_type", "refresh_token"); m != nil {
		return nil, missing(m...)
	}
	key, token := p.Get("client_key"), p.Get("refresh_token")
	if p.Get("grant_type") != "refresh_token" {
		return nil, errf(10002, "grant_type must be refresh_token")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apps[key] == nil {
		return nil, newErr(10003)
	}
	rec, e := s.lookupRefreshLocked(key, token, c.now)
	if e != nil {
		return nil, e
	}
	s.pruneLocked(c.now)
	at := s.refreshAccessLocked(rec, c.now)
	return map[string]any{
		"data": map[string]any{
			"access_token":       at,
			"description":        "",
			"error_code":         0,
			"expires_in":         seconds(s.accessTTL),
			"open_id":            rec.openID,
			"refresh_expires_in": seconds(rec.expiry.Sub(c.now)),
			"refresh_token":      token,
			"scope":              strings.Join(rec.scopes, ","),
		},
		"message": "success",
	}, nil
}

// refreshAccessLocked returns the access token a refresh of rec hands out at
// now. A still valid one comes back with a new expiry; only an expired one is
// replaced by a new token of full life: "若 access_token 未过期，refresh_token
// 不会改变原来的 access_token，但超时时间会更新" (developer.open-douyin.com,
// account-permission docs, refreshing the access token; douyin-openapi.md §3).
func (s *Sandbox) refreshAccessLocked(rec *refreshRec, now time.Time) string {
	if a := s.access[rec.access]; a != nil && a.live(now) {
		a.expiry = now.Add(s.accessTTL)
		return rec.access
	}
	at := newAccessToken()
	s.access[at] = &accessRec{clientKey: rec.clientKey, openID: rec.openID, scopes: rec.scopes, expiry: now.Add(s.accessTTL)}
	rec.access = at
	return at
}

// renewRefreshToken replaces a refresh token with a new one of full life:
// POST /oauth/renew_refresh_token/.
func (s *Sandbox) renewRefreshToken(c *call) (map[string]any, *apiErr) {
	p, e := c.params()
	if e != nil {
		return nil, e
	}
	if m := missingParams(p.Get, "client_key", "refresh_token"); m != nil {
		return nil, missing(m...)
	}
	key, token := p.Get("client_key"), p.Get("refresh_token")
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.apps[key]
	if app == nil {
		return nil, newErr(10003)
	}
	rec := s.refresh[token]
	if rec == nil || rec.clientKey != key {
		return nil, errf(10002, "refresh_token invalid")
	}
	// The app, not the user's grant, must hold the capability: "client_key
	// 必须拥有 renew_refresh_token 权限" (developer.open-douyin.com,
	// account-permission docs, renewing the refresh token; douyin-openapi.md
	// §4); the scopes a callback returns often omit it.
	if !slices.Contains(app.Scopes, "renew_refresh_token") {
		return nil, errf(10004, "the app does not hold renew_refresh_token")
	}
	if rec.revoked {
		return nil, errf(10010, revokedDetail)
	}
	if !c.now.Before(rec.expiry) {
		return nil, newErr(10010)
	}
	if rec.renewals >= MaxRenewals {
		return nil, errf(10020, "refresh_token renewed too often, authorize again")
	}
	delete(s.refresh, token)
	s.pruneLocked(c.now)
	nt := newRefreshToken()
	s.refresh[nt] = &refreshRec{clientKey: key, openID: rec.openID, scopes: rec.scopes,
		expiry: c.now.Add(s.refreshTTL), renewals: rec.renewals + 1, access: rec.access}
	return map[string]any{
		"data": map[string]any{
			"description":   "",
			"error_code":    0,
			"expires_in":    seconds(s.refreshTTL),
			"refresh_token": nt,
		},
		"message": "success",
	}, nil
}

// clientToken issues an app-only token: POST /oauth/client_token/, or with
// stable set POST /oauth/stable_client_token/, which hands out its own token
// while it is valid (stableToken).
func (s *Sandbox) clientToken(c *call, stable bool) (map[string]any, *apiErr) {
	p, e := c.params()
	if e != nil {
		return nil, e
	}
	get := func(k string) string { return p[k] }
	if m := missingParams(get, "client_key", "client_secret", "grant_type"); m != nil {
		return nil, missing(m...)
	}
	if p["grant_type"] != "client_credential" {
		return nil, errf(10002, "grant_type must be client_credential")
	}
	key := p["client_key"]
	s.mu.Lock()
	defer s.mu.Unlock()
	app := s.apps[key]
	if app == nil {
		return nil, newErr(10003)
	}
	cs := s.clients[key]
	if cs == nil {
		cs = &clientState{}
		s.clients[key] = cs
	}
	cutoff := c.now.Add(-ClientTokenWindow)
	cs.calls = slices.DeleteFunc(cs.calls, func(t time.Time) bool { return !t.After(cutoff) })
	if len(cs.calls) >= ClientTokenLimit {
		return nil, errf(10020, "too many client_token calls, slow down")
	}
	cs.calls = append(cs.calls, c.now)
	if !secretOK(app, p["client_secret"]) {
		return nil, newErr(10013)
	}

	if stable {
		tok := cs.stableToken(c.now, s.clientTTL)
		return clientTokenBody(tok.token, tok.expiry.Sub(c.now)), nil
	}
	tok := cs.rotate(c.now, s.clientTTL)
	return clientTokenBody(tok.token, s.clientTTL), nil
}

// rotate issues a new client_token: the previous one stays valid for the
// grace period, the one before it ends at once. The stable token is left
// alone.
func (cs *clientState) rotate(now time.Time, ttl time.Duration) clientTok {
	var rot, kept []clientTok
	for _, t := range cs.tokens {
		if t.stable {
			kept = append(kept, t)
		} else {
			rot = append(rot, t)
		}
	}
	if n := len(rot); n > 0 {
		rot[n-1].graceUntil = now.Add(ClientTokenGrace)
		rot = rot[n-1:]
	}
	tok := clientTok{token: newClientToken(), expiry: now.Add(ttl)}
	cs.tokens = append(append(kept, rot...), tok)
	return tok
}

// stableToken returns the app's stable_client_token: the same token for
// every call within its life, a new one after it ends. It is kept apart from
// client_token's rotation, which neither ends it nor is ended by it; the docs
// say only that it "returns the same token for repeated calls within its 2
// hours" (developer.open-douyin.com, account-permission docs, client token;
// douyin-openapi.md §5).
func (cs *clientState) stableToken(now time.Time, ttl time.Duration) clientTok {
	i := slices.IndexFunc(cs.tokens, func(t clientTok) bool { return t.stable })
	if i >= 0 && cs.tokens[i].valid(now) {
		return cs.tokens[i]
	}
	if i >= 0 {
		cs.tokens = slices.Delete(cs.tokens, i, i+1)
	}
	tok := clientTok{token: newClientToken(), expiry: now.Add(ttl), stable: true}
	cs.tokens = append(cs.tokens, tok)
	return tok
}

func clientTokenBody(token string, life time.Duration) map[string]any {
	return map[string]any{
		"data": map[string]any{
			"access_token": token,
			"description":  "",
			"error_code":   0,
			"expires_in":   seconds(life),
		},
		"message": "success",
	}
}

// expiredRetention is how long expired tokens are remembered, so that they
// keep being reported as expired rather than unknown.
const expiredRetention = 90 * 24 * time.Hour

// pruneLocked forgets expired codes, and tokens long expired.
func (s *Sandbox) pruneLocked(now time.Time) {
	for k, v := range s.codes {
		if !now.Before(v.expiry) {
			delete(s.codes, k)
		}
	}
	old := now.Add(-expiredRetention)
	for k, v := range s.access {
		if v.expiry.Before(old) {
			delete(s.access, k)
		}
	}
	for k, v := range s.refresh {
		if v.expiry.Before(old) {
			delete(s.refresh, k)
		}
	}
}
