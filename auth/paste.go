package auth

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Callback is what the platform sent back to the redirect URI.
type Callback struct {
	Code   string
	State  string
	Scopes string // granted scopes, when the platform says

	// Error fields of a failed or denied authorization.
	Error            string
	ErrorCode        int
	ErrorDescription string
}

// failed reports whether the callback carries no usable code.
func (c Callback) failed() bool {
	return c.Code == "" || c.Error != "" || c.ErrorCode != 0
}

// callbackFromQuery reads a callback's fields from query parameters.
func callbackFromQuery(q url.Values) Callback {
	c := Callback{
		Code:             q.Get("code"),
		State:            q.Get("state"),
		Scopes:           firstNonEmpty(q.Get("scopes"), q.Get("scope")),
		Error:            q.Get("error"),
		ErrorDescription: firstNonEmpty(q.Get("error_description"), q.Get("description"), q.Get("error_msg")),
	}
	if s := q.Get("error_code"); s != "" {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n == 0 {
			n = -1 // present but not a usable number: still a failure
		}
		c.ErrorCode = n
	}
	return c
}

// CallbackError is a callback that reported a failure instead of a code.
type CallbackError struct{ Callback Callback }

func (e *CallbackError) Error() string { return e.Message("en") }

// Message returns the failure in lang, explained when the code is known.
func (e *CallbackError) Message(lang string) string {
	zh := isZH(lang)
	c := e.Callback
	var b strings.Builder
	if zh {
		b.WriteString("授权未完成")
	} else {
		b.WriteString("authorization failed")
	}
	if c.Error == "access_denied" {
		if zh {
			b.WriteString("：用户拒绝了授权")
		} else {
			b.WriteString(": the user denied access")
		}
	} else if c.Error != "" {
		fmt.Fprintf(&b, ": %s", c.Error)
	}
	if c.ErrorCode > 0 {
		fmt.Fprintf(&b, " (%d", c.ErrorCode)
		if x, ok := Explain(c.ErrorCode); ok {
			fmt.Fprintf(&b, " %s; %s", x.Meaning(lang), x.Action(lang))
		}
		b.WriteString(")")
	}
	if c.ErrorDescription != "" {
		fmt.Fprintf(&b, " %q", c.ErrorDescription)
	}
	if c.Code == "" && c.Error == "" && c.ErrorCode == 0 {
		if zh {
			b.WriteString("：回调中没有 code")
		} else {
			b.WriteString(": the callback carried no code")
		}
	}
	return b.String()
}

// Errors of pasted input.
var (
	ErrPasteEmpty    = errors.New("nothing was pasted")
	ErrPasteGarbage  = errors.New("the pasted text is neither a redirect URL nor a code")
	ErrStateMismatch = errors.New("the state in the callback does not match this authorization")
)

// ParsePasted reads what a user pasted from the browser's address bar after
// the redirect: a full redirect URL (the parameters may be in the query or,
// when the query has none, the fragment), a bare query string, or just the
// code. A bare code yields a Callback with no State.
func ParsePasted(text string) (Callback, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return Callback{}, ErrPasteEmpty
	}
	if isBareCode(s) {
		return Callback{Code: s}, nil
	}
	raw := s
	if i := strings.IndexAny(raw, "?#"); i >= 0 && strings.Contains(raw, "://") {
		raw = raw[i:]
	} else if strings.Contains(raw, "://") {
		return Callback{}, ErrPasteGarbage
	}
	query, fragment, _ := strings.Cut(strings.TrimPrefix(raw, "?"), "#")
	if strings.HasPrefix(raw, "#") {
		query, fragment = "", strings.TrimPrefix(raw, "#")
	}
	for _, part := range []string{query, fragment} {
		q, err := url.ParseQuery(part)
		if err != nil {
			continue
		}
		c := callbackFromQuery(q)
		if c.Code != "" || c.Error != "" || c.ErrorCode != 0 {
			return c, nil
		}
	}
	return Callback{}, ErrPasteGarbage
}

// isBareCode reports whether s looks like an authorization code on its own.
func isBareCode(s string) bool {
	if len(s) < 8 || len(s) > 512 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '~') {
			return false
		}
	}
	return true
}
