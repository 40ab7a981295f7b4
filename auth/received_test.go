package auth_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
)

// closed reports whether l's Received channel is closed, waiting up to wait.
func closed(l *auth.Login, wait time.Duration) bool {
	select {
	case <-l.Received():
		return true
	default:
	}
	select {
	case <-l.Received():
		return true
	case <-time.After(wait):
		return false
	}
}

// TestReceivedSignalsALoopbackCode: the code's arrival on the loopback
// server closes Received, stamped on the flow's clock, before the exchange
// ends the login.
func TestReceivedSignalsALoopbackCode(t *testing.T) {
	e := newEnv(t)
	l, err := e.flow.Begin(auth.LoginOptions{Listen: true})
	if err != nil {
		t.Fatal(err)
	}
	if closed(l, 50*time.Millisecond) || !l.ReceivedAt().IsZero() {
		t.Fatal("received before any callback")
	}
	done := waitAsync(l)
	e.clock.Advance(3 * time.Minute) // the code arrives three minutes in
	if status, _, err := sandboxtest.Agree(l.URL); err != nil || status != 200 {
		t.Fatalf("callback: %d %v", status, err)
	}
	if r := <-done; r.err != nil {
		t.Fatal(r.err)
	}
	if !closed(l, 0) {
		t.Fatal("the loopback callback's code did not close Received")
	}
	if got := l.ReceivedAt(); !got.Equal(e.clock.Now()) {
		t.Fatalf("received at %v, want %v", got, e.clock.Now())
	}
}

// TestReceivedSignalsAPastedCode: an accepted paste closes Received at once;
// a refused one does not.
func TestReceivedSignalsAPastedCode(t *testing.T) {
	e := newEnv(t)
	l, loc := e.remoteLogin(t, "agree")
	if err := l.Paste("not a url at all"); !errors.Is(err, auth.ErrPasteGarbage) {
		t.Fatalf("garbage: %v", err)
	}
	if closed(l, 0) {
		t.Fatal("a refused paste closed Received")
	}
	if err := l.Paste(loc.String()); err != nil {
		t.Fatal(err)
	}
	if !closed(l, 0) || !l.ReceivedAt().Equal(e.clock.Now()) {
		t.Fatalf("after the paste: received at %v", l.ReceivedAt())
	}
	if _, err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestReceivedStaysOpenWithoutACode: a refusal, a cancel or a timeout ends
// the login without a code, so Received stays open.
func TestReceivedStaysOpenWithoutACode(t *testing.T) {
	e := newEnv(t)
	end := map[string]func(*auth.Login){
		"deny":    func(l *auth.Login) { go sandboxtest.Deny(l.URL) },
		"cancel":  func(l *auth.Login) { go l.Cancel() },
		"timeout": func(*auth.Login) {},
	}
	for name, f := range end {
		l, err := e.flow.Begin(auth.LoginOptions{Listen: true, Timeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		f(l)
		if _, err := l.Wait(context.Background()); err == nil {
			t.Fatalf("%s: the login succeeded", name)
		}
		if closed(l, 0) || !l.ReceivedAt().IsZero() {
			t.Errorf("%s: Received closed at %v", name, l.ReceivedAt())
		}
	}
}
