package storage

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Environments a profile can talk to.
const (
	EnvDouyin  = "douyin"  // the real platform at auth.DefaultBaseURL
	EnvSandbox = "sandbox" // the local sandbox emulator at Profile.BaseURL
	EnvCustom  = "custom"  // any server at Profile.BaseURL
	// EnvDouyinSandbox is the platform's sandbox host at
	// auth.PlatformSandboxURL: documented for mini-apps, unverified for web
	// apps.
	EnvDouyinSandbox = "douyin-sandbox"
)

// UsesBaseURL reports whether a profile of environment env names its server
// in Profile.BaseURL; the platform's own environments have fixed addresses.
func UsesBaseURL(env string) bool { return env == EnvSandbox || env == EnvCustom }

// Ways a profile receives the authorization callback.
const (
	ModeLoopback = "loopback" // the redirect URI points at a local listener
	ModePaste    = "paste"    // the user pastes the redirected URL back
	ModeRelay    = "relay"    // a relay page forwards code and state to a local listener
)

// ServiceName is the keyring service under which all secrets are stored.
const ServiceName = "douyin-auth-desk"

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
	// StableClientToken is stable_client_token's, kept apart from
	// client_token's rotation; metadata only.
	StableClientToken *auth.ClientToken `json:"stable_client_token,omitempty"`
	// ClientTokenConfirmed records that the user accepted, once, the risk
	// of fetching a rotating client token on the real platform (see
	// ClientTokenNeedsConfirmation). Set by Store.ConfirmClientToken.
	ClientTokenConfirmed bool `json:"client_token_confirmed,omitempty"`
}

// Endpoint returns the base URL the profile's requests go to, without a
// trailing slash: auth.DefaultBaseURL for EnvDouyin (and for an empty or
// unknown environment), auth.PlatformSandboxURL for EnvDouyinSandbox, BaseURL
// for EnvSandbox and EnvCustom. It returns "" for a sandbox or custom
// profile without a BaseURL.
func (p Profile) Endpoint() string {
	switch p.Environment {
	case EnvSandbox, EnvCustom:
		return strings.TrimRight(p.BaseURL, "/")
	case EnvDouyinSandbox:
		return auth.PlatformSandboxURL
	}
	return auth.DefaultBaseURL
}

// ValidateName reports, as a *auth.FieldError, why name cannot name a profile: it
// must be non-empty, without leading or trailing white space, at most
// MaxNameLength characters, and free of control characters and "/".
func ValidateName(name string) error {
	return validateID(auth.FieldName, name, MaxNameLength)
}

// validateID checks a name that becomes part of a keyring entry name.
func validateID(field auth.Field, s string, max int) error {
	switch {
	case s == "":
		return &auth.FieldError{Field: field, Reason: auth.ReasonEmpty}
	case strings.TrimSpace(s) != s:
		return &auth.FieldError{Field: field, Reason: auth.ReasonUntrimmed, Value: s}
	case !utf8.ValidString(s):
		return &auth.FieldError{Field: field, Reason: auth.ReasonMalformed, Value: s}
	case max > 0 && utf8.RuneCountInString(s) > max:
		return &auth.FieldError{Field: field, Reason: auth.ReasonTooLong, Value: s, Limit: max}
	case strings.Contains(s, "/"):
		return &auth.FieldError{Field: field, Reason: auth.ReasonSlash, Value: s}
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return &auth.FieldError{Field: field, Reason: auth.ReasonControl, Value: s}
	}
	return nil
}

// normalize checks the settings fields of p and fills in the defaults for an
// empty Environment (EnvDouyin) and CallbackMode (ModeLoopback for a
// loopback or empty redirect URI, ModePaste otherwise).
func (p *Profile) normalize() error {
	if err := ValidateName(p.Name); err != nil {
		return err
	}
	switch p.Environment {
	case "":
		p.Environment = EnvDouyin
	case EnvDouyin, EnvDouyinSandbox, EnvSandbox, EnvCustom:
	default:
		return &auth.FieldError{Field: auth.FieldEnvironment, Reason: auth.ReasonUnknown, Value: p.Environment}
	}
	switch p.CallbackMode {
	case "":
		p.CallbackMode = defaultMode(p.RedirectURI)
	case ModeLoopback, ModePaste, ModeRelay:
	default:
		return &auth.FieldError{Field: auth.FieldCallbackMode, Reason: auth.ReasonUnknown, Value: p.CallbackMode}
	}
	if err := ValidateCallback(p.CallbackMode, p.RedirectURI); err != nil {
		return err
	}
	if p.CallbackMode == ModeRelay {
		if p.RelayTarget == "" {
			return &auth.FieldError{Field: auth.FieldRelayTarget, Reason: auth.ReasonEmpty}
		}
		if _, err := auth.RelayPage(p.RelayTarget); err != nil {
			return &auth.FieldError{Field: auth.FieldRelayTarget, Reason: auth.ReasonMalformed, Value: p.RelayTarget}
		}
	}
	if p.Environment == EnvCustom && p.BaseURL == "" {
		return &auth.FieldError{Field: auth.FieldBaseURL, Reason: auth.ReasonEmpty}
	}
	if UsesBaseURL(p.Environment) && p.BaseURL != "" {
		if err := ValidateBaseURL(p.BaseURL); err != nil {
			return err
		}
	}
	if p.Scopes == nil {
		p.Scopes = []string{}
	}
	return nil
}

