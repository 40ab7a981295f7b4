package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

func TestSanitize(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", "Sandbox Alice", "Sandbox Alice"},
		{"CJK and emoji", "沙盒用户小张 🐼", "沙盒用户小张 🐼"},
		{"empty", "", ""},
		{"OSC title ended by BEL", "\x1b]0;pwned\x07Alice", "Alice"},
		{"OSC title ended by ST", "\x1b]0;pwned\x1b\\Alice", "Alice"},
		{"OSC ended by 8-bit ST", "\x1b]0;pwned\u009cAlice", "Alice"},
		{"OSC 8 hyperlink", "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\", "click"},
		{"OSC cut short by ESC", "\x1b]0;pwned\x1b[2JAlice", "Alice"},
		{"unterminated OSC", "Alice\x1b]0;pwned", "Alice"},
		{"8-bit OSC", "\u009d0;pwned\x07Alice", "Alice"},
		{"stray 8-bit OSC byte", "\x9d0;pwned\x07Alice", "Alice"},
		{"DCS", "\x1bPq#0;2;0;0;0\x1b\\Alice", "Alice"},
		{"APC", "\x1b_Gpayload\x1b\\Alice", "Alice"},
		{"CSI erase display", "\x1b[2JAlice", "Alice"},
		{"CSI erase line and cursor up", "Alice\x1b[1A\x1b[2K", "Alice"},
		{"CSI parameters and intermediates", "\x1b[1 qA\x1b[38;5;196mB\x1b[?25lC", "ABC"},
		{"CSI cut short by a control", "\x1b[2\x08J", "J"},
		{"8-bit CSI", "\u009b2JAlice", "Alice"},
		{"stray 8-bit CSI byte", "\x9b2JAlice", "Alice"},
		{"charset selection", "\x1b(0lqk\x1b(B", "lqk"},
		{"save, reset, restore", "\x1b7\x1bcAlice\x1b8", "Alice"},
		{"lone ESC at the end", "Alice\x1b", "Alice"},
		{"ESC before text", "\x1b沙盒", "沙盒"},
		{"CR in the middle", "Alice\rMallory", "Alice Mallory"},
		{"line breaks and tab", "a\nb\r\nc\td\ve\ff", "a b  c d e f"},
		{"backspaces", "Alice\x08\x08\x08\x08\x08Bob", "AliceBob"},
		{"NUL and BEL", "Al\x00i\x07ce", "Alice"},
		{"DEL", "Al\x7fice", "Alice"},
		{"C1 NEL and reverse index", "A\u0085B\u008dC", "ABC"},
		{"bidi override", "\u202eevil\u202c.exe", "evil.exe"},
		{"bidi embeddings and isolates", "\u202aa\u202bb\u202dc\u2066d\u2067e\u2068f\u2069", "abcdef"},
		{"invalid UTF-8", "A\xffB\xe6\xb2", "A\uFFFDB\uFFFD\uFFFD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sanitize(tc.in)
			if got != tc.want {
				t.Errorf("sanitize(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if bad := unsafeText(got, false); bad != "" {
				t.Errorf("sanitize(%q) = %q keeps %s", tc.in, got, bad)
			}
		})
	}
}

func TestSanitizeLines(t *testing.T) {
	in := "client_key: aw\x1b[2Jkey\nname: \x1b]0;pwned\x07App\r\n"
	want := "client_key: awkey\nname: App \n"
	if got := sanitizeLines(in); got != want {
		t.Errorf("sanitizeLines(%q) = %q, want %q", in, got, want)
	}
}

func TestWriteJSON(t *testing.T) {
	nick := "\x1b]0;pwned\x07Mal\u009b2Jlory\u202e\x7f\u0085\x00\r\n<b>&"
	var buf bytes.Buffer
	if err := writeJSON(&buf, accountStatus{Nickname: nick}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if bad := unsafeText(out, true); bad != "" {
		t.Errorf("JSON keeps %s:\n%s", bad, out)
	}
	for _, esc := range []string{`\u001b`, `\u009b`, `\u202e`, `\u007f`, `\u0085`, `\u0000`, `\r`, `\n`} {
		if !strings.Contains(out, esc) {
			t.Errorf("JSON lacks %s:\n%s", esc, out)
		}
	}
	var back accountStatus
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("invalid JSON: %v\n%s", err, out)
	}
	if back.Nickname != nick {
		t.Errorf("JSON reads back %q, want %q", back.Nickname, nick)
	}
}

// Hostile texts a platform could send, and what the command line shows of
// them.
const (
	hostileNickname  = "\x1b]0;pwned\x07Mal\x1b[2Jlo\u009b31mry\rFAKE\u202e\x08\x00\x7f\x1b"
	shownNickname    = "Mallory FAKE"
	hostileUnionID   = "union\x1b[8m-0001\x1b[0m\u2066"
	shownUnionID     = "union-0001"
	hostileErrorText = "\x1b]0;pwned\x1b\\busy\x1b[1A\x1b[2K\rFORGED\u009d8;;x\u009c\u202eevil\x08\x00"
	shownErrorText   = "busy FORGEDevil"
)

