package sandbox

import (
	"bytes"
	"crypto/subtle"
	"io"
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
	p, e := readParams(c.r)
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
	s.refresh[rt] = &refreshRec{clientKey: key, openID: rec.openID, scopes: rec.scopes, expiry: c.now.Add(s.refreshTTL)}
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
// another client_key give 10002, expired ones 10010.
func (s *Sandbox) lookupRefreshLocked(key, token string, now time.Time) (*refreshRec, *apiErr) {
	rec := s.refresh[token]
	if rec == nil || rec.clientKey != key {
		return nil, errf(10002, "refresh_token invalid")
	}
	if !now.Before(rec.expiry) {
		return nil, newErr(10010)
	}
	return rec, nil
}

// refreshToken issues a new access token: POST /oauth/refresh_token/. The
// refresh token and its expiry stay as they are.
func (s *Sandbox) refreshToken(c *call) (map[string]any, *apiErr) {
	p, e := readParams(c.r)
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
	at := newAccessToken()
	s.access[at] = &accessRec{clientKey: key, openID: rec.openID, scopes: rec.scopes, expiry: c.now.Add(s.accessTTL)}
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

// renewRefreshToken replaces a refresh token with a new one of full life:
// POST /oauth/renew_refresh_token/.
func (s *Sandbox) renewRefreshToken(c *call) (map[string]any, *apiErr) {
	p, e := readParams(c.r)
	if e != nil {
		return nil, e
	}
	if m := missingParams(p.Get, "client_key", "refresh_token"); m != nil {
		return nil, missing(m...)
	}
	key, token := p.Get("client_key"), p.Get("refresh_token")
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apps[key] == nil {
		return nil, newErr(10003)
	}
	rec := s.refresh[token]
	if rec == nil || rec.clientKey != key {
		return nil, errf(10002, "refresh_token invalid")
	}
	if !slices.Contains(rec.scopes, "renew_refresh_token") {
		return nil, errf(10004, "renew_refresh_token was not granted")
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
		expiry: c.now.Add(s.refreshTTL), renewals: rec.renewals + 1}
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
// stable set POST /oauth/stable_client_token/, which hands out the current
// token while it is valid.
func (s *Sandbox) clientToken(c *call, stable bool) (map[string]any, *apiErr) {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxBody))
	if err != nil {
		return nil, errf(10002, "unreadable request body")
	}
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, errf(10002, "request body must be JSON")
	}
	p, e := decodeJSONObject(body)
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

	if stable && len(cs.tokens) > 0 {
		cur := cs.tokens[len(cs.tokens)-1]
		if cur.valid(c.now) {
			return clientTokenBody(cur.token, cur.expiry.Sub(c.now)), nil
		}
	}
	tok := clientTok{token: newClientToken(), expiry: c.now.Add(s.clientTTL)}
	if n := len(cs.tokens); n > 0 {
		cs.tokens[n-1].graceUntil = c.now.Add(ClientTokenGrace)
		cs.tokens = cs.tokens[n-1:]
	}
	cs.tokens = append(cs.tokens, tok)
	return clientTokenBody(tok.token, s.clientTTL), nil
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
