package storage

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// A keyring entry is named after its profile only, so a profile of the
// same name in another configuration directory, or one edited to point
// elsewhere, would find it. Every secret is therefore stored with what it
// was stored for, the profile's client_key and endpoint, and given back only
// to a profile that still has both:
//
//	douyin-auth-desk/bound/1 LF <client_key> LF <endpoint> LF <secret>

// sealPrefix starts every bound keyring value.
const sealPrefix = "douyin-auth-desk/bound/1\n"

// binding is what a secret was stored for.
type binding struct{ clientKey, endpoint string }

func bindingOf(p *Profile) binding {
	return binding{clientKey: p.ClientKey, endpoint: canonicalEndpoint(p.Endpoint())}
}

// canonicalEndpoint lowercases the scheme and host of a base URL, which
// name the same server in any case.
func canonicalEndpoint(e string) string {
	u, err := url.Parse(e)
	if err != nil || u.Host == "" {
		return e
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/")
}

// seal returns the keyring value holding v for b.
func seal(b binding, v string) string {
	return sealPrefix + b.clientKey + "\n" + b.endpoint + "\n" + v
}

// unseal returns the secret in the keyring value stored under key when it
// was stored for b. A value stored before secrets were bound is given only
// to a profile whose requests go to the platform itself or to this machine.
func unseal(b binding, profile, key, stored string) (string, error) {
	rest, ok := strings.CutPrefix(stored, sealPrefix)
	if !ok {
		if b.endpoint == auth.DefaultBaseURL || b.endpoint == auth.PlatformSandboxURL || isLoopbackURL(b.endpoint) {
			return stored, nil
		}
		return "", &BindingError{Profile: profile, Secret: secretName(key), Now: b}
	}
	parts := strings.SplitN(rest, "\n", 3)
	if len(parts) != 3 {
		return "", fmt.Errorf("storage: the keyring entry %s is damaged", key)
	}
	was := binding{clientKey: parts[0], endpoint: parts[1]}
	if was != b {
		return "", &BindingError{Profile: profile, Secret: secretName(key), Was: &was, Now: b}
	}
	return parts[2], nil
}

func isLoopbackURL(e string) bool {
	u, err := url.Parse(e)
	if err != nil {
		return false
	}
	ip := net.ParseIP(u.Hostname())
	return u.Hostname() == "localhost" || ip != nil && ip.IsLoopback()
}

// secretName returns what the keyring entry key holds: client_secret,
// client_token, client_token_stable, access_token or refresh_token.
func secretName(key string) string {
	for _, n := range []string{"client_secret", "client_token", "client_token_stable", "access_token", "refresh_token"} {
		if strings.HasSuffix(key, "/"+n) || strings.Contains(key, "/"+n+"/") {
			return n
		}
	}
	return "secret"
}

// BindingError refuses a secret that was stored for another client_key or
// base URL than the profile has now: nothing is sent, and the user enters
// the client secret again, or authorizes again for tokens.
type BindingError struct {
	Profile string
	Secret  string   // client_secret, client_token, client_token_stable, access_token or refresh_token
	Was     *binding // what it was stored for; nil when stored before secrets were bound
	Now     binding
}

// ErrSecretBinding is matched by every *BindingError.
var ErrSecretBinding = errors.New("storage: the secret was stored for another client_key or base URL")

func (e *BindingError) Is(target error) bool { return target == ErrSecretBinding }

func (e *BindingError) Error() string { return e.Message("en") }

// Message returns the refusal in lang ("zh" or "en").
func (e *BindingError) Message(lang string) string {
	zh := auth.IsChinese(lang)
	var was string
	switch {
	case e.Was == nil && zh:
		was = "保存于密钥绑定之前"
	case e.Was == nil:
		was = "was stored before secrets were bound to their server"
	case zh:
		was = fmt.Sprintf("保存时属于 client_key %s、地址 %s", e.Was.clientKey, e.Was.endpoint)
	default:
		was = fmt.Sprintf("was stored for client_key %s at %s", e.Was.clientKey, e.Was.endpoint)
	}
	if zh {
		return fmt.Sprintf("配置 %q 的 %s %s，而配置现在是 client_key %s、地址 %s：为安全起见不发送它。请重新输入 client_secret（令牌则需重新授权）",
			e.Profile, e.Secret, was, e.Now.clientKey, e.Now.endpoint)
	}
	return fmt.Sprintf("the %s of profile %q %s, but the profile now says client_key %s at %s, so it is not sent. Enter the client secret again (for tokens, authorize again)",
		e.Secret, e.Profile, was, e.Now.clientKey, e.Now.endpoint)
}

// getFor reads the secret under key that the profile fp may use.
func (s *Store) getFor(fp *fileProfile, key string) (string, error) {
	v, err := s.keyring().Get(key)
	if err != nil {
		return "", err
	}
	return unseal(bindingOf(&fp.Profile), fp.Name, key, v)
}

// maxEntrySize is the largest keyring value, the binding included: the
// Windows Credential Manager's limit.
const maxEntrySize = 2560

// setFor stores v under key, bound to the profile fp.
func (s *Store) setFor(fp *fileProfile, key, v string) error {
	sealed := seal(bindingOf(&fp.Profile), v)
	if len(sealed) > maxEntrySize {
		return fmt.Errorf("%w: the %s with the client_key and base URL it is bound to is %d bytes, at most %d fit",
			ErrSecretTooLarge, secretName(key), len(sealed), maxEntrySize)
	}
	return s.keyring().Set(key, sealed)
}