// TestHostilePlatformText runs the command line against a sandbox whose user
// has a hostile nickname and union_id, behind a proxy that fills every text
// of the platform's error answers with escape sequences.
func TestHostilePlatformText(t *testing.T) {
	setup(t)
	sb, sbBase := startSandbox(t, sandbox.Options{Users: []sandbox.User{
		{OpenID: aliceOpenID, UnionID: hostileUnionID, Nickname: hostileNickname},
	}})
	base := hostileErrorProxy(t, sbBase)
	addProfile(t, "evil", base)

	r := login(t, "evil", aliceOpenID)
	wantClean(t, r, "nickname: "+shownNickname)
	r = cli(t, "", "verify", "--profile", "evil")
	want(t, r, exitOK)
	wantClean(t, r, "nickname: "+shownNickname+"\n", "union_id: "+shownUnionID+"\n")
	r = cli(t, "", "status")
	want(t, r, exitOK)
	wantClean(t, r, "("+shownNickname+")")

	r = cli(t, "", "status", "--json")
	want(t, r, exitOK)
	wantClean(t, r)
	var st statusReport
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatalf("status --json: %v\n%s", err, r)
	}
	if got := st.Profiles[0].Accounts[0].Nickname; got != hostileNickname {
		t.Errorf("status --json nickname %q, want %q", got, hostileNickname)
	}

	sb.Inject(sandbox.Fault{Endpoint: auth.PathRefreshToken, ErrorCode: 2100004})
	r = cli(t, "", "refresh", "--profile", "evil")
	want(t, r, exitError)
	wantClean(t, r, "2100004", shownErrorText)
	sb.Inject(sandbox.Fault{Endpoint: auth.PathUserInfo, ErrorCode: 28001005})
	r = cli(t, "", "verify", "--profile", "evil")
	want(t, r, exitError)
	wantClean(t, r, "28001005", shownErrorText)
}

// TestHostileCallbackError pastes a denied callback whose error parameter
// carries escape sequences.
func TestHostileCallbackError(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "evil", base)
	lr := start(t, "login", "--profile", "evil", "--no-browser", "--timeout", "30s")
	loc := consent(t, lr.authorizeURL(t), "deny", "")
	q := loc.Query()
	q.Set("error", hostileErrorText)
	loc.RawQuery = q.Encode()
	fmt.Fprintln(lr.stdin, loc.String())
	r := lr.wait(t)
	want(t, r, exitError)
	wantClean(t, r, "authorization failed: "+shownErrorText)
}

// wantClean fails the test when r printed anything a terminal would act on,
// or left out one of the texts in shown.
func wantClean(t *testing.T, r result, shown ...string) {
	t.Helper()
	for name, out := range map[string]string{"stdout": r.stdout, "stderr": r.stderr} {
		if bad := unsafeText(out, true); bad != "" {
			t.Errorf("%s holds %s:\n%q", name, bad, out)
		}
	}
	for _, s := range shown {
		if !strings.Contains(r.stdout+r.stderr, s) {
			t.Errorf("output lacks %q:\n%q", s, r.String())
		}
	}
}

// hostileErrorProxy starts a proxy to the platform at target that replaces
// the description, sub_description, err_msg and log_id of every error answer
// with hostileErrorText, and returns its base URL.
func hostileErrorProxy(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(u)
		if r.In.Header.Get("Origin") != "" {
			r.Out.Header.Set("Origin", target) // as a browser on the consent page would
		}
	}}
	p.ModifyResponse = func(resp *http.Response) error {
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var body map[string]any
		if json.Unmarshal(b, &body) == nil && isErrorAnswer(body) {
			poison(body)
			if b, err = json.Marshal(body); err != nil {
				return err
			}
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		resp.ContentLength = int64(len(b))
		resp.Header.Set("Content-Length", strconv.Itoa(len(b)))
		return nil
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return srv.URL
}

// isErrorAnswer reports whether a platform answer carries an error code.
func isErrorAnswer(body map[string]any) bool {
	data, _ := body["data"].(map[string]any)
	for _, v := range []any{body["err_no"], data["error_code"]} {
		switch x := v.(type) {
		case float64:
			if x != 0 {
				return true
			}
		case string:
			if x != "" && x != "0" {
				return true
			}
		}
	}
	return false
}

// poison sets every text of an error answer to hostileErrorText.
func poison(m map[string]any) {
	for k, v := range m {
		switch k {
		case "description", "sub_description", "err_msg", "logid", "log_id":
			m[k] = hostileErrorText
		}
		if sub, ok := v.(map[string]any); ok {
			poison(sub)
		}
	}
}

// FuzzSanitize checks that nothing a terminal acts on survives sanitize.
func FuzzSanitize(f *testing.F) {
	for _, s := range []string{"Alice", "\x1b]0;x\x07", "\x9b2J", "\u009d8;;u\u009c", "\x1b[", "a\r\x08\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got := sanitize(s); unsafeText(got, false) != "" {
			t.Errorf("sanitize(%q) = %q", s, got)
		}
	})
}

// unsafeText describes the first thing in s that a terminal would act on
// rather than show: invalid UTF-8, a control or a bidi character. Line
// breaks are allowed when lines is set.
func unsafeText(s string, lines bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\n' && lines:
		case r < 0x20, r >= 0x7f && r <= 0x9f, r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return fmt.Sprintf("%U", r)
		}
	}
	return ""
}
