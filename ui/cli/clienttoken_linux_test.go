package cli

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// openPTY returns the two ends of a new pseudo-terminal: what the test
// types goes into master, and the command reads it from terminal.
func openPTY(t *testing.T) (master, terminal *os.File) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	t.Cleanup(func() { master.Close() })
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skip("cannot unlock the pseudo-terminal:", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skip("no pseudo-terminal number:", err)
	}
	terminal, err = os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skip("cannot open the pseudo-terminal:", err)
	}
	t.Cleanup(func() { terminal.Close() })
	return master, terminal
}

// TestClientTokenTypedConfirmation: at a terminal, client-token on the real
// platform asks, and goes on only for a typed "yes".
func TestClientTokenTypedConfirmation(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	route := routePlatform(t, base)
	addPlatformProfile(t, "prod")
	typed := func(answer string) result {
		t.Helper()
		master, terminal := openPTY(t)
		if _, err := master.WriteString(answer + "\n"); err != nil {
			t.Fatal(err)
		}
		var out, errOut safeBuffer
		code := run(context.Background(), []string{"client-token", "--profile", "prod"}, terminal, &out, &errOut)
		return result{code, out.String(), errOut.String()}
	}

	r := typed("no")
	want(t, r, exitUsage)
	for _, s := range []string{"real platform", `Type "yes" to go on`, "not confirmed", "--stable"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("answer no lacks %q:\n%s", s, r)
		}
	}
	if len(route.sent()) != 0 {
		t.Fatalf("sent %v without consent", route.sent())
	}
	r = typed("yes")
	want(t, r, exitOK)
	field(t, r.stdout, "client_token_expires_at")
	if got := route.sent(); len(got) != 1 || got[0] != auth.PathClientToken {
		t.Fatalf("sent %v", got)
	}
}
