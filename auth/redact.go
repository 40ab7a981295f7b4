package auth

import (
	"encoding/base64"
	"encoding/json"
	"net/url"
	"regexp"
	"slices"
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

// secretKeys are the names of fields that carry secrets, matched in any
// letter case.
const secretKeys = `client_secret|code|access_token|refresh_token|access-token`

var (
	// secretField matches a secret-bearing field in a form, query, header,
	// JSON body or JSON escaped inside a JSON string: its name, the
	// separator and the value.
	secretField = regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])((?:\\?")?(?:` + secretKeys + `)(?:\\?")?\s*[:=]\s*(?:\\?")?)([^"&\s,;}<>\\]+)`)
	// tokenLike matches a platform token anywhere in text, up to the next
	// character that cannot be part of one in a URL, form or JSON.
	tokenLike = regexp.MustCompile(`\b(?:act|rft|clt)\.[^\s"'&,;<>(){}\[\]\\|` + "`" + `]+`)
	// masked matches what Mask makes of a value.
	masked = regexp.MustCompile(`^(?:(?:act|rft|clt)\.)?(?:[^…]{0,2}…[^…]{0,2})$`)
)

// redactText masks every platform token and every value of a secret-bearing
// field (client_secret, code, access_token, refresh_token) in s, which may
// be a URL, a form body, JSON or free text.
func redactText(s string) string {
	s = tokenLike.ReplaceAllStringFunc(s, maskOnce)
	return secretField.ReplaceAllStringFunc(s, func(m string) string {
		sub := secretField.FindStringSubmatch(m)
		return sub[1] + sub[2] + maskOnce(sub[3])
	})
}

// maskOnce masks v unless it already is a mask.
func maskOnce(v string) string {
	if masked.MatchString(v) {
		return v
	}
	return Mask(v)
}

// redactor masks the secret values of one exchange, the ones sent and the
// ones received, wherever and however they appear in a text derived from
// it, then what redactText finds.
type redactor struct{ secrets []secretForms }

// secretForms is a secret with its mask and the forms it may take, worked
// out once for every text of the exchange.
type secretForms struct {
	value, mask string
	forms       []string
}

// newRedactor returns a redactor for values; those under four bytes are too
// short to look for.
func newRedactor(values ...string) *redactor {
	r := &redactor{}
	r.add(values...)
	return r
}

func (r *redactor) add(values ...string) {
	for _, v := range values {
		if len(v) >= 4 && !slices.ContainsFunc(r.secrets, func(f secretForms) bool { return f.value == v }) {
			r.secrets = append(r.secrets, secretForms{value: v, mask: Mask(v), forms: encodings(v)})
		}
	}
	// Longer values first, so that a secret holding another is masked whole.
	slices.SortFunc(r.secrets, func(a, b secretForms) int { return len(b.value) - len(a.value) })
}

// text returns s with every value masked in each form it may take: raw,
// JSON-escaped, URL-encoded and base64.
func (r *redactor) text(s string) string {
	for _, f := range r.secrets {
		for _, form := range f.forms {
			s = strings.ReplaceAll(s, form, f.mask)
		}
	}
	return redactText(s)
}

// encodings returns the forms v takes in a URL, a form, JSON or base64,
// and each of those escaped once more inside a JSON string (an error text
// quoting a JSON or URL-encoded body).
func encodings(v string) []string {
	forms := []string{
		v,
		url.QueryEscape(v),
		url.PathEscape(v),
		base64.StdEncoding.EncodeToString([]byte(v)),
		base64.URLEncoding.EncodeToString([]byte(v)),
		base64.RawStdEncoding.EncodeToString([]byte(v)),
		base64.RawURLEncoding.EncodeToString([]byte(v)),
	}
	for range 2 {
		for _, f := range forms {
			forms = append(forms, jsonEscapes(f)...)
		}
	}
	slices.Sort(forms)
	return slices.Compact(forms)
}

// jsonEscapes returns s as it stands inside a JSON string, with and without
// the escaping of <, > and &.
func jsonEscapes(s string) []string {
	html, _ := json.Marshal(s)
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	plain := strings.TrimSpace(b.String())
	return []string{string(html[1 : len(html)-1]), plain[1 : len(plain)-1]}
}

// secretsIn returns the values of the secret-bearing fields of a JSON body,
// at any depth: the tokens an answer carries.
func secretsIn(body string) []string {
	var v any
	if json.Unmarshal([]byte(body), &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && isSecretKey(k) {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

var secretKey = regexp.MustCompile(`(?i)^(?:` + secretKeys + `)$`)

func isSecretKey(k string) bool { return secretKey.MatchString(k) }

// error returns err with its texts masked: a platform error's descriptions,
// a transport error's cause, and its snippet quoted again from body, the
// answer already masked (a snippet cut from the raw answer could end inside
// a secret and keep its start).
func (r *redactor) error(err error, body string) error {
	switch e := err.(type) {
	case *PlatformError:
		c := *e
		c.Description = r.text(c.Description)
		c.SubDescription = r.text(c.SubDescription)
		return &c
	case *TransportError:
		c := *e
		if c.Snippet != "" {
			c.Snippet = snippet([]byte(body))
		}
		if c.Err != nil {
			c.Err = &redactedError{msg: r.text(c.Err.Error()), err: c.Err}
		}
		return &c
	case nil:
		return nil
	default:
		return &redactedError{msg: r.text(err.Error()), err: err}
	}
}

// redactedError is an error whose text is masked; errors.Is and errors.As
// still reach the error it stands for.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
