package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// TestBinary runs the whole command line of the real douyin-auth-desk as
// separate processes: a sandbox, then profile add, login (pasting the
// redirected address on stdin), status --json, refresh, token, renew,
// verify, client-token and token --client, and error exits. Secrets must
// survive between processes in the system keyring: a private gnome-keyring
// on Linux, the Credential Manager on Windows. The configuration directory,
// under the user's config directory (%AppData% on Windows), holds no secret.
func TestBinary(t *testing.T) {
	bin := binaryUnderTest(t)
	tmp := t.TempDir()
	env, configDir := binaryEnv(t, tmp)
	// The Credential Manager is shared by every test run of this Windows
	// user, so the profile's name is this run's own.
	name := fmt.Sprintf("bin-%d", time.Now().UnixNano())
	t.Cleanup(func() { exeEnv(t, bin, env, "", "profile", "remove", name) })

	exe := func(stdin string, args ...string) result {
		t.Helper()
		return exeEnv(t, bin, env, stdin, args...)
	}
	var outputs []result
	step := func(code int, stdin string, args ...string) result {
		t.Helper()
		r := exe(stdin, args...)
		want(t, r, code)
		outputs = append(outputs, r)
		return r
	}

	// No noise on stderr in the C locales of CI, containers and cron.
	for _, locale := range []string{"C", "C.UTF-8", "POSIX"} {
		r := exeEnv(t, bin, withEnv(env, "LANG="+locale), "", "--help")
		if r.code != exitOK || r.stderr != "" || !strings.Contains(r.stdout, "Usage") {
			t.Errorf("--help with LANG=%s:\n%s", locale, r)
		}
	}

	// The sandbox, on a free port, with an app that accepts any loopback port.
	apps := filepath.Join(tmp, "apps.json")
	appsJSON := `[{"name":"Binary Test App","client_key":"awbinarytest01","client_secret":"binary-test-secret-01",` +
		`"redirect_uri":"http://127.0.0.1:0/callback","scopes":["user_info","renew_refresh_token"]}]`
	if err := os.WriteFile(apps, []byte(appsJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	sandboxCmd := exec.Command(bin, "sandbox", "--addr", addr, "--apps", apps)
	sandboxCmd.Env = env
	sandboxOut, _ := sandboxCmd.StdoutPipe()
	var sandboxErr bytes.Buffer
	sandboxCmd.Stderr = &sandboxErr
	if err := sandboxCmd.Start(); err != nil {
		t.Fatal(err)
	}
	sandboxDone := make(chan error, 1)
	t.Cleanup(func() {
		sandboxCmd.Process.Kill()
		<-sandboxDone
	})
	summary := make(chan string, 1)
	go func() {
		var b strings.Builder
		sc := bufio.NewScanner(sandboxOut)
		sent := false
		for sc.Scan() {
			b.WriteString(sc.Text() + "\n")
			if !sent && strings.HasPrefix(sc.Text(), "profile_add: ") {
				summary <- b.String()
				sent = true
			}
		}
		if !sent {
			summary <- b.String()
		}
		sandboxDone <- sandboxCmd.Wait()
	}()
	var s string
	select {
	case s = <-summary:
	case <-time.After(30 * time.Second):
		t.Fatalf("the sandbox printed no summary; stderr:\n%s", &sandboxErr)
	}
	base := field(t, s, "base_url")
	key := field(t, s, "client_key")
	secret := field(t, s, "client_secret")
	if base != "http://"+addr || key != "awbinarytest01" || secret != "binary-test-secret-01" ||
		field(t, s, "redirect_uri") != "http://127.0.0.1:0/callback" {
		t.Fatalf("sandbox summary:\n%s", s)
	}

	// profile add: the secret on stdin, kept in the keyring.
	r := step(exitOK, secret+lineEnd, "profile", "add", name, "--client-key", key, "--base-url", base,
		"--redirect-uri", "http://127.0.0.1:0/callback")
	if strings.Contains(r.stderr, "warning:") {
		t.Fatalf("the keyring was not used:\n%s", r)
	}
	step(exitReauth, "", "refresh", "--profile", name)
	step(exitUsage, "", "refresh", "--profile", "nope")

	// login --no-browser, the redirected address pasted on stdin.
	r = binaryLogin(t, bin, env, name)
	outputs = append(outputs, r)
	openID := field(t, r.stdout, "open_id")
	if openID != aliceOpenID {
		t.Fatalf("login:\n%s", r)
	}

	r = step(exitOK, "", "status", "--json")
	var st statusReport
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r.stdout)
	}
	if len(st.Profiles) != 1 || st.Profiles[0].Name != name || st.Profiles[0].BaseURL != base ||
		len(st.Profiles[0].Accounts) != 1 || st.Profiles[0].Accounts[0].OpenID != openID ||
		*st.Profiles[0].Accounts[0].AccessSecondsLeft < 1295000 || st.Profiles[0].ClientToken != nil {
		t.Errorf("status --json:\n%s", r.stdout)
	}

	step(exitOK, "", "refresh", "--profile", name)
	r = step(exitOK, "", "token", "--profile", name)
	access := strings.TrimSuffix(r.stdout, "\n")
	if !regexp.MustCompile(`^act\.[A-Za-z0-9._~-]+$`).MatchString(access) || r.stderr != "" {
		t.Fatalf("token: %q %q", r.stdout, r.stderr)
	}
	outputs = outputs[:len(outputs)-1] // the one output allowed to hold a secret
	// The printed token works.
	if u, err := auth.NewClient(base).UserInfo(context.Background(), access, openID); err != nil || u.OpenID != openID {
		t.Errorf("the printed access token does not work: %v", err)
	}

	r = step(exitOK, "", "renew", "--profile", name, "--account", openID)
	if field(t, r.stdout, "renewals_used") != "1" {
		t.Errorf("renew:\n%s", r)
	}
	r = step(exitOK, "", "verify", "--profile", name)
	if field(t, r.stdout, "verified") != "yes" {
		t.Errorf("verify:\n%s", r)
	}
	r = step(exitOK, "", "client-token", "--profile", name)
	if n, _ := strconv.Atoi(field(t, r.stdout, "client_token_seconds_left")); n < 7100 {
		t.Errorf("client-token:\n%s", r)
	}
	r = step(exitOK, "", "token", "--profile", name, "--client")
	if !strings.HasPrefix(r.stdout, "clt.") {
		t.Errorf("token --client: %q", r.stdout)
	}
	client := strings.TrimSpace(r.stdout)
	outputs = outputs[:len(outputs)-1]

	// The platform says the refresh token expired: exit 3.
	fault := `{"endpoint":"/oauth/refresh_token/","error_code":10010}`
	resp, err := http.Post(base+"/_sandbox/fault", "application/json", strings.NewReader(fault))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	r = step(exitReauth, "", "refresh", "--profile", name)
	if !strings.Contains(r.stderr, "10010") {
		t.Errorf("10010:\n%s", r)
	}
	r = step(exitOK, "", "status")
	if !strings.Contains(r.stdout, "renewals:      1 of 5 used") || !strings.Contains(r.stdout, "client token:    expires") {
		t.Errorf("status:\n%s", r)
	}

	for _, o := range outputs {
		all := o.stdout + o.stderr
		for _, sec := range []string{secret, access, client} {
			if strings.Contains(all, sec) {
				t.Errorf("output holds a secret:\n%s", o)
			}
		}
		if regexp.MustCompile(`\b(act|rft|clt)\.`).MatchString(all) {
			t.Errorf("output holds something token-like:\n%s", o)
		}
	}

	checkConfigDir(t, configDir, secret, access, client)
	stopSandbox(t, sandboxCmd, sandboxDone, &sandboxErr)
	step(exitError, "", "verify", "--profile", name)
}

