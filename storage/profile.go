package storage

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Environments a profile can talk to.
const (
	EnvDouyin  = "douyin"  // the real platform at DefaultBaseURL
	EnvSandbox = "sandbox" // the local sandbox emulator at Profile.BaseURL
	EnvCustom  = "custom"  // any server at Profile.BaseURL
)

// Ways a profile receives the authorization callback.
const (
	ModeLoopback = "loopback" // the redirect URI points at a local listener
	ModePaste    = "paste"    // the user pastes the redirected URL back
	ModeRelay    = "relay"    // a relay page forwards code and state to a local listener
)

// ServiceName is the keyring service under which all secrets are stored.
const ServiceName = "douyin-auth-desk"

// DefaultBaseURL is the base URL of the Douyin Open Platform.
const DefaultBaseURL = "https://open.douyin.com"

// MaxNameLength is the largest number of characters in a profile name.
const MaxNameLength = 64

// ErrNoProfile is returned for a profile name that is not stored.
var ErrNoProfile = errors.New("storage: no such profile")

// Profile is the stored, non-secret configuration of one app, with the
// accounts that authorized it. Its client secret and tokens are kept in the
// keyring; see SetSecret and Tokens.
type Profile struct {
	Name          string   `json:"name"`
	Environment   string   `json:"environment"` // EnvDouyin, EnvSandbox or EnvCustom
	BaseURL       string   `json:"base_url"`    // used with EnvSandbox and EnvCustom
	ClientKey     string   `json:"client_key"`
	Scopes        []string `json:"scopes"`
	OptionalScope string   `json:"optional_scope,omitempty"`
	RedirectURI   string   `json:"redirect_uri"`
	CallbackMode  string   `json:"callback_mode"` // ModeLoopback, ModePaste or ModeRelay
	// RelayTarget is the loopback URL, with a fixed port, that the relay
	// page forwards the callback to; required with ModeRelay.
	RelayTarget string            `json:"relay_target,omitempty"`
	Accounts    []auth.Account    `json:"accounts"`
	ClientToken *auth.ClientToken `json:"client_token,omitempty"` // metadata only
}

// Endpoint returns the base URL the profile's requests go to, without a
// trailing slash: DefaultBaseURL for EnvDouyin (and for an empty or unknown
// environment), BaseURL for EnvSandbox and EnvCustom. It returns "" for a
// sandbox or custom profile without a BaseURL.
func (p Profile) Endpoint() string {
	switch p.Environment {
	case EnvSandbox, EnvCustom:
		return strings.TrimRight(p.BaseURL, "/")
	}
	return DefaultBaseURL
}

// Reason says what is wrong with a value.
type Reason string

// Reasons a FieldError can carry.
const (
	ReasonEmpty     Reason = "empty"     // the value is required
	ReasonUntrimmed Reason = "untrimmed" // leading or trailing white space
	ReasonTooLong   Reason = "too-long"  // longer than allowed
	ReasonControl   Reason = "control"   // contains a control character
	ReasonSlash     Reason = "slash"     // contains "/"
	ReasonUnknown   Reason = "unknown"   // not one of the accepted values
	ReasonMalformed Reason = "malformed" // cannot be parsed
	ReasonNegative  Reason = "negative"  // a duration below zero
)

// FieldError reports a value that the store does not accept.
type FieldError struct {
	Field  string // the JSON name of the field, e.g. "name" or "base_url"
	Reason Reason
	Value  string // the offending value, never a secret
}

func (e *FieldError) Error() string { return "storage: " + e.Message("en") }

// Message returns the error in the given language ("zh" or "en").
func (e *FieldError) Message(lang string) string {
	zh := isZH(lang)
	var en, cn string
	switch e.Reason {
	case ReasonEmpty:
		en, cn = "must not be empty", "不能为空"
	case ReasonUntrimmed:
		en, cn = "must not start or end with white space", "首尾不能有空白字符"
	case ReasonTooLong:
		en, cn = fmt.Sprintf("must be at most %d characters", MaxNameLength), fmt.Sprintf("最多 %d 个字符", MaxNameLength)
	case ReasonControl:
		en, cn = "must not contain control characters", "不能含控制字符"
	case ReasonSlash:
		en, cn = `must not contain "/"`, "不能含“/”"
	case ReasonUnknown:
		en, cn = fmt.Sprintf("has an unknown value %q", e.Value), fmt.Sprintf("取值 %q 无效", e.Value)
	case ReasonNegative:
		en, cn = "must not be negative", "不能为负数"
	default:
		en, cn = fmt.Sprintf("is malformed: %q", e.Value), fmt.Sprintf("格式不正确：%q", e.Value)
	}
	if zh {
		return fieldName(e.Field, 0) + " " + cn
	}
	return fieldName(e.Field, 1) + " " + en
}

// fieldNames holds the names a user knows fields by, in Chinese and
// English, where they differ from the field's own name.
var fieldNames = map[string][2]string{"name": {"配置名称", "profile name"}}

