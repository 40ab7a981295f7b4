package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// TestImportTyped: at a terminal, import prompts for the token on stderr
// and reads one line.
func TestImportTyped(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)
	master, terminal := openPTY(t)
	if _, err := master.WriteString("  " + g.RefreshToken + "  \n"); err != nil {
		t.Fatal(err)
	}
	var out, errOut safeBuffer
	code := run(context.Background(), []string{"import", "--profile", "demo", "--refresh-token"}, terminal, &out, &errOut)
	r := result{code, out.String(), errOut.String()}
	want(t, r, exitOK)
	if !strings.Contains(r.stderr, "refresh_token (the input is shown") || field(t, r.stdout, "open_id") != aliceOpenID {
		t.Errorf("typed import:\n%s", r)
	}
}
