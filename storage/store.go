package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// ConfigDirEnv is the environment variable that overrides DefaultDir.
const ConfigDirEnv = "DOUYIN_AUTH_DESK_CONFIG_DIR"

const (
	fileName      = "profiles.json"
	lockName      = "profiles.lock"
	formatVersion = 1
)

// DefaultDir returns the configuration directory: $DOUYIN_AUTH_DESK_CONFIG_DIR
// when set, and otherwise douyin-auth-desk under os.UserConfigDir.
func DefaultDir() (string, error) {
	if d := os.Getenv(ConfigDirEnv); d != "" {
		return d, nil
	}
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("storage: finding the configuration directory: %w", err)
	}
	return filepath.Join(base, "douyin-auth-desk"), nil
}

// Store is the persistent store of profiles, accounts, settings and their
// secrets in one configuration directory. Its methods are safe for
// concurrent use, also by several processes sharing the directory.
type Store struct {
	dir string
	// backend is the keyring the store was opened with; secrets is where
	// secrets go once it was probed (see keyring), and sessionOnly whether
	// that is the memory instead. probed is set once they are.
	backend     Secrets
	probeOnce   sync.Once
	probed      atomic.Bool
	secrets     Secrets
	sessionOnly bool

	mu      sync.Mutex
	notices []Notice
	// held are the grants that could not be saved in full, kept for the
	// session by profile and open_id.
	held map[string]auth.Grant
}

// Open opens the store in dir, or in DefaultDir when dir is "", creating the
// directory with mode 0700 when it does not exist. Secrets go to the system
// keyring (Keyring); when it cannot be used, they are kept in memory and the
// store is SessionOnly. The keyring is probed when the store first needs it,
// so that reading profiles and settings never waits on it.
//
// Open also finishes any refresh-token replacement that an earlier process
// left half done, probing the keyring at once to do so. An unreadable
// profiles.json is renamed aside (see Notices); that is not an error.
func Open(dir string) (*Store, error) {
	return OpenWith(dir, Keyring())
}

