package cli

import (
	"archive/zip"
	"debug/pe"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// windowsReleaseEnv names the folder that make windows writes; the Windows
// tests set it.
const windowsReleaseEnv = "DOUYIN_AUTH_DESK_WINDOWS_RELEASE"

// TestWindowsRelease checks the Windows release folder: the window build is
// a GUI-subsystem program, its twin douyin-auth-desk.com a console one, both
// carry their resources (icon, version, manifest), the zip holds them, and
// the console build answers on standard output.
func TestWindowsRelease(t *testing.T) {
	dir := os.Getenv(windowsReleaseEnv)
	if dir == "" {
		t.Skip("set " + windowsReleaseEnv + " to the folder make windows writes (make test-windows does)")
	}
	for name, want := range map[string]uint16{
		"douyin-auth-desk.exe": pe.IMAGE_SUBSYSTEM_WINDOWS_GUI,
		"douyin-auth-desk.com": pe.IMAGE_SUBSYSTEM_WINDOWS_CUI,
	} {
		f, err := pe.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if got := f.OptionalHeader.(*pe.OptionalHeader64).Subsystem; got != want {
			t.Errorf("%s: subsystem %d, want %d", name, got, want)
		}
		if f.Section(".rsrc") == nil {
			t.Errorf("%s has no resources (icon, version, manifest)", name)
		}
		f.Close()
	}

	zr, err := zip.OpenReader(filepath.Join(dir, "douyin-auth-desk-windows-amd64.zip"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	zr.Close()
	slices.Sort(names)
	if want := []string{"README.txt", "douyin-auth-desk.com", "douyin-auth-desk.exe"}; !slices.Equal(names, want) {
		t.Errorf("the zip holds %v, want %v", names, want)
	}

	env, _ := binaryEnv(t, t.TempDir())
	com := filepath.Join(dir, "douyin-auth-desk.com")
	if r := exeEnv(t, com, env, "", "--help"); r.code != exitOK || !strings.Contains(r.stdout, "Usage") {
		t.Errorf("douyin-auth-desk.com --help:\n%s", r)
	}
	if r := exeEnv(t, com, env, "", "status", "--json"); r.code != exitOK || !strings.HasPrefix(r.stdout, "{") {
		t.Errorf("douyin-auth-desk.com status --json:\n%s", r)
	}
}
