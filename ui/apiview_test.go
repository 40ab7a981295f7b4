package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// authorizeWithScopes authorizes, through the window, an app of the
// sandbox that holds scopes and asks for them all.
func authorizeWithScopes(t *testing.T, u *Window, sb *sandbox.Sandbox, base string, scopes ...string) {
	t.Helper()
	app := testApp
	app.ClientKey, app.Scopes = "awuiapis000001", append([]string{"user_info"}, scopes...)
	sb.AddApp(app)
	saved := testApp
	testApp = app
	defer func() { testApp = saved }()
	u.do(func() { u.creds.scopes.SetText(strings.Join(app.Scopes, ",")) })
	authorize(t, u, base)
}

// chooseAPI picks the catalogue entry name in the API step.
func chooseAPI(t *testing.T, u *Window, name string) {
	t.Helper()
	v := u.apiView
	i := slices.IndexFunc(v.apis, func(a auth.API) bool { return a.Name == name })
	if i < 0 {
		t.Fatalf("no API %q in the catalogue", name)
	}
	u.do(func() { u.show(tabAPI); v.api.SetSelectedIndex(i) })
}

// TestAPIStepCallsPagesAndShowsImages calls the authorized user's video
// list from the API step: the account is chosen already, the answer shows
// indented with the video covers drawn, Next page follows the cursor until
// the last page, and Copy as curl copies the call.
func TestAPIStepCallsPagesAndShowsImages(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorizeWithScopes(t, u, sb, base, "video.list.bind")
	v := u.apiView
	chooseAPI(t, u, "video-list")
	if v.chosenAccount() != u.tokens.cards[0].grant.OpenID {
		t.Fatalf("the account chosen is %q", v.chosenAccount())
	}
	u.do(func() { test.Type(v.entries["count"], "20"); test.Tap(v.sendBtn) })
	u.wait()
	if v.status.Importance != widget.SuccessImportance || !strings.Contains(v.result.body.Text, "\n  \"data\": {") {
		t.Fatalf("status %q, body:\n%.300s", v.status.Text, v.result.body.Text)
	}
	if n := len(v.result.images.Objects); n == 0 || !v.result.strip.Visible() {
		t.Fatalf("%d cover images shown", n)
	}
	pages := 1
	for !v.nextBtn.Disabled() && pages < 10 {
		u.do(func() { test.Tap(v.nextBtn) })
		u.wait()
		pages++
	}
	if pages < 2 || !v.nextBtn.Disabled() || !strings.Contains(v.status.Text, "the platform answered") {
		t.Fatalf("paged %d times; status %q", pages, v.status.Text)
	}
	u.do(func() { test.Tap(v.curlBtn) })
	if c := u.fyne.Clipboard().Content(); !strings.HasPrefix(c, "curl ") || !strings.Contains(c, "video_list") {
		t.Fatalf("clipboard %q", c)
	}
}

// TestAPIStepExplainsAMissingScope calls the fans list, which the grant
// lacks: nothing is sent and the step says which scope to ask for, in
// both languages.
func TestAPIStepExplainsAMissingScope(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	v := u.apiView
	logged := len(u.log.snapshot())
	chooseAPI(t, u, "fans-list")
	u.do(func() { test.Tap(v.sendBtn) })
	u.wait()
	if v.status.Importance != widget.DangerImportance || !strings.Contains(v.status.Text, "fans.list") || v.result.body.Visible() {
		t.Fatalf("status %q", v.status.Text)
	}
	if len(u.log.snapshot()) != logged {
		t.Fatal("a call the grant cannot make was sent")
	}
	u.do(func() { u.setLanguage(languageChinese) })
	v = u.apiView
	chooseAPI(t, u, "fans-list")
	u.do(func() { test.Tap(v.sendBtn) })
	u.wait()
	if !strings.Contains(v.status.Text, "授权作用域") {
		t.Fatalf("Chinese status %q", v.status.Text)
	}
}

func TestAnswerImagesFindsAvatarsAndCovers(t *testing.T) {
	body := []byte(`{"data":{"list":[{"cover":"http://x/c1.png","title":"a"},{"cover":"http://x/c2.png"},
		{"avatar":"https://x/a.png","nickname":"n"},{"cover":"http://x/c1.png"},{"cover":"javascript:alert(1)"}]}}`)
	got := answerImages(body, 12)
	if want := []string{"http://x/c1.png", "http://x/c2.png", "https://x/a.png"}; !slices.Equal(got, want) {
		t.Fatalf("images %q", got)
	}
	if got := answerImages(body, 1); len(got) != 1 {
		t.Fatalf("bounded to 1: %q", got)
	}
	if answerImages([]byte("<html>"), 3) != nil {
		t.Fatal("images in a body that is not JSON")
	}
}