// defaultMode is the callback mode that suits redirectURI when none was
// chosen: loopback where the app can listen, paste elsewhere.
func defaultMode(redirectURI string) string {
	if redirectURI == "" || auth.IsLoopbackRedirect(redirectURI) {
		return ModeLoopback
	}
	return ModePaste
}

// ValidateCallback reports, as an *auth.FieldError, a redirect URI
// that callback mode cannot receive: loopback mode listens on this machine
// only, so its redirect URI must be a loopback address. Before, such a
// profile fell back to paste without a word. An empty redirect URI is left
// to auth.ValidateRedirectURI.
func ValidateCallback(mode, redirectURI string) error {
	if mode != ModeLoopback || redirectURI == "" || auth.IsLoopbackRedirect(redirectURI) {
		return nil
	}
	return &auth.FieldError{Field: auth.FieldRedirectURI, Reason: auth.ReasonNotLoopback, Value: redirectURI}
}

// Unwrap returns the field error the form and the command line look for.
// ValidateBaseURL reports, as a *auth.FieldError, why s cannot be a platform
// base URL: it must be an absolute http(s) URL without user, query or
// fragment.
func ValidateBaseURL(s string) error {
	if s == "" {
		return &auth.FieldError{Field: auth.FieldBaseURL, Reason: auth.ReasonEmpty}
	}
	if !auth.IsHTTPURL(s) {
		return &auth.FieldError{Field: auth.FieldBaseURL, Reason: auth.ReasonMalformed, Value: s}
	}
	return nil
}

// InsecureRedirect reports whether p sends users of the real platform back
// to a redirect URI that is not https, which the platform accepts for no
// real app.
func (p Profile) InsecureRedirect() bool {
	u, err := url.Parse(p.RedirectURI)
	return err == nil && p.Endpoint() == auth.DefaultBaseURL && u.Scheme != "https"
}

// ClientTokenNeedsConfirmation reports whether fetching a rotating client
// token for p needs the user's consent first: on the real platform, a new
// client_token ends the previous one after a 5-minute grace (only the
// newest two live; developer.open-douyin.com, client token; see
// douyin-openapi.md §5), so a fetch from here with production credentials
// can end the token that the app's own server holds. The stable token
// needs none, nor do other servers, nor a profile whose user consented
// already.
func (p Profile) ClientTokenNeedsConfirmation() bool {
	return p.Endpoint() == auth.DefaultBaseURL && !p.ClientTokenConfirmed
}

// Credentials returns what the OAuth flow needs of p, with its client secret.
func (p Profile) Credentials(secret string) auth.Credentials {
	return auth.Credentials{ClientKey: p.ClientKey, ClientSecret: secret, Scopes: p.Scopes,
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
	// SandboxPort is the loopback port the window's sandbox listens on
	// first, the next free one when it is taken; 0 is DefaultSandboxPort.
	// A fixed port keeps sandbox profiles working after a restart.
	SandboxPort int `json:"sandbox_port"`
	// KeepHTTPLog keeps the window's HTTP log, masked as shown, across
	// restarts (httplog.json).
	KeepHTTPLog bool `json:"keep_http_log,omitempty"`
}

// DefaultSandboxPort is the port of the window's sandbox until the user
// chooses another, the one the README's sandbox command uses.
const DefaultSandboxPort = 8790

// DefaultSettings returns the settings used until the user changes them:
// the system language, warnings 24 hours before an access token and 72 hours
// before a refresh token expires, no automatic refresh, and quitting when the
// window closes.
func DefaultSettings() Settings {
	return Settings{
		NotifyAccessBefore:  24 * time.Hour,
		NotifyRefreshBefore: 72 * time.Hour,
		SandboxPort:         DefaultSandboxPort,
	}
}

// validate reports, as a *auth.FieldError, the first setting that cannot be used.
func (s Settings) validate() error {
	switch s.Language {
	case "", "zh", "en":
	default:
		return &auth.FieldError{Field: auth.FieldLanguage, Reason: auth.ReasonUnknown, Value: s.Language}
	}
	for _, d := range []struct {
		field auth.Field
		v     time.Duration
	}{
		{"notify_access_before", s.NotifyAccessBefore},
		{"notify_refresh_before", s.NotifyRefreshBefore},
		{"auto_refresh_below", s.AutoRefreshBelow},
	} {
		if d.v < 0 {
			return &auth.FieldError{Field: d.field, Reason: auth.ReasonNegative, Value: d.v.String()}
		}
	}
	if s.SandboxPort < 0 || s.SandboxPort > 65535 {
		return &auth.FieldError{Field: auth.FieldSandboxPort, Reason: auth.ReasonMalformed, Value: strconv.Itoa(s.SandboxPort)}
	}
	return nil
}
