package ui

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkCountdownTick measures a tick of the clock that changes every
// label: three accounts on the Tokens screen, six countdowns of days,
// whose text changes once a minute.
func BenchmarkCountdownTick(b *testing.B) {
	_, _, st := newTestApp(b)
	g := storeGrant(b, st, "bench", "http://127.0.0.1:1", testStart)
	for i := 2; i <= 3; i++ {
		g.OpenID = fmt.Sprintf("open-bench-%d", i)
		if err := st.Tokens("bench").SaveGrant(g); err != nil {
			b.Fatal(err)
		}
	}
	u, clk, _ := newTestAppWith(b, st)
	if len(u.tokens.cards) != 3 {
		b.Fatalf("%d accounts on screen", len(u.tokens.cards))
	}
	b.ReportAllocs()
	for b.Loop() {
		clk.advance(time.Minute)
		if changed := u.clock.tick(); changed != 6 {
			b.Fatalf("%d labels changed, want 6", changed)
		}
	}
}
