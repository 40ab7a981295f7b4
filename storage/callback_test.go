package storage

import (
	"errors"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// TestLoopbackModeNeedsALoopbackRedirect: loopback mode with a redirect
// URI off this machine is refused on redirect_uri, with the reason in both
// languages, instead of falling back to paste at login; without a mode, a
// redirect URI elsewhere gets paste.
func TestLoopbackModeNeedsALoopbackRedirect(t *testing.T) {
	s := openStore(t, t.TempDir(), Memory())
	for _, c := range []struct {
		mode, redirect, stored string // stored is "" when refused
	}{
		{ModeLoopback, "https://example.com/douyin/callback", ""},
		{ModeLoopback, "http://192.168.1.10:8910/cb", ""},
		{ModeLoopback, "http://127.0.0.1:8910/cb", ModeLoopback},
		{ModeLoopback, "https://localhost:8910/cb", ModeLoopback},
		{ModeLoopback, "http://[::1]:8910/cb", ModeLoopback},
		{ModePaste, "https://example.com/douyin/callback", ModePaste},
		{"", "https://example.com/douyin/callback", ModePaste},
		{"", "http://127.0.0.1:8910/cb", ModeLoopback},
		{"", "", ModeLoopback},
	} {
		p := Profile{Name: "p", ClientKey: "k", RedirectURI: c.redirect, CallbackMode: c.mode}
		err := s.SaveProfile(p)
		if c.stored == "" {
			checkNotLoopback(t, err, c.redirect)
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", c.mode, c.redirect, err)
			continue
		}
		if got, _ := s.Profile("p"); got.CallbackMode != c.stored {
			t.Errorf("%q %s: stored mode %q, want %q", c.mode, c.redirect, got.CallbackMode, c.stored)
		}
	}
	if err := ValidateCallback(ModeRelay, "https://example.com/cb"); err != nil {
		t.Errorf("relay refused: %v", err)
	}
}

// checkNotLoopback checks that err refuses redirect as off this machine.
func checkNotLoopback(t *testing.T, err error, redirect string) {
	t.Helper()
	var fe *auth.FieldError
	if !errors.As(err, &fe) || fe.Field != auth.FieldRedirectURI || fe.Reason != auth.ReasonNotLoopback {
		t.Errorf("%s in loopback mode: error %v, want a field error on redirect_uri", redirect, err)
		return
	}
	en, zh := auth.Message(err, "en"), auth.Message(err, "zh")
	if !strings.Contains(en, "not on this machine") || !strings.Contains(en, "paste or relay") || !strings.Contains(en, redirect) {
		t.Errorf("English reason %q", en)
	}
	if !strings.Contains(zh, "本机") || !strings.Contains(zh, redirect) {
		t.Errorf("Chinese reason %q", zh)
	}
}
