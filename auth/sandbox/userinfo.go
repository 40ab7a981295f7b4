package sandbox

import (
	"bytes"
	"crypto/sha256"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// userInfo answers POST /oauth/userinfo/ with a form or JSON body.
func (s *Sandbox) userInfo(c *call) (map[string]any, *apiErr) {
	p, e := c.params()
	if e != nil {
		return nil, e
	}
	if m := missingParams(p.Get, "access_token", "open_id"); m != nil {
		return nil, missing(m...)
	}
	token, openID := p.Get("access_token"), p.Get("open_id")
	s.mu.Lock()
	rec := s.access[token]
	var user User
	var app App
	if rec != nil {
		user = User{OpenID: rec.openID}
		if i := slices.IndexFunc(s.users, func(u User) bool { return u.OpenID == rec.openID }); i >= 0 {
			user = s.users[i]
		}
		if a := s.apps[rec.clientKey]; a != nil {
			app = *a
			app.Scopes, app.TrialUsers = slices.Clone(a.Scopes), slices.Clone(a.TrialUsers)
		}
	}
	s.mu.Unlock()
	if e := userInfoRefusal(rec, app, openID, c.now); e != nil {
		return nil, e
	}
	return map[string]any{
		"err_no":  plainNumber(0),
		"err_msg": "",
		"log_id":  c.logID,
		"data": map[string]any{
			"open_id":        user.OpenID,
			"union_id":       user.UnionID,
			"nickname":       user.Nickname,
			"avatar":         s.requestBase(c.r) + pathAvatarPrefix + url.PathEscape(user.OpenID) + ".png",
			"description":    "",
			"e_account_role": user.Role,
			"error_code":     "0",
			"client_key":     rec.clientKey,
		},
	}, nil
}

// userInfoRefusal returns what /oauth/userinfo/ answers to the access token
// rec presented with openID by the app it was issued to, or nil to answer
// the user's profile. Two codes tell apart who lacks the capability
// (developer.open-douyin.com, account-permission docs, user info and status
// codes; douyin-openapi.md §6, §7): 28001012, the user did not grant it
// (the grant lacks the user_info scope), and 28001014, the app holds no
// capability, which the sandbox answers when the app no longer holds
// user_info (re-registered without it by AddApp after the grant). A test
// app's codes, 28001021 (expired) and 28001020 (user not bound), come from
// the same gateway and are answered here too.
func userInfoRefusal(rec *accessRec, app App, openID string, now time.Time) *apiErr {
	switch {
	case rec == nil:
		return newErr(28001003)
	case rec.revoked: // before the expiry, which Revoke moved to its time
		return errf(28001003, revokedDetail)
	case !now.Before(rec.expiry):
		return newErr(28001008)
	case rec.openID != openID:
		return newErr(28001015)
	case !slices.Contains(app.Scopes, "user_info"):
		return errf(28001014, "the app does not hold user_info")
	case app.Trial && app.TrialExpired:
		return newErr(28001021)
	case app.Trial && !slices.Contains(app.TrialUsers, rec.openID):
		return newErr(28001020)
	case !slices.Contains(rec.scopes, "user_info"):
		return errf(28001012, "user_info was not granted")
	}
	return nil
}

// plainNumber is a number that numbers-as-strings mode leaves a number: the
// platform quotes data's numbers in older responses, never err_no
// (douyin-openapi.md §2, §6).
type plainNumber int

// requestBase returns the base URL the client used to reach the sandbox.
func (s *Sandbox) requestBase(r *http.Request) string {
	if r.Host == "" {
		return s.URL()
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// handleAvatar serves GET /_sandbox/avatar/{open_id}.png: a 128×128
// symmetric block pattern whose colours and shape derive from the open_id.
func (s *Sandbox) handleAvatar(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	openID, ok := strings.CutSuffix(file, ".png")
	if !ok || openID == "" {
		http.NotFound(w, r)
		return
	}
	writePNG(w, r, avatarPNG(openID))
}

// AvatarSize is the width and height of generated avatars, in pixels.
const AvatarSize = 128

// avatarPNG draws the avatar of openID as a PNG image.
func avatarPNG(openID string) []byte {
	h := sha256.Sum256([]byte(openID))
	fg := color.RGBA{R: 40 + h[0]%176, G: 40 + h[1]%176, B: 40 + h[2]%176, A: 255}
	bg := color.RGBA{R: 230 + h[3]%26, G: 230 + h[4]%26, B: 230 + h[5]%26, A: 255}
	img := image.NewPaletted(image.Rect(0, 0, AvatarSize, AvatarSize), color.Palette{bg, fg})
	const cells = 8
	const cell = AvatarSize / cells
	for row := 0; row < cells; row++ {
		for col := 0; col < cells/2; col++ {
			bit := row*cells/2 + col
			if h[6+bit/8]>>(bit%8)&1 == 0 {
				continue
			}
			for _, c := range []int{col, cells - 1 - col} {
				for y := row * cell; y < (row+1)*cell; y++ {
					for x := c * cell; x < (c+1)*cell; x++ {
						img.SetColorIndex(x, y, 1)
					}
				}
			}
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}