// OpenWith is like Open but keeps secrets in secrets. When secrets fails a
// probe (writing, reading back and deleting one entry), or is nil, or was
// made by Memory, the store keeps secrets in memory only and is SessionOnly.
// The probe runs when the store first touches a secret or is asked
// SessionOnly.
func OpenWith(dir string, secrets Secrets) (*Store, error) {
	if dir == "" {
		var err error
		if dir, err = DefaultDir(); err != nil {
			return nil, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
		if err := os.Chmod(dir, 0o700); err != nil {
			return nil, fmt.Errorf("storage: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	repaired, err := trustDir(dir)
	if err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}

	s := &Store{dir: dir, backend: secrets}
	if repaired != nil {
		s.addNotice(*repaired)
	}
	err = s.update(func(tx *txn) error {
		if !tx.d.unsettled() {
			return nil
		}
		if s.keyring(); s.sessionOnly {
			// The keyring holding any half-done replacement is out of reach.
			return nil
		}
		return s.recoverAll(tx)
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// Dir returns the configuration directory of the store.
func (s *Store) Dir() string { return s.dir }

// SessionOnly reports whether the system keyring could not be used, so that
// secrets are kept in the memory of this process only. It probes the
// keyring if the store has not used it yet, which may wait on D-Bus.
func (s *Store) SessionOnly() bool {
	s.keyring()
	return s.sessionOnly
}

// SessionOnlyKnown is SessionOnly without the wait: known is false until
// the store has probed the keyring.
func (s *Store) SessionOnlyKnown() (sessionOnly, known bool) {
	if !s.probed.Load() {
		return false, false
	}
	return s.sessionOnly, true
}

// keyring returns where secrets go, probing the keyring the first time
// (see OpenWith).
func (s *Store) keyring() Secrets {
	s.probeOnce.Do(func() {
		defer s.probed.Store(true)
		switch s.backend.(type) {
		case nil:
			s.secrets, s.sessionOnly = Memory(), true
			s.addNotice(Notice{Kind: NoticeSessionOnly})
		case *memorySecrets:
			s.secrets, s.sessionOnly = s.backend, true
			s.addNotice(Notice{Kind: NoticeSessionOnly})
		default:
			if err := probe(s.backend); err != nil {
				s.secrets, s.sessionOnly = Memory(), true
				s.addNotice(Notice{Kind: NoticeSessionOnly, Detail: err.Error()})
				return
			}
			s.secrets = s.backend
		}
	})
	return s.secrets
}

// NoticeDetails returns, oldest first, what the store had to do that the user
// must be told about: keeping an unreadable profiles.json aside, or keeping
// secrets for this session only (once the keyring was probed).
func (s *Store) NoticeDetails() []Notice {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.notices)
}

// Notices returns the messages of NoticeDetails in English.
func (s *Store) Notices() []string {
	var msgs []string
	for _, n := range s.NoticeDetails() {
		msgs = append(msgs, n.Message("en"))
	}
	return msgs
}

func (s *Store) addNotice(n Notice) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.notices = append(s.notices, n)
}

// Profiles returns all profiles, sorted by name, as currently stored.
func (s *Store) Profiles() ([]Profile, error) {
	var ps []Profile
	err := s.view(func(d *fileData) error {
		for i := range d.Profiles {
			ps = append(ps, d.Profiles[i].public())
		}
		return nil
	})
	slices.SortFunc(ps, func(a, b Profile) int { return strings.Compare(a.Name, b.Name) })
	return ps, err
}

// Profile returns the profile called name, or an error wrapping ErrNoProfile.
func (s *Store) Profile(name string) (Profile, error) {
	var p Profile
	err := s.view(func(d *fileData) error {
		fp, err := d.profile(name)
		if err != nil {
			return err
		}
		p = fp.public()
		return nil
	})
	return p, err
}

// SaveProfile creates the profile p.Name or replaces its settings fields
// (everything except Accounts, ClientToken, StableClientToken and
// ClientTokenConfirmed, which are ignored: only the methods of Tokens,
// DeleteAccount and ConfirmClientToken change them; a new client_key or
// endpoint clears ClientTokenConfirmed, since the consent was given for
// the credentials before). An empty Environment
// becomes EnvDouyin and an empty CallbackMode ModeLoopback. It returns a
// *auth.FieldError for a name that ValidateName rejects, an unknown environment
// or callback mode, or a BaseURL that is missing for EnvCustom or is not an
// absolute http(s) URL.
func (s *Store) SaveProfile(p Profile) error {
	if err := p.normalize(); err != nil {
		return err
	}
	p.Scopes = slices.Clone(p.Scopes)
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(p.Name)
		if err != nil {
			tx.d.Profiles = append(tx.d.Profiles, fileProfile{Accounts: []fileAccount{}})
			fp = &tx.d.Profiles[len(tx.d.Profiles)-1]
		}
		before := fp.Profile
		fp.Profile = p
		fp.Profile.Accounts = nil
		fp.ClientToken, fp.StableClientToken = before.ClientToken, before.StableClientToken
		fp.ClientTokenConfirmed = before.ClientTokenConfirmed &&
			before.ClientKey == p.ClientKey && before.Endpoint() == p.Endpoint()
		return tx.commit()
	})
}

// ConfirmClientToken records that the user of profile consented to fetch
// rotating client tokens (see Profile.ClientTokenNeedsConfirmation). It
// returns an error wrapping ErrNoProfile for an unknown profile.
func (s *Store) ConfirmClientToken(profile string) error {
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(profile)
		if err != nil {
			return err
		}
		if fp.ClientTokenConfirmed {
			return nil
		}
		fp.ClientTokenConfirmed = true
		return tx.commit()
	})
}

// SetSecret stores the client secret of the profile in the keyring, or
// deletes it when clientSecret is "". It returns an error wrapping
// ErrNoProfile for an unknown profile and one wrapping ErrSecretTooLarge for
// a secret longer than MaxSecretSize bytes.
func (s *Store) SetSecret(profile, clientSecret string) error {
	if clientSecret != "" {
		if err := checkSecret("client_secret", clientSecret); err != nil {
			return err
		}
	}
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(profile)
		if err != nil {
			return err
		}
		if clientSecret == "" {
			return s.deleteKeys(secretKey(profile))
		}
		return s.setFor(fp, secretKey(profile), clientSecret)
	})
}

