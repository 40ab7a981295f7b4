package storage

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/zalando/go-keyring"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// MaxSecretSize is the largest secret, in bytes, that the store accepts. It
// stays below the smallest per-entry limit of the supported keyrings
// (about 2.5 KB on Windows, 3 KB on macOS).
const MaxSecretSize = 2048

// ErrNoSecret is returned by Store.Secret when no client secret is stored for
// the profile.
var ErrNoSecret = errors.New("storage: no client secret")

// ErrSecretNotFound is returned by a Secrets implementation for a key that
// holds no secret.
var ErrSecretNotFound = errors.New("storage: secret not found")

// ErrSecretTooLarge is returned for a secret longer than MaxSecretSize bytes.
var ErrSecretTooLarge = errors.New("storage: secret too large for the keyring")

// Secrets is a store of secret strings by key, such as the system keyring.
// Get and Delete return ErrSecretNotFound for a key that holds nothing.
// Implementations must be safe for concurrent use.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
	Delete(key string) error
}

// Keyring returns the system keyring, through go-keyring, with every entry
// under the service ServiceName.
func Keyring() Secrets { return keyringSecrets{} }

// keyringMu serializes calls into go-keyring, whose providers are not all
// safe for concurrent use.
var keyringMu sync.Mutex

type keyringSecrets struct{}

func (keyringSecrets) Get(key string) (string, error) {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	v, err := keyring.Get(ServiceName, key)
	return v, keyringError(err)
}

func (keyringSecrets) Set(key, value string) error {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	return keyringError(keyring.Set(ServiceName, key, value))
}

func (keyringSecrets) Delete(key string) error {
	keyringMu.Lock()
	defer keyringMu.Unlock()
	return keyringError(keyring.Delete(ServiceName, key))
}

func keyringError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return ErrSecretNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		return fmt.Errorf("%w: %v", ErrSecretTooLarge, err)
	}
	return fmt.Errorf("keyring: %w", err)
}

// Memory returns a new, empty Secrets that lives in the memory of the process
// only and is lost when it exits.
func Memory() Secrets { return &memorySecrets{m: make(map[string]string)} }

type memorySecrets struct {
	mu sync.Mutex
	m  map[string]string
}

func (s *memorySecrets) Get(key string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[key]
	if !ok {
		return "", ErrSecretNotFound
	}
	return v, nil
}

func (s *memorySecrets) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[key] = value
	return nil
}

func (s *memorySecrets) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[key]; !ok {
		return ErrSecretNotFound
	}
	delete(s.m, key)
	return nil
}

// Keyring entry names; see the package documentation.

// probeKey is the entry Open writes, reads and deletes to test the keyring;
// the process id keeps two processes from disturbing each other's probe.
func probeKey() string { return "probe/" + strconv.Itoa(os.Getpid()) }

func profilePrefix(profile string) string { return "profile/" + profile + "/" }

func secretKey(profile string) string { return profilePrefix(profile) + "client_secret" }

// clientTokenKey names the entry of the rotating client token, or of the
// stable one: the two are kept apart.
func clientTokenKey(profile string, stable bool) string {
	if stable {
		return profilePrefix(profile) + "client_token_stable"
	}
	return profilePrefix(profile) + "client_token"
}

func accountPrefix(profile, openID string) string {
	return profilePrefix(profile) + "account/" + openID + "/"
}

func accessKey(profile, openID string) string {
	return accountPrefix(profile, openID) + "access_token"
}

func refreshKey(profile, openID string, gen int) string {
	return accountPrefix(profile, openID) + "refresh_token/" + strconv.Itoa(gen)
}

// checkSecret rejects an empty or oversized secret for field.
func checkSecret(field auth.Field, v string) error {
	if v == "" {
		return &auth.FieldError{Field: field, Reason: auth.ReasonEmpty}
	}
	if len(v) > MaxSecretSize {
		return fmt.Errorf("%w: the %s is %d bytes, at most %d fit", ErrSecretTooLarge, field, len(v), MaxSecretSize)
	}
	return nil
}

// probe reports whether secrets can be written, read back and deleted.
func probe(secrets Secrets) error {
	key := probeKey()
	if err := secrets.Set(key, "ok"); err != nil {
		return err
	}
	v, err := secrets.Get(key)
	if err != nil {
		return err
	}
	if v != "ok" {
		return errors.New("keyring: a stored value reads back differently")
	}
	return secrets.Delete(key)
}
