package auth

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
)

// Mask shortens a secret to a recognizable stub: the token type prefix (act.,
// rft., clt.) and two characters on each side, e.g. "act.12…9f". Short
// values become "…".
func Mask(v string) string {
	prefix := ""
	for _, p := range []string{"act.", "rft.", "clt."} {
		if strings.HasPrefix(v, p) {
			prefix, v = p, v[len(p):]
			break
		}
	}
	if len(v) < 10 {
		return prefix + "…"
	}
	return prefix + v[:2] + "…" + v[len(v)-2:]
}

var (
	// secretField matches a secret-bearing field in a form, query or JSON body.
	secretField = regexp.MustCompile(`(^|[^A-Za-z0-9_])("?(?:client_secret|code|access_token|refresh_token|access-token)"?\s*[:=]\s*"?)([^"&\s,;}<]+)`)
	// tokenLike matches a platform token anywhere in text.
	tokenLike = regexp.MustCompile(`\b(?:act|rft|clt)\.[A-Za-z0-9._~-]+(?:…[A-Za-z0-9._~-]*)?`)
)

// RedactText masks every platform token and every value of a secret-bearing
// field (client_secret, code, access_token, refresh_token) in s, which may
// be a URL, a form body, JSON or free text.
func RedactText(s string) string {
	s = tokenLike.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Contains(m, "…") {
			return m // already masked
		}
		return Mask(m)
	})
	return secretField.ReplaceAllStringFunc(s, func(m string) string {
		sub := secretField.FindStringSubmatch(m)
		if strings.Contains(sub[3], "…") {
			return m
		}
		return sub[1] + sub[2] + Mask(sub[3])
	})
}

// redactValues masks RedactText's findings and every exact value in secrets,
// also where a form or JSON body escaped it.
func redactValues(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) < 4 {
			continue
		}
		quoted, _ := json.Marshal(v)
		for _, form := range []string{v, string(quoted[1 : len(quoted)-1]), url.QueryEscape(v)} {
			s = strings.ReplaceAll(s, form, Mask(v))
		}
	}
	return RedactText(s)
}
