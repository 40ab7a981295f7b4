package ui

import (
	"slices"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func TestEmptyCredentialsAreRefused(t *testing.T) {
	for _, tc := range []struct {
		name, key, secret, field, want string
	}{
		{"empty key", "", "secret-1", "client_key", "client_key must not be empty"},
		{"blank key", "   ", "secret-1", "client_key", "client_key must not be empty"},
		{"blank secret", "awkey00001", " \t ", "client_secret", "client_secret must not be empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, _, st := newTestApp(t)
			v := u.creds
			test.Type(v.name, "p1")
			test.Type(v.clientKey, tc.key)
			test.Type(v.clientSecret, tc.secret)
			test.Type(v.redirectURI, "https://example.com/cb")
			if !v.continueBtn.Disabled() || !v.saveBtn.Disabled() {
				t.Fatal("Save is enabled for invalid credentials")
			}
			test.Tap(v.continueBtn)
			u.wait()
			l := v.errs[auth.Field(tc.field)]
			inline := l.Visible() && l.Text == tc.want
			above := v.pending.Visible() && v.pending.Text == "To continue: "+tc.want
			if !inline && !above {
				t.Fatalf("%s message = %q (visible %v), pending %q; want %q", tc.field, l.Text, l.Visible(), v.pending.Text, tc.want)
			}
			if u.session.active || u.tabs.SelectedIndex() != tabCredentials {
				t.Fatal("invalid credentials proceeded to step 2")
			}
			if ps, _ := st.Profiles(); len(ps) != 0 {
				t.Fatalf("invalid credentials were stored: %+v", ps)
			}
		})
	}
}

func TestRedirectURIIsCheckedWhileTyping(t *testing.T) {
	u, _, _ := newTestApp(t)
	v := u.creds
	test.Type(v.redirectURI, "example.com/cb")
	if l := v.errs["redirect_uri"]; !l.Visible() || !strings.Contains(l.Text, "redirect_uri is malformed") {
		t.Fatalf("no live error for a relative URI: %q", l.Text)
	}
	v.redirectURI.SetText("http://127.0.0.1:8791/callback")
	if v.errs["redirect_uri"].Visible() {
		t.Fatal("error stays for a valid URI")
	}
	if !v.redirectHint.Visible() || !strings.Contains(v.redirectHint.Text, "https") {
		t.Fatalf("no https hint for a real app: %q", v.redirectHint.Text)
	}
	v.environment.SetSelectedIndex(slices.Index(environments, storage.EnvSandbox))
	if v.redirectHint.Visible() {
		t.Fatal("https hint shown for the sandbox")
	}
	if v.baseURL.Disabled() {
		t.Fatal("the local sandbox's base URL cannot be entered")
	}
	// The platform's sandbox host has a fixed address, like the platform.
	v.environment.SetSelectedIndex(slices.Index(environments, storage.EnvDouyinSandbox))
	if !v.baseURL.Disabled() || !strings.Contains(v.environment.Selected, "open-sandbox.douyin.com") {
		t.Fatalf("platform sandbox host: base URL disabled %v, label %q", v.baseURL.Disabled(), v.environment.Selected)
	}
}

func TestScopePickerAddsTheScopeName(t *testing.T) {
	u, _, _ := newTestApp(t)
	v := u.creds
	items := v.scopeMenu().Items
	if len(items) != len(knownScopes) || !strings.HasPrefix(items[3].Label, "video.list.bind — ") || !strings.Contains(items[0].Label, "required for login") {
		t.Fatalf("picker entries %v", items)
	}
	items[3].Action()
	if v.scopes.Text != auth.DefaultScopes+",video.list.bind" {
		t.Fatalf("scopes = %q", v.scopes.Text)
	}
	items[0].Action() // already there
	if v.scopes.Text != auth.DefaultScopes+",video.list.bind" {
		t.Fatalf("scopes = %q", v.scopes.Text)
	}
}
