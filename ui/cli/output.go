package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// now is the clock used to compute the time left on tokens.
var now = time.Now

// printField writes a "name: value" line; the value is sanitized, so that
// it stays on its line and shows no control sequence.
func printField(w io.Writer, name, value string) {
	fmt.Fprintf(w, "%s: %s\n", name, sanitize(value))
}

// formatTime renders t as RFC 3339 in local time, or "unknown" when zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Local().Format(time.RFC3339)
}

// secondsLeft is the whole number of seconds until t, negative when past.
func secondsLeft(t, at time.Time) int64 {
	return int64(t.Sub(at) / time.Second)
}

// printExpiry writes "<name>_expires_at" and "<name>_seconds_left" lines.
func printExpiry(w io.Writer, name string, t, at time.Time) {
	fmt.Fprintf(w, "%s_expires_at: %s\n", name, formatTime(t))
	if !t.IsZero() {
		fmt.Fprintf(w, "%s_seconds_left: %d\n", name, secondsLeft(t, at))
	}
}

// printGrant writes what a login, refresh or renewal produced, without any
// token.
func printGrant(w io.Writer, g auth.Grant) {
	at := now()
	printField(w, "open_id", g.OpenID)
	if g.Nickname != "" {
		printField(w, "nickname", g.Nickname)
	}
	if g.Scope != "" {
		printField(w, "scope", g.Scope)
	}
	printExpiry(w, "access", g.AccessExpiry, at)
	printExpiry(w, "refresh", g.RefreshExpiry, at)
	fmt.Fprintf(w, "renewals_used: %d\n", g.Renewals)
	fmt.Fprintf(w, "renewals_left: %d\n", g.RenewalsLeft())
}

// writeJSON writes v as indented JSON and a newline. encoding/json escapes
// the C0 controls (ESC as \u001b) but leaves DEL, C1 controls and bidi
// characters raw; these are escaped too, so the output reads back to the
// same values and shows no control to a terminal.
func writeJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	var out bytes.Buffer
	for _, r := range string(b) {
		if r >= 0x7f && (isControl(r) || isBidi(r)) {
			fmt.Fprintf(&out, `\u%04x`, r)
		} else {
			out.WriteRune(r)
		}
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}