// exeEnv runs bin with args in env to its end.
func exeEnv(t *testing.T, bin string, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return result{code, out.String(), errOut.String()}
}

// checkConfigDir fails the test unless dir holds profiles.json and no file
// in it holds one of secrets or anything token-like.
func checkConfigDir(t *testing.T, dir string, secrets ...string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "profiles.json")); err != nil {
		t.Fatalf("the configuration is not where the user's config directory says: %v", err)
	}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, sec := range secrets {
			if strings.Contains(string(b), sec) {
				t.Errorf("%s holds a secret", path)
			}
		}
		if regexp.MustCompile(`\b(act|rft|clt)\.`).Match(b) {
			t.Errorf("%s holds something token-like:\n%s", path, b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stopSandbox stops the sandbox process. On Unix SIGINT must stop it
// cleanly; Windows has no signal to send another process, so it is killed.
func stopSandbox(t *testing.T, cmd *exec.Cmd, done chan error, stderr *bytes.Buffer) {
	t.Helper()
	if runtime.GOOS == "windows" {
		cmd.Process.Kill()
		done <- <-done // for the cleanup
		return
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		done <- err // for the cleanup
		if err != nil {
			t.Errorf("sandbox after SIGINT: %v\n%s", err, stderr)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("the sandbox did not stop on SIGINT")
	}
	if !strings.Contains(stderr.String(), "Sandbox stopped") {
		t.Errorf("sandbox stderr:\n%s", stderr)
	}
}

// binaryLogin runs login --no-browser as a process, acts as the browser on
// the URL it prints, and pastes the redirected address on its stdin.
func binaryLogin(t *testing.T, bin string, env []string, profile string) result {
	t.Helper()
	cmd := exec.Command(bin, "login", "--profile", profile, "--no-browser", "--timeout", "1m")
	cmd.Env = env
	stdin, _ := cmd.StdinPipe()
	stderrPipe, _ := cmd.StderrPipe()
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var errOut safeBuffer
	urls := make(chan string, 1)
	copied := make(chan struct{})
	go func() {
		defer close(copied)
		sc := bufio.NewScanner(stderrPipe)
		for sc.Scan() {
			fmt.Fprintln(&errOut, sc.Text())
			if m := authURLLine.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
	}()
	var u string
	select {
	case u = <-urls:
	case <-time.After(30 * time.Second):
		t.Fatalf("login printed no URL:\n%s", errOut.String())
	}
	loc := consent(t, u, "agree", "")
	if _, err := io.WriteString(stdin, loc.String()+lineEnd); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	<-copied
	stdin.Close()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	r := result{code, out.String(), errOut.String()}
	want(t, r, exitOK)
	return r
}

// startKeyring starts a private D-Bus session bus and an unlocked
// gnome-keyring Secret Service on it, stopped when the test ends, and
// returns the bus address.
func startKeyring(t *testing.T, env []string) (string, error) {
	t.Helper()
	dbusPath, err := exec.LookPath("dbus-daemon")
	if err != nil {
		return "", err
	}
	keyringPath, err := exec.LookPath("gnome-keyring-daemon")
	if err != nil {
		return "", err
	}
	bus := exec.Command(dbusPath, "--session", "--nofork", "--print-address=1")
	bus.Env = env
	busOut, _ := bus.StdoutPipe()
	if err := bus.Start(); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		bus.Process.Kill()
		bus.Wait()
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(busOut)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, busOut)
	}()
	var addr string
	select {
	case addr = <-line:
	case <-time.After(10 * time.Second):
	}
	if addr == "" {
		return "", errors.New("dbus-daemon printed no address")
	}
	kr := exec.Command(keyringPath, "--foreground", "--unlock", "--components=secrets")
	kr.Env = append(append([]string(nil), env...), "DBUS_SESSION_BUS_ADDRESS="+addr)
	kr.Stdin = strings.NewReader("test-keyring-password")
	var krOut bytes.Buffer
	kr.Stdout, kr.Stderr = &krOut, &krOut
	if err := kr.Start(); err != nil {
		return "", err
	}
	t.Cleanup(func() {
		kr.Process.Kill()
		kr.Wait()
	})
	// Wait until the Secret Service owns its name on the bus.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		q := exec.Command(dbusSend(), "--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
			"org.freedesktop.DBus.NameHasOwner", "string:org.freedesktop.secrets")
		q.Env = kr.Env
		if out, err := q.Output(); err == nil && strings.Contains(string(out), "boolean true") {
			return addr, nil
		} else if errors.Is(err, exec.ErrNotFound) {
			time.Sleep(time.Second) // no dbus-send: give the daemon a moment
			return addr, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return "", fmt.Errorf("gnome-keyring-daemon did not start: %s", krOut.String())
}

// dbusSend returns the dbus-send command's path, or its bare name.
func dbusSend() string {
	if p, err := exec.LookPath("dbus-send"); err == nil {
		return p
	}
	return "dbus-send"
}
