package storage

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// fakeKeyring is a persistent-looking Secrets that outlives the Stores
// opened on it, lists its keys, and fails or crashes on demand.
type fakeKeyring struct {
	inner *memorySecrets

	mu    sync.Mutex
	fault func(op, key string) error // may panic to stand for a crash
	calls []string
	set   map[string]bool // every key ever written
}

func newFakeKeyring() *fakeKeyring {
	return &fakeKeyring{inner: Memory().(*memorySecrets)}
}

func (f *fakeKeyring) before(op, key string) error {
	f.mu.Lock()
	fault := f.fault
	f.calls = append(f.calls, op+" "+key)
	f.mu.Unlock()
	if fault != nil {
		return fault(op, key)
	}
	return nil
}

func (f *fakeKeyring) Get(key string) (string, error) {
	if err := f.before("get", key); err != nil {
		return "", err
	}
	return f.inner.Get(key)
}

func (f *fakeKeyring) Set(key, value string) error {
	if err := f.before("set", key); err != nil {
		return err
	}
	if err := f.inner.Set(key, value); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.set == nil {
		f.set = map[string]bool{}
	}
	f.set[key] = true
	return nil
}

// everSet reports whether key was ever written.
func (f *fakeKeyring) everSet(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.set[key]
}

func (f *fakeKeyring) Delete(key string) error {
	if err := f.before("delete", key); err != nil {
		return err
	}
	return f.inner.Delete(key)
}

func (f *fakeKeyring) setFault(fault func(op, key string) error) {
	f.mu.Lock()
	f.fault = fault
	f.calls = nil
	f.mu.Unlock()
}

func (f *fakeKeyring) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// keys returns the stored keys, sorted.
func (f *fakeKeyring) keys() []string {
	f.inner.mu.Lock()
	defer f.inner.mu.Unlock()
	var ks []string
	for k := range f.inner.m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (f *fakeKeyring) value(key string) string {
	v, _ := f.inner.Get(key)
	return v
}

var errInjected = errors.New("injected keyring failure")

// openStore opens the store and has it probe its keyring, which it would
// otherwise do at its first secret: a fault a test sets up afterwards
// meets the store's own operations only.
func openStore(t *testing.T, dir string, sec Secrets) *Store {
	t.Helper()
	s, err := OpenWith(dir, sec)
	if err != nil {
		t.Fatalf("OpenWith: %v", err)
	}
	s.SessionOnly()
	return s
}

func saveProfile(t *testing.T, s *Store, name string) {
	t.Helper()
	err := s.SaveProfile(Profile{
		Name:        name,
		ClientKey:   "awkey" + name,
		Scopes:      []string{"user_info"},
		RedirectURI: "http://127.0.0.1:8910/callback",
	})
	if err != nil {
		t.Fatalf("SaveProfile(%q): %v", name, err)
	}
}

var t0 = time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)

func grant(openID, access, refresh string, renewals int) auth.Grant {
	return auth.Grant{
		Account: auth.Account{
			OpenID:          openID,
			Scope:           "user_info",
			AccessObtained:  t0.Add(time.Duration(renewals) * time.Hour),
			AccessExpiry:    t0.Add(time.Duration(renewals)*time.Hour + 15*24*time.Hour),
			RefreshObtained: t0.Add(time.Duration(renewals) * time.Hour),
			RefreshExpiry:   t0.Add(time.Duration(renewals)*time.Hour + 30*24*time.Hour),
			Renewals:        renewals,
		},
		AccessToken:  access,
		RefreshToken: refresh,
	}
}

// withHook sets stepHook for the rest of the test.
func withHook(t *testing.T, hook func(step string) error) {
	t.Helper()
	stepHook = hook
	t.Cleanup(func() { stepHook = nil })
}

// crashes runs fn and reports whether it panicked with the crash marker.
func crashes(fn func() error) (crashed bool, err error) {
	defer func() {
		if r := recover(); r != nil {
			if r != crash {
				panic(r)
			}
			crashed = true
		}
	}()
	return false, fn()
}

// crash is the panic value that stands for the process dying.
var crash = &struct{ name string }{"crash"}

func readFileString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// allFiles returns the content of every file in dir.
func allFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := make(map[string][]byte)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// sealed returns the secret of a keyring value, without what it is bound to.
func sealed(v string) string {
	if rest, ok := strings.CutPrefix(v, sealPrefix); ok {
		if parts := strings.SplitN(rest, "\n", 3); len(parts) == 3 {
			return parts[2]
		}
	}
	return v
}
