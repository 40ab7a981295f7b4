package cli

import (
	"strings"
	"unicode/utf8"
)

// sanitize returns s fit to print as one line of text on a terminal. Text
// from the platform (nicknames, error descriptions) or the configuration
// could otherwise retitle the terminal, erase lines or forge output. It
// removes escape sequences (CSI, OSC and the other string sequences, and ESC
// with its final byte), C0 and C1 controls, DEL and the bidi embedding,
// override and isolate characters; tabs and line breaks become spaces and
// invalid UTF-8 becomes U+FFFD. A stray byte 0x80–0x9F counts as the C1
// control it stands for on an 8-bit terminal.
func sanitize(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if n := escapeLen(s, i); n > 0 {
			i += n
			continue
		}
		r, n := decode(s, i)
		i += n
		switch {
		case r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r':
			b.WriteByte(' ')
		case isControl(r) || isBidi(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// sanitizeLines is sanitize for text of several lines: it keeps the line
// breaks.
func sanitizeLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize(l)
	}
	return strings.Join(lines, "\n")
}

// decode returns the rune at s[i] and its length in bytes. A byte that does
// not start valid UTF-8 is U+FFFD, except 0x80–0x9F, which is the C1 control
// of that value.
func decode(s string, i int) (rune, int) {
	r, n := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && n == 1 && s[i] >= 0x80 && s[i] <= 0x9f {
		return rune(s[i]), 1
	}
	return r, n
}

// escapeLen returns the length in bytes of the escape sequence that starts
// at s[i], or 0 when none does.
func escapeLen(s string, i int) int {
	r, n := decode(s, i)
	switch r {
	case 0x1b: // ESC
		return n + afterESC(s, i+n)
	case 0x9b: // CSI
		return n + csiLen(s, i+n)
	case 0x90, 0x98, 0x9d, 0x9e, 0x9f: // DCS, SOS, OSC, PM, APC
		return n + stringLen(s, i+n)
	}
	return 0
}

// afterESC returns the length of what makes a sequence with the ESC before
// s[i]: a CSI, a string sequence, or intermediate bytes and a final byte.
func afterESC(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	switch c := s[i]; {
	case c == '[':
		return 1 + csiLen(s, i+1)
	case strings.IndexByte("]PX^_", c) >= 0: // OSC, DCS, SOS, PM, APC
		return 1 + stringLen(s, i+1)
	case c >= 0x20 && c <= 0x2f:
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
			j++
		}
		if j < len(s) && s[j] >= 0x30 && s[j] <= 0x7e {
			j++
		}
		return j - i
	case c >= 0x30 && c <= 0x7e:
		return 1
	}
	return 0
}

// csiLen returns the length of a control sequence's parameter and
// intermediate bytes and its final byte, starting at s[i]. A byte that
// cannot continue the sequence ends it.
func csiLen(s string, i int) int {
	j := i
	for j < len(s) && s[j] >= 0x20 && s[j] <= 0x3f {
		j++
	}
	if j < len(s) && s[j] >= 0x40 && s[j] <= 0x7e {
		j++
	}
	return j - i
}

// stringLen returns the length of a control string starting at s[i], with
// its terminator: BEL, ST (ESC \ or 0x9C), or another ESC, which the caller
// sees next. An unterminated string runs to the end of s.
func stringLen(s string, i int) int {
	for j := i; j < len(s); {
		r, n := decode(s, j)
		switch {
		case r == 0x07 || r == 0x9c:
			return j + n - i
		case r == 0x1b && strings.HasPrefix(s[j+n:], `\`):
			return j + n + 1 - i
		case r == 0x1b:
			return j - i
		}
		j += n
	}
	return len(s) - i
}

// isControl reports whether r is a C0 control, DEL or a C1 control.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f)
}

// isBidi reports whether r is a bidi embedding, override or isolate
// character, which reorders the text around it.
func isBidi(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