// Secret returns the client secret of the profile. It returns an error
// wrapping ErrNoProfile for an unknown profile and ErrNoSecret when no
// secret is stored.
func (s *Store) Secret(profile string) (string, error) {
	var secret string
	err := s.view(func(d *fileData) error {
		fp, err := d.profile(profile)
		if err != nil {
			return err
		}
		v, err := s.getFor(fp, secretKey(profile))
		if errors.Is(err, ErrSecretNotFound) {
			return ErrNoSecret
		}
		secret = v
		return err
	})
	return secret, err
}

// DeleteProfile deletes the profile and all its keyring entries: the client
// secret, the client token and the tokens of every account. When an entry
// cannot be deleted the profile is kept, so that a later call can find the
// remaining entries.
func (s *Store) DeleteProfile(name string) error {
	s.forgetHeld(name, "")
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(name)
		if err != nil {
			return err
		}
		if err := s.deleteKeys(fp.keys()...); err != nil {
			return err
		}
		tx.d.Profiles = slices.DeleteFunc(tx.d.Profiles, func(p fileProfile) bool { return p.Name == name })
		return tx.commit()
	})
}

// DeleteAccount deletes the account openID of the profile and its keyring
// entries. It returns an error wrapping ErrNoProfile or auth.ErrNoAccount
// when either is unknown. When an entry cannot be deleted the account is
// kept, so that a later call can find the remaining entries.
func (s *Store) DeleteAccount(profile, openID string) error {
	s.forgetHeld(profile, openID)
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(profile)
		if err != nil {
			return err
		}
		fa := fp.account(openID)
		if fa == nil {
			return fmt.Errorf("%w: %q", auth.ErrNoAccount, openID)
		}
		if err := s.deleteKeys(fa.keys(profile)...); err != nil {
			return err
		}
		fp.Accounts = slices.DeleteFunc(fp.Accounts, func(a fileAccount) bool { return a.Account.OpenID == openID })
		return tx.commit()
	})
}

// ForgetEverything deletes every keyring entry of every profile, then
// profiles.json, the copies of it kept aside and the kept HTTP log. When an
// entry cannot be deleted, the files are kept so that a later call can find
// it again, and the error is returned.
func (s *Store) ForgetEverything() error {
	s.forgetHeld("", "")
	return s.update(func(tx *txn) error {
		var keys []string
		for i := range tx.d.Profiles {
			keys = append(keys, tx.d.Profiles[i].keys()...)
		}
		if err := s.deleteKeys(keys...); err != nil {
			return err
		}
		entries, err := os.ReadDir(s.dir)
		if err != nil {
			return fmt.Errorf("storage: %w", err)
		}
		var errs []error
		for _, e := range entries {
			n := e.Name()
			if n == fileName || n == httpLogName || (strings.HasPrefix(n, fileName+".") && (strings.HasSuffix(n, ".bak") || strings.Contains(n, ".tmp-"))) {
				if err := os.Remove(filepath.Join(s.dir, n)); err != nil && !errors.Is(err, fs.ErrNotExist) {
					errs = append(errs, err)
				}
			}
		}
		if err := errors.Join(errs...); err != nil {
			return fmt.Errorf("storage: %w", err)
		}
		return syncDir(s.dir)
	})
}

// Settings returns the stored settings, with DefaultSettings for what was
// never saved.
func (s *Store) Settings() (Settings, error) {
	var st Settings
	err := s.view(func(d *fileData) error {
		st = d.settings()
		return nil
	})
	return st, err
}

// SaveSettings stores st. It returns a *auth.FieldError for a language other than
// "", "zh" and "en", or a negative duration.
func (s *Store) SaveSettings(st Settings) error {
	if err := st.validate(); err != nil {
		return err
	}
	return s.update(func(tx *txn) error {
		tx.d.Settings = &st
		return tx.commit()
	})
}

// deleteKeys deletes the keyring entries, ignoring those already absent, and
// returns the errors of the others.
func (s *Store) deleteKeys(keys ...string) error {
	var errs []error
	for _, k := range keys {
		if err := s.keyring().Delete(k); err != nil && !errors.Is(err, ErrSecretNotFound) {
			errs = append(errs, fmt.Errorf("deleting %s: %w", k, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}
