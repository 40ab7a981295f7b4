package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// need skips the test when a tool or the display is missing, except in CI,
// where .ci/run installs and starts them.
func need(t testing.TB, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("real-window tests skipped in -short mode")
	}
	missing := []string{}
	if os.Getenv("DISPLAY") == "" {
		missing = append(missing, "an X display (DISPLAY)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("CI lacks %s", strings.Join(missing, ", "))
	}
	t.Skipf("needs %s: run under .ci/desktop-session", strings.Join(missing, ", "))
}

// buildApp builds the binary with the automation hook compiled in.
func buildApp(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "douyin-auth-desk")
	cmd := exec.Command("go", "build", "-tags", "automation", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags automation: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// window is a running app driven through its automation hook.
type window struct {
	t    testing.TB
	base string
	cmd  *exec.Cmd
	// shotPrefix starts the names of its screenshots.
	shotPrefix string
}

func startWindow(t testing.TB, bin string, env ...string) *window {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(bin)
	cmd.Env = append(os.Environ(), "DOUYIN_AUTH_DESK_CONFIG_DIR="+t.TempDir(), "DOUYIN_AUTH_DESK_AUTOMATION="+addr, "LANG=en_US.UTF-8")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w := &window{t: t, base: "http://" + addr, cmd: cmd}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--pid", fmt.Sprint(cmd.Process.Pid)).CombinedOutput(); err != nil {
		t.Fatalf("no window mapped: %v %s", err, out)
	}
	w.eventually("the automation hook answers", func() bool {
		resp, err := http.Get(w.base + "/state")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	})
	return w
}

