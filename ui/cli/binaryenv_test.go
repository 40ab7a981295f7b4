package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// binaryEnvVar names a built douyin-auth-desk for the binary tests to run
// instead of building one; the Windows tests, which run under wine without
// a Go toolchain, set it to the release .exe.
const binaryEnvVar = "DOUYIN_AUTH_DESK_BINARY"

// lineEnd is how a line typed on this system's console ends.
var lineEnd = map[bool]string{true: "\r\n", false: "\n"}[runtime.GOOS == "windows"]

// binaryUnderTest returns the douyin-auth-desk to run: $DOUYIN_AUTH_DESK_BINARY,
// or one built now.
func binaryUnderTest(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped with -short: runs the douyin-auth-desk binary (the first build with Fyne and cgo takes minutes)")
	}
	if bin := os.Getenv(binaryEnvVar); bin != "" {
		return bin
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		skipOrFail(t, "the go command is not on PATH and "+binaryEnvVar+" is not set, so there is no binary to run")
	}
	bin := filepath.Join(t.TempDir(), "douyin-auth-desk")
	build := exec.Command(goTool, "build", "-o", bin, "github.com/douyinauthdesk/douyin-auth-desk")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the binary: %v\n%s", err, out)
	}
	return bin
}

// skipOrFail skips the test, or fails it under CI, where everything a test
// needs is installed.
func skipOrFail(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal("CI: " + why)
	}
	t.Skip("skipped: " + why)
}

// binaryEnv returns the environment for the binary's processes, with a home
// of their own under tmp and a system keyring they share, and the
// configuration directory they will use: douyin-auth-desk under the user's
// config directory, as for a user who sets nothing.
func binaryEnv(t *testing.T, tmp string) (env []string, configDir string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		// The Credential Manager needs no set-up; the process needs the
		// system's variables (SystemRoot, TEMP) and its own %AppData%.
		appData := filepath.Join(tmp, "AppData", "Roaming")
		for _, kv := range os.Environ() {
			k, _, _ := strings.Cut(kv, "=")
			switch strings.ToUpper(k) {
			case "APPDATA", "LOCALAPPDATA", "LANG", "LC_ALL", "LC_MESSAGES", strings.ToUpper(storage.ConfigDirEnv):
			default:
				env = append(env, kv)
			}
		}
		env = append(env, "APPDATA="+appData, "LOCALAPPDATA="+filepath.Join(tmp, "AppData", "Local"), "LANG=en_US.UTF-8")
		return env, filepath.Join(appData, "douyin-auth-desk")
	}
	home := filepath.Join(tmp, "home")
	runtimeDir := filepath.Join(tmp, "run")
	for _, d := range []string{home, runtimeDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	env = []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"XDG_RUNTIME_DIR=" + runtimeDir,
		"LANG=en_US.UTF-8",
	}
	bus, err := startKeyring(t, env)
	if err != nil {
		skipOrFail(t, "no keyring for the subprocesses to share secrets through ("+err.Error()+"); "+
			"this test needs dbus-daemon and gnome-keyring-daemon")
	}
	env = append(env, "DBUS_SESSION_BUS_ADDRESS="+bus)
	return env, filepath.Join(home, ".config", "douyin-auth-desk")
}

// withEnv returns env with the variables in set replacing those of the same
// name.
func withEnv(env []string, set ...string) []string {
	out := []string{}
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		keep := true
		for _, s := range set {
			if sk, _, _ := strings.Cut(s, "="); strings.EqualFold(sk, k) {
				keep = false
			}
		}
		if keep {
			out = append(out, kv)
		}
	}
	return append(out, set...)
}
