package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		en, zh string
	}{
		{15*24*time.Hour - 2*time.Second, "14d 23h 59m", "14 天 23 小时 59 分"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, "1d 2h 3m", "1 天 2 小时 3 分"},
		{24 * time.Hour, "1d 0h 0m", "1 天 0 小时 0 分"},
		{time.Hour, "1h 0m", "1 小时 0 分"},
		{time.Hour - time.Second, "59m 59s", "59 分 59 秒"},
		{5 * time.Minute, "5m 0s", "5 分 0 秒"},
		{42*time.Second + 900*time.Millisecond, "42s", "42 秒"},
		{0, "0s", "0 秒"},
		{-time.Second, "0s", "0 秒"},
	} {
		for lng, want := range map[string]string{"en": tc.en, "zh": tc.zh, "": tc.en} {
			if got := formatDuration(tc.d, lng); got != want {
				t.Errorf("formatDuration(%v, %q) = %q, want %q", tc.d, lng, got, want)
			}
		}
	}
}

// The countdowns speak the window's language.
func TestRemainingFollowsLanguage(t *testing.T) {
	u, _, _ := newTestApp(t)
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	left := 15*24*time.Hour - time.Second
	if text, _ := remaining(now.Add(left), now, time.Hour); text != "14d 23h 59m" {
		t.Fatalf("English: %q", text)
	}
	u.do(func() { u.setView.language.SetSelected("中文") })
	u.wait()
	t.Cleanup(func() {
		u.do(func() { u.setView.language.SetSelected("English") })
		u.wait()
	})
	if text, _ := remaining(now.Add(left), now, time.Hour); text != "14 天 23 小时 59 分" {
		t.Fatalf("Chinese: %q", text)
	}
	if text, _ := remaining(now, now, time.Hour); text != "已过期" {
		t.Fatalf("Chinese, expired: %q", text)
	}
}

func TestRemainingImportance(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		left time.Duration
		text string
		imp  widget.Importance
	}{
		{48 * time.Hour, "2d 0h 0m", widget.SuccessImportance},
		{10 * time.Hour, "10h 0m", widget.WarningImportance},
		{30 * time.Minute, "30m 0s", widget.DangerImportance},
		{0, "expired", widget.DangerImportance},
		{-time.Hour, "expired", widget.DangerImportance},
	} {
		text, imp := remaining(now.Add(tc.left), now, 24*time.Hour)
		if text != tc.text || imp != tc.imp {
			t.Errorf("remaining(%v) = %q %v, want %q %v", tc.left, text, imp, tc.text, tc.imp)
		}
	}
}

func TestClockTicksWithInjectedTime(t *testing.T) {
	u, clk, _ := newTestApp(t)
	a := newCountdown(clk.now().Add(3*time.Second), time.Hour, nil)
	b := newCountdown(clk.now().Add(48*time.Hour), time.Hour, func(s string) string { return "left " + s })
	u.clock.set("test", []*countdown{a, b})
	if a.label.Text != "3s" || b.label.Text != "left 2d 0h 0m" {
		t.Fatalf("initial %q %q", a.label.Text, b.label.Text)
	}
	if n := u.clock.tick(); n != 0 {
		t.Fatalf("%d labels refreshed without time passing", n)
	}
	clk.advance(time.Second)
	if n := u.clock.tick(); n != 2 || a.label.Text != "2s" || b.label.Text != "left 1d 23h 59m" {
		t.Fatalf("after 1s: %d %q %q", n, a.label.Text, b.label.Text)
	}
	// Beyond the last hour the text changes once a minute: b is not
	// redrawn again within the minute.
	clk.advance(time.Second)
	if n := u.clock.tick(); n != 1 || a.label.Text != "1s" || b.label.Text != "left 1d 23h 59m" {
		t.Fatalf("after 2s: %d %q %q", n, a.label.Text, b.label.Text)
	}
	clk.advance(4 * time.Second)
	u.clock.tick()
	if a.label.Text != "expired" || a.label.Importance != widget.DangerImportance {
		t.Fatalf("after expiry %q %v", a.label.Text, a.label.Importance)
	}
	if u.clock.running() {
		t.Fatal("ticker goroutine runs in tests")
	}
}

func TestTickerRunsOnlyWhileCountdownsVisible(t *testing.T) {
	u, _, _ := newTestApp(t)
	u.tickEvery = time.Hour // never fires during the test
	u.show(tabTokens)
	if u.clock.running() {
		t.Fatal("ticker runs with no token shown")
	}
	u.tokens.show(tokenSnapshot{name: "p", client: &auth.ClientToken{
		Token: "clt.0123456789abcdef", Obtained: u.now(), Expiry: u.now().Add(time.Hour)}})
	u.show(tabTokens)
	if !u.clock.running() {
		t.Fatal("ticker not running with a countdown visible")
	}
	u.show(tabCredentials)
	if u.clock.running() {
		t.Fatal("ticker still runs with the tokens hidden")
	}
}
