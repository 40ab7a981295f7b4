package auth

import (
	"fmt"
	"net/url"
	"strings"
)

// App is the part of a profile the flow needs: the app's credentials, the
// scopes it asks for and where the platform sends the user back.
type App struct {
	ClientKey     string
	ClientSecret  string
	Scopes        []string
	OptionalScope string // "scope,default" pairs, e.g. "friend_relation,1,message,0"
	RedirectURI   string
}

// Validate reports the first problem with a's fields that would make every
// platform call fail, as an *InputError.
func (a App) Validate() error {
	if p := a.Problems(); len(p) > 0 {
		return p[0]
	}
	return nil
}

// Problems reports every field of a that would make platform calls fail,
// at most one *InputError per field, in the fields' order.
func (a App) Problems() []error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(checkClientKey(a.ClientKey))
	add(checkClientSecret(a.ClientSecret))
	add(checkScopes(a.Scopes))
	add(ValidateOptionalScope(a.OptionalScope))
	add(ValidateRedirectURI(a.RedirectURI))
	return errs
}

func checkClientKey(k string) error {
	switch {
	case strings.TrimSpace(k) == "":
		return &InputError{Field: "client_key", Reason: ReasonEmpty}
	case strings.TrimSpace(k) != k || strings.ContainsAny(k, " \t\r\n&=?#/"):
		return &InputError{Field: "client_key", Reason: ReasonMalformed}
	}
	return nil
}

func checkClientSecret(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &InputError{Field: "client_secret", Reason: ReasonEmpty}
	case strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n"):
		return &InputError{Field: "client_secret", Reason: ReasonMalformed}
	}
	return nil
}

func checkScopes(scopes []string) error {
	if len(scopes) == 0 {
		return &InputError{Field: "scope", Reason: ReasonEmpty}
	}
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, " ,\t\r\n&=?#") {
			return &InputError{Field: "scope", Reason: ReasonMalformed, Value: s}
		}
	}
	return nil
}

// ValidateOptionalScope checks the "scope,default" pair syntax of optionalScope.
func ValidateOptionalScope(s string) error {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	if len(parts)%2 != 0 {
		return &InputError{Field: "optionalScope", Reason: ReasonMalformed, Value: s}
	}
	for i := 0; i < len(parts); i += 2 {
		if parts[i] == "" || (parts[i+1] != "0" && parts[i+1] != "1") {
			return &InputError{Field: "optionalScope", Reason: ReasonMalformed, Value: s}
		}
	}
	return nil
}

// ValidateRedirectURI checks that s is an absolute http(s) URL without a
// fragment or query, as the platform requires.
func ValidateRedirectURI(s string) error {
	if strings.TrimSpace(s) == "" {
		return &InputError{Field: "redirect_uri", Reason: ReasonEmpty}
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" || u.RawQuery != "" || u.User != nil {
		return &InputError{Field: "redirect_uri", Reason: ReasonMalformed, Value: s}
	}
	return nil
}

// IsLoopbackRedirect reports whether the redirect URI points at this machine,
// so that the app can capture the callback itself.
func IsLoopbackRedirect(redirectURI string) bool {
	u, err := url.Parse(redirectURI)
	if err != nil {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "::1", "localhost":
		return true
	}
	return false
}

// Reason says what is wrong with an input field.
type Reason int

// Reasons an InputError can carry.
const (
	ReasonEmpty Reason = iota + 1
	ReasonMalformed
)

// InputError reports a user-supplied value that cannot be used.
type InputError struct {
	Field  string
	Reason Reason
	Value  string // the offending value, never a secret
}

func (e *InputError) Error() string { return e.Message("en") }

// Message returns the error in the given language ("zh" or "en").
func (e *InputError) Message(lang string) string {
	zh := isZH(lang)
	switch e.Reason {
	case ReasonEmpty:
		if zh {
			return fmt.Sprintf("%s 不能为空", e.Field)
		}
		return fmt.Sprintf("%s must not be empty", e.Field)
	default:
		hint := hints[e.Field]
		if zh {
			return fmt.Sprintf("%s 格式不正确：%s", e.Field, hint[0])
		}
		return fmt.Sprintf("%s is malformed: %s", e.Field, hint[1])
	}
}

var hints = map[string][2]string{
	"client_key":    {"不能含空格或 & = ? # / 字符", "it must not contain spaces or & = ? # /"},
	"client_secret": {"不能含空白字符", "it must not contain whitespace"},
	"scope":         {"用逗号分隔的权限名，如 user_info,trial.whitelist", "use comma-separated scope names such as user_info,trial.whitelist"},
	"optionalScope": {"应为“权限,默认值”成对出现，默认值为 0 或 1，如 friend_relation,1", `use "scope,default" pairs with default 0 or 1, e.g. friend_relation,1`},
	"redirect_uri":  {"须为完整的 http(s) 地址，不含 ? 查询参数或 # 片段", "use an absolute http(s) URL without a ?query or #fragment"},
}

func isZH(lang string) bool { return strings.HasPrefix(strings.ToLower(lang), "zh") }
