package sandbox

import (
	"net/http"
	"time"
)

// A user can cancel an app's authorization in 抖音 › 我 › 设置 › 帐号与安全 ›
// 授权管理, and the access token dies at once (developer.open-douyin.com,
// account-permission docs, user info; douyin-openapi.md §6). The sandbox
// then answers:
//
//   - /oauth/userinfo/ with 28001003, "access_token invalid": the token did
//     not expire (28001008), it ended; 10008 is the OAuth endpoints' code,
//     and userinfo speaks the 28001xxx family;
//   - /oauth/refresh_token/ and /oauth/renew_refresh_token/ with 10010, the
//     refresh token's end: its documented remedy, authorize again, is the
//     only one left after a revocation, where 10002, which the sandbox sends
//     for a token it never issued, would point at the request instead.
const revokedDetail = "the user revoked the authorization"

// Revoke cancels the authorization the user openID gave the app clientKey,
// as the user can in the Douyin app: every access and refresh token of that
// grant ends at once, and the user's unused codes for the app with them. A
// new authorization works as before. Revoke reports whether there was a
// live token or code to revoke; POST /_sandbox/revoke calls it.
func (s *Sandbox) Revoke(clientKey, openID string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	found := false
	for _, a := range s.access {
		if a.clientKey == clientKey && a.openID == openID && a.live(now) {
			a.revoked, a.expiry, found = true, now, true
		}
	}
	for _, r := range s.refresh {
		if r.clientKey == clientKey && r.openID == openID && r.live(now) {
			r.revoked, r.expiry, found = true, now, true
		}
	}
	if s.voidCodesLocked(clientKey, openID, now) {
		found = true
	}
	return found
}

// voidCodesLocked forgets the live codes issued to openID for clientKey and
// reports whether there were any.
func (s *Sandbox) voidCodesLocked(clientKey, openID string, now time.Time) bool {
	found := false
	for k, c := range s.codes {
		if c.clientKey == clientKey && c.openID == openID {
			found = found || now.Before(c.expiry)
			delete(s.codes, k)
		}
	}
	return found
}

// postRevoke serves POST /_sandbox/revoke with the body
// {"client_key":"…","open_id":"…"}: 200 {"revoked":true} when a grant was
// revoked, 404 {"revoked":false,"error":…} when there was none.
func (s *Sandbox) postRevoke(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ClientKey string `json:"client_key"`
		OpenID    string `json:"open_id"`
	}
	if !decodeControl(w, r, &body) {
		return
	}
	if body.ClientKey == "" || body.OpenID == "" {
		controlError(w, "client_key and open_id are required")
		return
	}
	if !s.Revoke(body.ClientKey, body.OpenID) {
		writeControlJSON(w, http.StatusNotFound, map[string]any{"revoked": false,
			"error": "no live grant of " + body.ClientKey + " to " + body.OpenID})
		return
	}
	writeControlJSON(w, http.StatusOK, map[string]any{"revoked": true})
}
