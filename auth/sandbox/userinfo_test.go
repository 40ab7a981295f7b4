package sandbox

import (
	"bytes"
	"image/png"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

func wantUserInfoError(t *testing.T, r resp, code int) {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	m := r.json(t)
	if got := num(t, m["err_no"]); got != int64(code) {
		t.Fatalf("err_no %d, want %d\n%s", got, code, r.body)
	}
	d, _ := m["data"].(map[string]any)
	if d == nil || d["error_code"] != strconv.Itoa(code) {
		t.Fatalf("data.error_code should be the string %q: %s", strconv.Itoa(code), r.body)
	}
	if msg := str(t, m["err_msg"]); !strings.HasPrefix(msg, Description(code)) || d["description"] != msg {
		t.Errorf("err_msg %q, description %v", msg, d["description"])
	}
	if str(t, m["log_id"]) == "" {
		t.Error("log_id empty")
	}
}

func TestUserInfoFormAndJSON(t *testing.T) {
	e := newEnv(t, nil)
	user := e.s.Users()[2]
	tok := e.tokens("user_info", url.Values{"open_id": {user.OpenID}})
	at, oid := str(t, tok["access_token"]), str(t, tok["open_id"])
	if oid != user.OpenID {
		t.Fatalf("open_id %q, want %q", oid, user.OpenID)
	}
	for name, r := range map[string]resp{
		"form": e.postForm(PathUserInfo, url.Values{"access_token": {at}, "open_id": {oid}}),
		"json": e.postJSON(PathUserInfo, map[string]string{"access_token": at, "open_id": oid}),
	} {
		m := r.json(t)
		if num(t, m["err_no"]) != 0 || m["err_msg"] != "" || str(t, m["log_id"]) == "" {
			t.Errorf("%s: envelope %s", name, r.body)
		}
		d := data(t, r)
		want := map[string]any{"open_id": user.OpenID, "union_id": user.UnionID, "nickname": user.Nickname,
			"description": "", "e_account_role": user.Role, "error_code": "0", "client_key": testKey}
		for k, v := range want {
			if d[k] != v {
				t.Errorf("%s: %s = %v, want %v", name, k, d[k], v)
			}
		}
		if avatar := str(t, d["avatar"]); !strings.HasPrefix(avatar, e.srv.URL+"/_sandbox/avatar/") {
			t.Errorf("%s: avatar %q", name, avatar)
		}
	}

	r := e.get(strings.TrimPrefix(str(t, data(t, e.postForm(PathUserInfo,
		url.Values{"access_token": {at}, "open_id": {oid}}))["avatar"]), e.srv.URL), nil)
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/png" {
		t.Fatalf("avatar: %d %q", r.status, r.header.Get("Content-Type"))
	}
	img, err := png.Decode(bytes.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != AvatarSize || b.Dy() != AvatarSize {
		t.Errorf("avatar is %v", b)
	}
	if !bytes.Equal(avatarPNG(oid), r.body) || bytes.Equal(avatarPNG(oid), avatarPNG(oid+"x")) {
		t.Error("avatar is not a function of the open_id")
	}
}

func TestUserInfoErrors(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.tokens("user_info", nil)
	at, oid := str(t, tok["access_token"]), str(t, tok["open_id"])
	post := func(at, oid string) resp {
		return e.postForm(PathUserInfo, url.Values{"access_token": {at}, "open_id": {oid}})
	}
	wantUserInfoError(t, post("act.unknown", oid), 28001003)
	wantUserInfoError(t, post(at, e.s.Users()[1].OpenID), 28001015)
	wantUserInfoError(t, e.postForm(PathUserInfo, url.Values{"access_token": {at}}), 10005)

	noInfo := e.tokens("trial.whitelist", nil)
	wantUserInfoError(t, post(str(t, noInfo["access_token"]), str(t, noInfo["open_id"])), 28001012)

	e.s.Advance(DefaultAccessTTL - time.Second)
	if m := post(at, oid).json(t); num(t, m["err_no"]) != 0 {
		t.Fatalf("token refused before expiry: %v", m)
	}
	e.s.Advance(time.Second)
	wantUserInfoError(t, post(at, oid), 28001008)
	// A refreshed access token works again.
	d := data(t, e.postForm(PathRefreshToken, refreshForm(str(t, tok["refresh_token"]))))
	if m := post(str(t, d["access_token"]), oid).json(t); num(t, m["err_no"]) != 0 {
		t.Errorf("refreshed token refused: %v", m)
	}
}
