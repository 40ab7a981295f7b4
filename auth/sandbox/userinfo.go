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
	"strconv"
	"strings"
)

// userInfo answers POST /oauth/userinfo/ with a form or JSON body.
func (s *Sandbox) userInfo(c *call) (map[string]any, *apiErr) {
	p, e := readParams(c.r)
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
	if rec != nil {
		user = User{OpenID: rec.openID}
		if i := slices.IndexFunc(s.users, func(u User) bool { return u.OpenID == rec.openID }); i >= 0 {
			user = s.users[i]
		}
	}
	s.mu.Unlock()
	switch {
	case rec == nil:
		return nil, newErr(28001003)
	case !c.now.Before(rec.expiry):
		return nil, newErr(28001008)
	case rec.openID != openID:
		return nil, newErr(28001015)
	case !slices.Contains(rec.scopes, "user_info"):
		return nil, errf(28001014, "user_info was not granted")
	}
	return map[string]any{
		"err_no":  0,
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
	b := avatarPNG(openID)
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
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
