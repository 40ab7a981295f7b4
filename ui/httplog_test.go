package ui

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

func TestHTTPLogMasksSecretsAndExplainsErrors(t *testing.T) {
	u, _, _ := newTestApp(t)
	sb, base := startSandbox(t)
	authorize(t, u, base)
	c := u.tokens.cards[0]
	g := c.grant
	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 10010})
	test.Tap(c.refreshBtn)
	u.wait()

	entries := u.logView.entries
	if len(entries) < 3 {
		t.Fatalf("%d exchanges logged", len(entries))
	}
	for _, e := range entries {
		all := summary(e) + detail(e)
		for _, secret := range []string{testApp.ClientSecret, g.AccessToken, g.RefreshToken} {
			if strings.Contains(all, secret) {
				t.Fatalf("the log shows a secret:\n%s", all)
			}
		}
	}
	last := entries[len(entries)-1]
	if !strings.HasSuffix(last.URL, auth.PathRefreshToken) {
		t.Fatalf("last exchange %s", last.URL)
	}
	d := detail(last)
	if !strings.Contains(d, "10010") || !strings.Contains(d, "authorize again") || !strings.Contains(summary(last), "✗") {
		t.Fatalf("failed exchange not explained:\n%s", d)
	}
}

func TestFormatLatency(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0.0 ms", 2345 * time.Microsecond: "2.3 ms", 42 * time.Millisecond: "42 ms", 2 * time.Second: "2000 ms",
	} {
		if got := formatLatency(d); got != want {
			t.Errorf("formatLatency(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestSandboxNotesShowBesideTheLog: a request of the developer's own
// backend in a shape the platform does not document reaches the window's
// sandbox, and the HTTP log shows the sandbox's note on it.
func TestSandboxNotesShowBesideTheLog(t *testing.T) {
	u, _, _ := newTestApp(t)
	test.Tap(u.creds.sandboxBtn)
	u.wait()
	if u.sandbox == nil || u.logView.notes.Visible() {
		t.Fatalf("sandbox %v, notes shown %v before any request", u.sandbox != nil, u.logView.notes.Visible())
	}
	resp, err := http.Get(u.sandboxURL + "/oauth/userinfo/?access_token=act.x&open_id=o")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	text := u.logView.notes.Content.(*widget.Label).Text
	if !u.logView.notes.Visible() || !strings.Contains(text, "GET /oauth/userinfo/ accepted") {
		t.Fatalf("notes shown %v: %q", u.logView.notes.Visible(), text)
	}
	test.Tap(u.logView.clearBtn)
	if u.logView.notes.Visible() {
		t.Fatal("Clear kept the notes")
	}
}
