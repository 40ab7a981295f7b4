package auth

import (
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
	zh := IsChinese(lang)
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

// pasteError is a reason pasted text was refused, in both languages.
type pasteError struct{ en, zh string }

func (e *pasteError) Error() string { return e.en }

// Message returns the reason in lang.
func (e *pasteError) Message(lang string) string {
	if IsChinese(lang) {
		return e.zh
	}
	return e.en
}

// Errors of pasted input.
var (
	ErrPasteEmpty   error = &pasteError{"nothing was pasted", "没有粘贴任何内容"}
	ErrPasteGarbage error = &pasteError{"the pasted text is neither a redirect URL nor a code",
		"粘贴的内容既不是跳转后的地址，也不是授权码"}
	ErrPasteNoState error = &pasteError{
		"the pasted address has no state, or an empty one, so nothing shows it belongs to this authorization: paste the whole address from the browser's address bar, unchanged",
		"粘贴的地址没有 state（或 state 为空），无法确认它属于这次授权：请粘贴浏览器地址栏中完整、未改动的地址"}
	ErrPasteSplit error = &pasteError{
		"the pasted address has the code and the state in different parts (one after ?, the other after #), so they cannot be taken together: paste the address exactly as the browser shows it",
		"粘贴的地址中 code 和 state 分处不同部分（一个在 ? 之后，一个在 # 之后），不能一起采用：请按浏览器显示的原样粘贴地址"}
	ErrPasteRepeated error = &pasteError{
		"the pasted address gives code or state more than once, so it is ambiguous: paste the address exactly as the browser shows it",
		"粘贴的地址中 code 或 state 出现了不止一次，含义不明：请按浏览器显示的原样粘贴地址"}
	ErrStateMismatch error = &pasteError{"the state in the callback does not match this authorization",
		"回调中的 state 与这次授权不符：它属于另一次授权，或被改动过"}
)

// Pasted is a callback read from pasted text.
type Pasted struct {
	Callback
	// StateChecked: the text carried the login's state beside its code or
	// error. A bare code carries none, so nothing shows it came from this
	// authorization; say so to the user.
	StateChecked bool
}

// callbackKeys are the parameters that make up a callback; they must all
// sit in one part of the pasted text.
var callbackKeys = []string{"code", "state", "error", "error_code"}

// ParsePasted reads what a user pasted from the browser's address bar after
// the redirect of the login whose state is state: a full redirect URL, a
// bare query string or fragment, or just the code. A URL or query string
// must carry that state in the same part (query or fragment) as its code or
// error, each given once. Only a bare code is taken without a state; its
// StateChecked is false.
func ParsePasted(text, state string) (Pasted, error) {
	s := strings.TrimSpace(text)
	if s == "" {
		return Pasted{}, ErrPasteEmpty
	}
	if isBareCode(s) {
		return Pasted{Callback: Callback{Code: s}}, nil
	}
	parts, err := pastedParts(s)
	if err != nil {
		return Pasted{}, err
	}
	q, err := callbackPart(parts)
	if err != nil {
		return Pasted{}, err
	}
	c := callbackFromQuery(q)
	switch {
	case c.Code == "" && c.Error == "" && c.ErrorCode == 0:
		return Pasted{}, ErrPasteGarbage
	case c.State == "":
		return Pasted{}, ErrPasteNoState
	case !stateMatches(c.State, state):
		return Pasted{}, ErrStateMismatch
	}
	return Pasted{Callback: c, StateChecked: true}, nil
}

// pastedParts returns the query and the fragment of pasted text: of a URL,
// or of a bare query string or fragment.
func pastedParts(s string) ([2]string, error) {
	i := strings.IndexAny(s, "?#")
	if i < 0 {
		i = len(s)
	}
	if strings.Contains(s[:i], "://") {
		if i == len(s) {
			return [2]string{}, ErrPasteGarbage
		}
		s = s[i:]
	}
	if fragment, ok := strings.CutPrefix(s, "#"); ok {
		return [2]string{"", fragment}, nil
	}
	query, fragment, _ := strings.Cut(strings.TrimPrefix(s, "?"), "#")
	return [2]string{query, fragment}, nil
}

// callbackPart returns the one part that carries callback parameters. The
// keys are compared decoded, so percent-encoding cannot hide a repeat.
func callbackPart(parts [2]string) (url.Values, error) {
	var found url.Values
	for _, part := range parts {
		q, err := url.ParseQuery(part)
		if !hasAny(q, callbackKeys) {
			continue
		}
		switch {
		case err != nil:
			return nil, ErrPasteGarbage
		case len(q["code"]) > 1 || len(q["state"]) > 1:
			return nil, ErrPasteRepeated
		case found != nil && repeats(found, q):
			return nil, ErrPasteRepeated
		case found != nil:
			return nil, ErrPasteSplit
		}
		found = q
	}
	if found == nil {
		return nil, ErrPasteGarbage
	}
	return found, nil
}

// hasAny reports whether q holds any of keys.
func hasAny(q url.Values, keys []string) bool {
	for _, k := range keys {
		if _, ok := q[k]; ok {
			return true
		}
	}
	return false
}

// repeats reports whether a and b both give code, or both give state.
func repeats(a, b url.Values) bool {
	for _, k := range []string{"code", "state"} {
		if _, ok := a[k]; ok {
			if _, ok := b[k]; ok {
				return true
			}
		}
	}
	return false
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
