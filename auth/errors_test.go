package auth

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestTransportMessages renders every kind of transport error in both
// languages: each names the endpoint and none has a formatting slip.
func TestTransportMessages(t *testing.T) {
	for k := KindNetwork; k <= KindBadResponse; k++ {
		e := &TransportError{Kind: k, Endpoint: PathUserInfo, Status: 502, Snippet: "<html>", Err: errTest}
		for _, lang := range []string{"zh", "en"} {
			m := e.Message(lang)
			if !strings.Contains(m, PathUserInfo) || strings.Contains(m, "%!") || !strings.Contains(m, "<html>") {
				t.Errorf("kind %d in %s: %q", k, lang, m)
			}
		}
	}
}

var errTest = errors.New("connection refused")

// TestAdviceFitsTheEndpoint: a code whose cause depends on the call that
// failed gets the advice for that call, in both languages; other calls get
// the code's own advice.
func TestAdviceFitsTheEndpoint(t *testing.T) {
	cases := []struct {
		endpoint string
		code     int
		en, zh   string // in the message
		notEN    string // not in the English message, when set
	}{
		{PathRenewRefresh, 10020, "authorize again for a new one", "重新授权以获得新的 refresh_token", "slow down"},
		{PathClientToken, 10020, "slow down", "放慢请求", "authorize again"},
		{PathStableClientToken, 10020, "slow down", "放慢请求", "authorize again"},
		{PathRefreshToken, 10020, "authorize again", "重新授权", "slow down"},
		{PathRenewRefresh, 10004, "renew_refresh_token capability", "renew_refresh_token 能力", ""},
		{PathAccessToken, 10004, consoleEN, consoleZH, "renew_refresh_token"},
		{PathUserInfo, 10020, "on renewal: authorize again; on client_token: slow down", "续期时：重新授权", ""},
	}
	for _, c := range cases {
		e := &PlatformError{Endpoint: c.endpoint, Code: c.code, LogID: "L1"}
		en, zh := e.Message("en"), e.Message("zh")
		x, _ := Explain(c.code)
		if !strings.Contains(en, c.en) || (c.notEN != "" && strings.Contains(en, c.notEN)) || !strings.Contains(en, x.MeaningEN) {
			t.Errorf("%d on %s in English: %s", c.code, c.endpoint, en)
		}
		if !strings.Contains(zh, c.zh) || !strings.Contains(zh, x.MeaningZH) {
			t.Errorf("%d on %s in Chinese: %s", c.code, c.endpoint, zh)
		}
	}
	for k, a := range endpointActions {
		if _, ok := Explain(k.code); !ok || a[0] == "" || a[1] == "" {
			t.Errorf("%d on %s: an action for an unexplained code, or one language missing", k.code, k.endpoint)
		}
	}
}

// TestInvalidToken: which token a platform error shows to be invalid.
func TestInvalidToken(t *testing.T) {
	cases := []struct {
		endpoint string
		code     int
		want     GrantToken
	}{
		{PathUserInfo, 28001003, TokenAccess},
		{PathUserInfo, 28001008, TokenAccess},
		{PathUserInfo, 10008, TokenAccess},
		{PathRefreshToken, 10010, TokenRefresh},
		{PathRenewRefresh, 10010, TokenRefresh},
		{PathRefreshToken, 10008, TokenNone}, // not a call made with the access token
		{PathRenewRefresh, 10020, TokenNone}, // the limit, not an invalid token
		{PathClientToken, 10008, TokenNone},
		{PathUserInfo, 10001, TokenNone},
	}
	for _, c := range cases {
		err := fmt.Errorf("wrapped: %w", &PlatformError{Endpoint: c.endpoint, Code: c.code})
		got, code := InvalidToken(err)
		if got != c.want || (got != TokenNone && code != c.code) {
			t.Errorf("%d on %s: %v %d, want %v", c.code, c.endpoint, got, code, c.want)
		}
	}
	if got, _ := InvalidToken(errTest); got != TokenNone {
		t.Errorf("a network error: %v", got)
	}
}

// TestPlatformMessagePunctuation: the Chinese message of a platform error
// takes full-width punctuation, the English one ASCII, and both carry every
// part of the answer.
func TestPlatformMessagePunctuation(t *testing.T) {
	e := &PlatformError{Endpoint: PathUserInfo, Code: 28001008, Description: "access_token expired", SubCode: 7,
		SubDescription: "expired", LogID: "L1"}
	zh, en := e.Message("zh"), e.Message("en")
	x, _ := Explain(28001008)
	wantZH := "平台错误 28001008：" + x.MeaningZH + `（平台说明："access_token expired"）（子错误 7 expired）。处理：` + x.ActionZH + "（log_id L1）"
	if zh != wantZH {
		t.Errorf("in Chinese:\n got %s\nwant %s", zh, wantZH)
	}
	for _, ascii := range []string{": ", ". ", " (", "[", "]"} {
		if strings.Contains(zh, ascii) {
			t.Errorf("the Chinese message holds %q: %s", ascii, zh)
		}
	}
	wantEN := "platform error 28001008: " + x.MeaningEN + ` (platform says "access_token expired") [sub 7 expired]. What to do: ` + x.ActionEN + " (log_id L1)"
	if en != wantEN {
		t.Errorf("in English:\n got %s\nwant %s", en, wantEN)
	}
	if got := (&PlatformError{Code: 99}).Message("zh"); got != "平台错误 99" {
		t.Errorf("an unknown code: %s", got)
	}
}

// TestSentinelMessages: the sentinel errors read as sentences in both
// languages, wrapped or not, without the package prefix of their Error.
func TestSentinelMessages(t *testing.T) {
	for _, err := range []error{ErrNoAccount, ErrNoClientToken, ErrCancelled, ErrLoginTimeout, ErrCodeUsed} {
		wrapped := fmt.Errorf("context: %w", err)
		en, zh := Message(wrapped, "en"), Message(wrapped, "zh")
		if en == "" || strings.HasPrefix(en, "auth:") || zh == en || !strings.ContainsFunc(zh, func(r rune) bool { return r > 0x4e00 }) {
			t.Errorf("%v: %q / %q", err, en, zh)
		}
	}
}