// post sends a command to the automation hook, with args as its JSON body.
// A button that is not there or not enabled yet (404, 409) is waited for, as
// a user would wait.
func (w *window) post(path string, args any) {
	w.t.Helper()
	b, err := json.Marshal(args)
	if err != nil {
		w.t.Fatal(err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := http.Post(w.base+path, "application/json", bytes.NewReader(b))
		if err != nil {
			w.t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		switch {
		case resp.StatusCode == 200:
			return
		case (resp.StatusCode == 404 || resp.StatusCode == 409) && time.Now().Before(deadline):
			time.Sleep(100 * time.Millisecond)
		default:
			w.t.Fatalf("POST %s %s: %d %s", path, b, resp.StatusCode, body)
		}
	}
}

func (w *window) tap(label string) { w.t.Helper(); w.post("/tap", map[string]string{"label": label}) }

func (w *window) text() string {
	w.t.Helper()
	resp, err := http.Get(w.base + "/text")
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

type appState struct {
	Tab      int    `json:"tab"`
	Profile  string `json:"profile"`
	Accounts int    `json:"accounts"`
	Waiting  bool   `json:"waiting"`
	Busy     bool   `json:"busy"`
}

func (w *window) state() appState {
	w.t.Helper()
	resp, err := http.Get(w.base + "/state")
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	var s appState
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		w.t.Fatal(err)
	}
	return s
}

func (w *window) eventually(what string, ok func() bool) {
	w.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			w.t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shot saves a screenshot of the display under build/screenshots.
func (w *window) shot(name string) {
	w.t.Helper()
	time.Sleep(300 * time.Millisecond) // let the frame after the last change reach the screen
	if err := os.MkdirAll(filepath.Join("build", "screenshots"), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if out, err := exec.Command("import", "-window", "root", filepath.Join("build", "screenshots", w.shotPrefix+name+".png")).CombinedOutput(); err != nil {
		w.t.Fatalf("screenshot: %v %s", err, out)
	}
}

var maskedAccess = regexp.MustCompile(`act\.[0-9a-f]{2}…[0-9a-f]{2}`)

// sandboxFlow drives the window from an empty configuration to the Tokens
// screen of a sandbox account, taking screenshots when shots is set.
func (w *window) sandboxFlow(shots bool) {
	w.t.Helper()
	if shots {
		w.shot("01-credentials-en")
	}
	w.tap("Sandbox (offline)")
	w.eventually("the sandbox's profile is open", func() bool { return w.state().Profile != "" })
	if shots {
		w.shot("02-sandbox-profile-en")
	}
	// Save and authorize saves, then authorizes in the browser.
	w.tap("Save and authorize")
	w.eventually("the tokens of the sandbox account are shown", func() bool {
		s := w.state()
		return s.Tab == 2 && s.Accounts == 1 && !s.Waiting && !s.Busy
	})
}

// tokensFlow drives the window from an empty configuration to the Tokens
// screen, refreshes the access token and switches to Chinese, with
// screenshots on the way.
func (w *window) tokensFlow() {
	w.t.Helper()
	w.sandboxFlow(true)
	before := maskedAccess.FindString(w.text())
	if before == "" {
		w.t.Fatalf("no masked access token on the Tokens screen:\n%s", w.text())
	}
	w.shot("03-tokens-en")
	w.tap("Refresh")
	// A still valid access token comes back with a new expiry.
	w.eventually("the refresh finishes", func() bool {
		return !w.state().Busy && strings.Contains(w.text(), "Access token refreshed.")
	})
	if after := maskedAccess.FindString(w.text()); after != before {
		w.t.Fatalf("the still valid access token %s became %s", before, after)
	}
	w.post("/lang", map[string]string{"lang": "zh"})
	w.eventually("the window speaks Chinese", func() bool { return strings.Contains(w.text(), "刷新") })
	w.shot("04-tokens-zh")
}

// TestRealWindowSandboxFlow starts the built app under X, drives the sandbox
// flow through its window and saves screenshots.
func TestRealWindowSandboxFlow(t *testing.T) {
	need(t, "xdotool", "import")
	w := startWindow(t, buildApp(t))
	w.tokensFlow()
	w.apiFlow()
}

// apiFlow calls the account's video list from the API step of the window,
// which speaks Chinese by now, and waits for the answer and its covers.
func (w *window) apiFlow() {
	w.t.Helper()
	w.post("/tab", map[string]int{"index": 3})
	w.post("/select", map[string]string{"option": "video-list"})
	w.tap("发送")
	w.eventually("the video list answered", func() bool {
		return !w.state().Busy && strings.Contains(w.text(), "HTTP 200") && strings.Contains(w.text(), "\"item_id\"")
	})
	w.shot("06-api-zh")
}

// TestRealWindowWithoutSecretService starts the app where no Secret Service
// answers: it must run in session-only mode and say so.
func TestRealWindowWithoutSecretService(t *testing.T) {
	need(t, "xdotool")
	bin := buildApp(t)
	w := startWindow(t, bin, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus")
	w.eventually("the session-only banner", func() bool { return strings.Contains(w.text(), "No keyring") })
	w.shot("05-session-only-en")

	cmd := exec.Command(bin, "profile", "list")
	cmd.Env = append(os.Environ(), "DOUYIN_AUTH_DESK_CONFIG_DIR="+t.TempDir(), "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent/bus", "LANG=en_US.UTF-8")
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(string(out)), "memory") {
		t.Fatalf("the command line did not warn about session-only mode:\n%s", out)
	}
}

// wineExeEnv names the Windows build of the app with the automation hook
// (make windows-automation); make test-windows sets it and runs the test
// below under .ci/wine-session.
const wineExeEnv = "DOUYIN_AUTH_DESK_WINDOWS_AUTOMATION_EXE"

// TestWineWindowSandboxFlow starts the Windows build under wine, drives the
// sandbox flow to the Tokens screen, refreshes, switches to Chinese and saves
// screenshots named windows-*. Secrets go to wine's Credential Manager.
func TestWineWindowSandboxFlow(t *testing.T) {
	exe := os.Getenv(wineExeEnv)
	if exe == "" {
		t.Skip("set " + wineExeEnv + " to the Windows build with the automation hook (make test-windows does)")
	}
	need(t, "wine", "xdotool", "import")
	addr := freeAddr(t)
	cmd := exec.Command("wine", exe)
	cmd.Env = append(os.Environ(), "DOUYIN_AUTH_DESK_AUTOMATION="+addr, "LANG=en_US.UTF-8",
		"DOUYIN_AUTH_DESK_CONFIG_DIR="+t.TempDir())
	var stderr safeBuffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	w := &window{t: t, base: "http://" + addr, cmd: cmd, shotPrefix: "windows-"}
	deadline := time.Now().Add(90 * time.Second) // wine's first start is slow
	for {
		resp, err := http.Get(w.base + "/state")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the automation hook of the Windows build never answered:\n%s", stderr.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	w.eventually("the window is mapped", func() bool {
		return exec.Command("xdotool", "search", "--onlyvisible", "--name", "^Douyin Auth Desk$").Run() == nil
	})
	w.tokensFlow()
	w.apiFlow()
	w.post("/lang", map[string]string{"lang": "en"})
	w.eventually("the window speaks English again", func() bool { return strings.Contains(w.text(), "Try an API") })
	if strings.Contains(stderr.String(), "Fyne error") {
		t.Errorf("the Windows build reported errors:\n%s", stderr.String())
	}
}

// safeBuffer is a bytes.Buffer for one writer and concurrent readers.
type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *safeBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

var sandboxURL = regexp.MustCompile(`The sandbox is running at (http://127\.0\.0\.1:\d+)`)

// BenchmarkUIResponsiveness measures how long the UI goroutine takes to
// answer (a fyne.DoAndWait round trip behind the automation hook's /state)
// while Refresh and Verify wait on a sandbox that answers after 2 s (Renew
// asks first, and has only five uses). It reports the longest and the
// median round trip.
func BenchmarkUIResponsiveness(b *testing.B) {
	need(b, "xdotool")
	w := startWindow(b, buildApp(b))
	w.tap("Sandbox (offline)")
	w.post("/tab", map[string]int{"index": 0})
	var m []string
	w.eventually("the sandbox says its address", func() bool {
		m = sandboxURL.FindStringSubmatch(w.text())
		return m != nil
	})
	w.tap("Save and authorize")
	w.eventually("the Tokens step is shown", func() bool { s := w.state(); return s.Tab == 2 && !s.Busy })
	fault, _ := http.Post(m[1]+"/_sandbox/fault", "application/json", strings.NewReader(`{"latency_ms":2000}`))
	if fault == nil || fault.StatusCode >= 300 {
		b.Fatal("cannot inject latency")
	}
	fault.Body.Close()

	var rtts []time.Duration
	b.ResetTimer()
	for b.Loop() {
		for _, label := range []string{"Refresh", "Verify"} {
			w.tap(label)
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
				start := time.Now()
				busy := w.state().Busy
				rtts = append(rtts, time.Since(start))
				if !busy {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
		}
	}
	b.StopTimer()
	slices.Sort(rtts)
	b.ReportMetric(float64(rtts[len(rtts)-1].Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(rtts[len(rtts)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(len(rtts))/float64(b.N), "probes/op")
}