func fieldName(field string, i int) string {
	if n, ok := fieldNames[field]; ok {
		return n[i]
	}
	return field
}

// ValidateName reports, as a *FieldError, why name cannot name a profile: it
// must be non-empty, without leading or trailing white space, at most
// MaxNameLength characters, and free of control characters and "/".
func ValidateName(name string) error {
	return validateID("name", name, MaxNameLength)
}

// validateID checks a name that becomes part of a keyring entry name.
func validateID(field, s string, max int) error {
	switch {
	case s == "":
		return &FieldError{Field: field, Reason: ReasonEmpty}
	case strings.TrimSpace(s) != s:
		return &FieldError{Field: field, Reason: ReasonUntrimmed, Value: s}
	case !utf8.ValidString(s):
		return &FieldError{Field: field, Reason: ReasonMalformed, Value: s}
	case max > 0 && utf8.RuneCountInString(s) > max:
		return &FieldError{Field: field, Reason: ReasonTooLong, Value: s}
	case strings.Contains(s, "/"):
		return &FieldError{Field: field, Reason: ReasonSlash, Value: s}
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return &FieldError{Field: field, Reason: ReasonControl, Value: s}
	}
	return nil
}

// normalize checks the settings fields of p and fills in the defaults for an
// empty Environment (EnvDouyin) and CallbackMode (ModeLoopback).
func (p *Profile) normalize() error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	switch p.Environment {
	case "":
		p.Environment = EnvDouyin
	case EnvDouyin, EnvSandbox, EnvCustom:
	default:
		return &FieldError{Field: "environment", Reason: ReasonUnknown, Value: p.Environment}
	}
	switch p.CallbackMode {
	case "":
		p.CallbackMode = ModeLoopback
	case ModeLoopback, ModePaste, ModeRelay:
	default:
		return &FieldError{Field: "callback_mode", Reason: ReasonUnknown, Value: p.CallbackMode}
	}
	if p.CallbackMode == ModeRelay {
		if p.RelayTarget == "" {
			return &FieldError{Field: "relay_target", Reason: ReasonEmpty}
		}
		if _, err := auth.RelayPage(p.RelayTarget); err != nil {
			return &FieldError{Field: "relay_target", Reason: ReasonMalformed, Value: p.RelayTarget}
		}
	}
	if p.Environment == EnvCustom && p.BaseURL == "" {
		return &FieldError{Field: "base_url", Reason: ReasonEmpty}
	}
	if p.Environment != EnvDouyin && p.BaseURL != "" {
		if err := ValidateBaseURL(p.BaseURL); err != nil {
			return err
		}
	}
	if p.Scopes == nil {
		p.Scopes = []string{}
	}
	return nil
}

// ValidateBaseURL reports, as a *FieldError, why s cannot be a platform
// base URL: it must be an absolute http(s) URL without user, query or
// fragment.
func ValidateBaseURL(s string) error {
	if s == "" {
		return &FieldError{Field: "base_url", Reason: ReasonEmpty}
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return &FieldError{Field: "base_url", Reason: ReasonMalformed, Value: s}
	}
	return nil
}

// App returns what the OAuth flow needs of p, with its client secret.
func (p Profile) App(secret string) auth.App {
	return auth.App{ClientKey: p.ClientKey, ClientSecret: secret, Scopes: p.Scopes,
		OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI}
}

// Settings are the app-wide preferences.
type Settings struct {
	Language            string        `json:"language"`               // "" follows the system, "zh" or "en"
	NotifyAccessBefore  time.Duration `json:"notify_access_before"`   // warn this long before an access token expires
	NotifyRefreshBefore time.Duration `json:"notify_refresh_before"`  // warn this long before a refresh token expires
	AutoRefreshBelow    time.Duration `json:"auto_refresh_below"`     // refresh access tokens with less life left; 0 is off
	KeepInTray          bool          `json:"keep_in_tray"`           // closing the window keeps the app in the tray
	LastProfile         string        `json:"last_profile,omitempty"` // the profile the window opens with
}

// DefaultSettings returns the settings used until the user changes them:
// the system language, warnings 24 hours before an access token and 72 hours
// before a refresh token expires, no automatic refresh, and quitting when the
// window closes.
func DefaultSettings() Settings {
	return Settings{
		NotifyAccessBefore:  24 * time.Hour,
		NotifyRefreshBefore: 72 * time.Hour,
	}
}

// validate reports, as a *FieldError, the first setting that cannot be used.
func (s Settings) validate() error {
	switch s.Language {
	case "", "zh", "en":
	default:
		return &FieldError{Field: "language", Reason: ReasonUnknown, Value: s.Language}
	}
	for _, d := range []struct {
		field string
		v     time.Duration
	}{
		{"notify_access_before", s.NotifyAccessBefore},
		{"notify_refresh_before", s.NotifyRefreshBefore},
		{"auto_refresh_below", s.AutoRefreshBelow},
	} {
		if d.v < 0 {
			return &FieldError{Field: d.field, Reason: ReasonNegative, Value: d.v.String()}
		}
	}
	return nil
}
