package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestHeaderSaysWhereYouAre: above every step, the Tokens step too, the
// header names the active profile with its environment and base URL, so
// that two sandbox profiles authorized alike are told apart; its switcher
// opens another stored profile, and says why one cannot be opened.
func TestHeaderSaysWhereYouAre(t *testing.T) {
	st := newTestStore(t, nil)
	storeGrant(t, st, "alpha", "http://127.0.0.1:8790", testStart.Add(-time.Hour))
	storeGrant(t, st, "beta", "http://127.0.0.1:8791", testStart.Add(-time.Hour))
	prod := storage.Profile{Name: "prod", ClientKey: "awprod", Scopes: []string{"user_info"},
		RedirectURI: "https://example.com/douyin/callback", CallbackMode: storage.ModePaste}
	for _, p := range []storage.Profile{prod, {Name: "secretless", ClientKey: "awnone", RedirectURI: prod.RedirectURI}} {
		if err := st.SaveProfile(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetSecret("prod", "prod-secret"); err != nil {
		t.Fatal(err)
	}
	u, _, _ := newTestAppWith(t, st)
	h := u.header
	if u.tabs.SelectedIndex() != tabTokens || !shows(u.win.Content(), h.where) {
		t.Fatalf("tab %d; header on screen %v", u.tabs.SelectedIndex(), shows(u.win.Content(), h.where))
	}
	wantHeader(t, u, "Profile “alpha” · Local sandbox · http://127.0.0.1:8790")
	if h.switcher.Selected != "alpha" || strings.Join(h.switcher.Options, ",") != "alpha,beta,prod,secretless" {
		t.Fatalf("switcher %q of %q", h.switcher.Selected, h.switcher.Options)
	}

	switchProfile(t, u, "beta")
	if !u.session.is("beta") || u.tabs.SelectedIndex() != tabTokens {
		t.Fatalf("active %q, tab %d", u.session.profile.Name, u.tabs.SelectedIndex())
	}
	wantHeader(t, u, "Profile “beta” · Local sandbox · http://127.0.0.1:8791")

	switchProfile(t, u, "prod")
	wantHeader(t, u, "Profile “prod” · Douyin · https://open.douyin.com")

	switchProfile(t, u, "secretless")
	if !u.session.is("prod") || !h.errLabel.Visible() || !strings.Contains(h.errLabel.Text, "“secretless” is not available") {
		t.Fatalf("active %q; error %v %q", u.session.profile.Name, h.errLabel.Visible(), h.errLabel.Text)
	}
	wantHeader(t, u, "Profile “prod” · Douyin · https://open.douyin.com")
	if h.switcher.Selected != "prod" {
		t.Fatalf("switcher left on %q", h.switcher.Selected)
	}

	u.do(func() { u.setLanguage(languageChinese) })
	u.wait()
	wantHeader(t, u, "配置“prod” · 抖音开放平台 · https://open.douyin.com")
	u.do(func() { u.setLanguage(languageEnglish) })
	u.wait()
}

// switchProfile picks name in the header's switcher as a user would.
func switchProfile(t *testing.T, u *Window, name string) {
	t.Helper()
	u.do(func() {
		test.Tap(u.header.switcher)
		item := findTappableText(u.win.Canvas().Overlays().Top(), name)
		if item == nil {
			t.Fatalf("the switcher offers no %q", name)
		}
		test.Tap(item)
	})
	u.wait()
}

// wantHeader checks the header's text.
func wantHeader(t *testing.T, u *Window, want string) {
	t.Helper()
	if got := u.header.where.Text; got != want {
		t.Fatalf("header %q, want %q", got, want)
	}
}

// findTappableText returns the visible tappable widget under o that shows
// text, such as an item of a select's menu, or nil.
func findTappableText(o fyne.CanvasObject, text string) fyne.Tappable {
	if o == nil || !o.Visible() {
		return nil
	}
	w, ok := o.(fyne.Widget)
	if !ok {
		if c, ok := o.(*fyne.Container); ok {
			for _, child := range c.Objects {
				if found := findTappableText(child, text); found != nil {
					return found
				}
			}
		}
		return nil
	}
	children := test.WidgetRenderer(w).Objects()
	if tap, ok := o.(fyne.Tappable); ok {
		for _, child := range children {
			if t, ok := child.(*canvas.Text); ok && t.Text == text {
				return tap
			}
		}
	}
	for _, child := range children {
		if found := findTappableText(child, text); found != nil {
			return found
		}
	}
	return nil
}

// shows reports whether target is visible under o.
func shows(o, target fyne.CanvasObject) bool {
	if o == nil || !o.Visible() {
		return false
	}
	if o == target {
		return true
	}
	for _, c := range drawn(o) {
		if shows(c, target) {
			return true
		}
	}
	return false
}
