package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
)

// The sandbox's port is edited in Settings: it must be a port, and is
// stored for the next start.
func TestSandboxPortSetting(t *testing.T) {
	u, _, st := newTestApp(t)
	v := u.setView
	if v.sandboxPort.Text != "8790" {
		t.Fatalf("port shown %q", v.sandboxPort.Text)
	}
	for _, bad := range []string{"abc", "0", "65536"} {
		v.sandboxPort.SetText("")
		test.Type(v.sandboxPort, bad)
		test.Tap(v.saveBtn)
		u.wait()
		if !strings.Contains(v.status.Text, "sandbox_port") {
			t.Fatalf("port %q: status %q", bad, v.status.Text)
		}
	}
	v.sandboxPort.SetText("")
	test.Type(v.sandboxPort, "9123")
	test.Tap(v.saveBtn)
	u.wait()
	if s, _ := st.Settings(); s.SandboxPort != 9123 || u.sandboxPort() != 9123 {
		t.Fatalf("stored port %d, status %q", s.SandboxPort, v.status.Text)
	}
}
