package storage

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// The window's sandbox port defaults to 8790, survives a reopen, is taken
// from the defaults when an older file lacks it, and must be a port.
func TestSettingsSandboxPort(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, newFakeKeyring())
	if st, _ := s.Settings(); st.SandboxPort != 8790 || DefaultSettings().SandboxPort != DefaultSandboxPort {
		t.Fatalf("default sandbox port = %d", st.SandboxPort)
	}
	set := DefaultSettings()
	set.SandboxPort = 9123
	if err := s.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	if st, _ := openStore(t, dir, newFakeKeyring()).Settings(); st.SandboxPort != 9123 {
		t.Fatalf("sandbox port after reopening = %d", st.SandboxPort)
	}
	for _, port := range []int{0, 1, 65535} {
		if err := s.SaveSettings(Settings{SandboxPort: port}); err != nil {
			t.Errorf("SaveSettings(port %d) = %v", port, err)
		}
	}
	for _, port := range []int{-1, 65536, 100000} {
		var fe *auth.FieldError
		err := s.SaveSettings(Settings{SandboxPort: port})
		if !errors.As(err, &fe) || fe.Field != auth.FieldSandboxPort || fe.Reason != auth.ReasonMalformed {
			t.Errorf("SaveSettings(port %d) = %v", port, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte(`{"version":1,"profiles":[],"settings":{"language":"en"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Settings(); st.SandboxPort != DefaultSandboxPort {
		t.Fatalf("sandbox port missing from the file = %d", st.SandboxPort)
	}
}
