package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/widget"
)

// TestLifeBarsShowTheLifeLeft authorizes, then moves the clock: each
// token's bar shows the share of its life left in its countdown's colour,
// green to orange to red, and redraws only when that share visibly moves.
func TestLifeBarsShowTheLifeLeft(t *testing.T) {
	u, clk, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	access, refresh := c.access.countdown, c.refresh.countdown
	tick := func() { u.do(func() { u.clock.tick() }) }
	tick()
	if a, r := access.bar.share(), refresh.bar.share(); a != 1 || r != 1 || access.bar.imp != widget.SuccessImportance {
		t.Fatalf("fresh tokens: access %.3f, refresh %.3f, colour %v", a, r, access.bar.imp)
	}
	clk.advance(time.Second)
	if left, life := access.lifeLeft(u.now()); access.bar.set(left, life, access.bar.imp) {
		t.Fatal("a second later the bar redrew without a visible change")
	}

	clk.advance(12 * 24 * time.Hour) // 3 of 15 days left; 18 of 30
	tick()
	if a := access.bar.share(); a < 0.19 || a > 0.21 || access.bar.imp != widget.SuccessImportance {
		t.Fatalf("3 days left of 15: share %.3f, colour %v", a, access.bar.imp)
	}
	if r := refresh.bar.share(); r < 0.59 || r > 0.61 {
		t.Fatalf("18 days left of 30: share %.3f", r)
	}
	clk.advance(3*24*time.Hour - 20*time.Hour) // 20 h left: below the 24 h notice
	tick()
	if access.bar.imp != widget.WarningImportance {
		t.Fatalf("20 h left: colour %v", access.bar.imp)
	}
	clk.advance(20 * time.Hour)
	tick()
	if access.bar.share() != 0 || access.bar.imp != widget.DangerImportance {
		t.Fatalf("expired: share %.3f, colour %v", access.bar.share(), access.bar.imp)
	}
}
