package auth

import (
	"net/url"
	"strings"
)

// Credentials is the part of a profile the flow needs: the app's keys, the
// scopes it asks for and where the platform sends the user back.
type Credentials struct {
	ClientKey     string
	ClientSecret  string
	Scopes        []string
	OptionalScope string // "scope,default" pairs, e.g. "friend_relation,1,message,0"
	RedirectURI   string
}

// DefaultScopes are the scopes a new profile asks for: the user's profile,
// and renewing the refresh token.
const DefaultScopes = "user_info,renew_refresh_token"

// SplitScopes splits a comma-separated scope list, dropping blanks and
// spaces around names.
func SplitScopes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// IsHTTPURL reports whether s is an absolute http(s) URL with a host and
// without user, query or fragment: what the platform takes as a base URL
// or a redirect URI.
func IsHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.User == nil && u.RawQuery == "" && u.Fragment == ""
}

// Validate reports the first problem with a's fields that would make every
// platform call fail, as a *FieldError.
func (a Credentials) Validate() error {
	if p := a.Problems(); len(p) > 0 {
		return p[0]
	}
	return nil
}

// Problems reports every field of a that would make platform calls fail,
// at most one *FieldError per field, in the fields' order.
func (a Credentials) Problems() []error {
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
		return &FieldError{Field: FieldClientKey, Reason: ReasonEmpty}
	case strings.TrimSpace(k) != k || strings.ContainsAny(k, " \t\r\n&=?#/"):
		return &FieldError{Field: FieldClientKey, Reason: ReasonMalformed}
	}
	return nil
}

func checkClientSecret(s string) error {
	switch {
	case strings.TrimSpace(s) == "":
		return &FieldError{Field: FieldClientSecret, Reason: ReasonEmpty}
	case strings.TrimSpace(s) != s || strings.ContainsAny(s, " \t\r\n"):
		return &FieldError{Field: FieldClientSecret, Reason: ReasonMalformed}
	}
	return nil
}

func checkScopes(scopes []string) error {
	if len(scopes) == 0 {
		return &FieldError{Field: FieldScope, Reason: ReasonEmpty}
	}
	for _, s := range scopes {
		if s == "" || strings.ContainsAny(s, " ,\t\r\n&=?#") {
			return &FieldError{Field: FieldScope, Reason: ReasonMalformed, Value: s}
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
		return &FieldError{Field: FieldOptionalScope, Reason: ReasonMalformed, Value: s}
	}
	for i := 0; i < len(parts); i += 2 {
		if parts[i] == "" || (parts[i+1] != "0" && parts[i+1] != "1") {
			return &FieldError{Field: FieldOptionalScope, Reason: ReasonMalformed, Value: s}
		}
	}
	return nil
}

// ValidateRedirectURI checks that s is an absolute http(s) URL without a
// query, as the platform requires; a #fragment may follow, which the
// platform ignores when it compares the URI with the registered one.
func ValidateRedirectURI(s string) error {
	if strings.TrimSpace(s) == "" {
		return &FieldError{Field: FieldRedirectURI, Reason: ReasonEmpty}
	}
	// The platform compares only the part before "#".
	before, _, _ := strings.Cut(s, "#")
	if !IsHTTPURL(before) {
		return &FieldError{Field: FieldRedirectURI, Reason: ReasonMalformed, Value: s}
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
