package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

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
	dir         string
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
// store is SessionOnly.
//
// Open also finishes any refresh-token replacement that an earlier process
// left half done. An unreadable profiles.json is renamed aside (see Notices);
// that is not an error.
func Open(dir string) (*Store, error) {
	return OpenWith(dir, Keyring())
}

// OpenWith is like Open but keeps secrets in secrets. When secrets fails a
// probe (writing, reading back and deleting one entry), or is nil, or was
// made by Memory, the store keeps secrets in memory only and is SessionOnly.
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

	s := &Store{dir: dir, secrets: secrets}
	if repaired != nil {
		s.addNotice(*repaired)
	}
	switch secrets.(type) {
	case nil:
		s.secrets = Memory()
		s.sessionOnly = true
		s.addNotice(Notice{Kind: NoticeSessionOnly})
	case *memorySecrets:
		s.sessionOnly = true
		s.addNotice(Notice{Kind: NoticeSessionOnly})
	default:
		if err := probe(secrets); err != nil {
			s.secrets = Memory()
			s.sessionOnly = true
			s.addNotice(Notice{Kind: NoticeSessionOnly, Detail: err.Error()})
		}
	}

	err = s.update(func(tx *txn) error {
		if s.sessionOnly {
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
// secrets are kept in the memory of this process only.
func (s *Store) SessionOnly() bool { return s.sessionOnly }

// NoticeDetails returns, oldest first, what the store had to do that the user
// must be told about: keeping an unreadable profiles.json aside, or keeping
// secrets for this session only.
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
// (everything except Accounts and ClientToken, which are ignored: only the
// methods of Tokens and DeleteAccount change them). An empty Environment
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
		keep := fp.ClientToken
		fp.Profile = p
		fp.Profile.Accounts = nil
		fp.ClientToken = keep
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
// profiles.json and the copies of it kept aside. When an entry cannot be
// deleted, the files are kept so that a later call can find it again, and
// the error is returned.
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
			if n == fileName || (strings.HasPrefix(n, fileName+".") && (strings.HasSuffix(n, ".bak") || strings.Contains(n, ".tmp-"))) {
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
		if err := s.secrets.Delete(k); err != nil && !errors.Is(err, ErrSecretNotFound) {
			errs = append(errs, fmt.Errorf("deleting %s: %w", k, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	return nil
}

// The file.

// fileData is the content of profiles.json.
type fileData struct {
	Version  int           `json:"version"`
	Profiles []fileProfile `json:"profiles"`
	Settings *Settings     `json:"settings,omitempty"`
}

// fileProfile is a Profile as stored, with what its accounts need to find
// their keyring entries.
type fileProfile struct {
	Profile
	Accounts []fileAccount `json:"accounts"` // replaces Profile.Accounts
}

// fileAccount is an account as stored.
type fileAccount struct {
	Account auth.Account `json:"account"`
	// Generation numbers the keyring entry holding the refresh token. It
	// is 0 for an account whose first grant is still being saved.
	Generation int `json:"refresh_generation"`
	// Retired lists earlier generations whose entries may still exist
	// because deleting them failed or was interrupted.
	Retired []int `json:"retired_generations,omitempty"`
	// Pending is the account data of a grant whose refresh token is being
	// stored as generation Generation+1.
	Pending *auth.Account `json:"pending,omitempty"`
}

func emptyData() *fileData {
	return &fileData{Version: formatVersion, Profiles: []fileProfile{}}
}

func (d *fileData) profile(name string) (*fileProfile, error) {
	for i := range d.Profiles {
		if d.Profiles[i].Name == name {
			return &d.Profiles[i], nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrNoProfile, name)
}

func (d *fileData) settings() Settings {
	if d.Settings == nil {
		return DefaultSettings()
	}
	return *d.Settings
}

// public returns fp as a Profile with the accounts that hold a grant.
func (fp *fileProfile) public() Profile {
	p := fp.Profile
	p.Scopes = slices.Clone(p.Scopes)
	p.Accounts = nil
	for _, a := range fp.Accounts {
		if a.Generation > 0 {
			p.Accounts = append(p.Accounts, a.Account)
		}
	}
	if p.ClientToken != nil {
		ct := *p.ClientToken
		p.ClientToken = &ct
	}
	return p
}

func (fp *fileProfile) account(openID string) *fileAccount {
	for i := range fp.Accounts {
		if fp.Accounts[i].Account.OpenID == openID {
			return &fp.Accounts[i]
		}
	}
	return nil
}

// keys returns the names of every keyring entry the profile may have.
func (fp *fileProfile) keys() []string {
	keys := []string{secretKey(fp.Name), clientTokenKey(fp.Name)}
	for i := range fp.Accounts {
		keys = append(keys, fp.Accounts[i].keys(fp.Name)...)
	}
	return keys
}

// keys returns the names of every keyring entry the account may have.
func (fa *fileAccount) keys(profile string) []string {
	id := fa.Account.OpenID
	keys := []string{accessKey(profile, id)}
	for _, g := range fa.Retired {
		keys = append(keys, refreshKey(profile, id, g))
	}
	if fa.Generation > 0 {
		keys = append(keys, refreshKey(profile, id, fa.Generation))
	}
	return append(keys, refreshKey(profile, id, fa.Generation+1))
}

// parseFile decodes profiles.json. A file that cannot be used is reported as
// a Notice (without its Path) instead of an error.
func parseFile(b []byte) (*fileData, *Notice) {
	corrupt := func(format string, args ...any) (*fileData, *Notice) {
		return nil, &Notice{Kind: NoticeCorrupt, Detail: fmt.Sprintf(format, args...)}
	}
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return corrupt("%v", err)
	}
	switch {
	case head.Version == nil:
		return corrupt("no format version")
	case *head.Version > formatVersion:
		return nil, &Notice{Kind: NoticeFutureVersion, Version: *head.Version}
	case *head.Version < 1:
		return corrupt("unknown format version %d", *head.Version)
	}
	var raw struct {
		Profiles []fileProfile   `json:"profiles"`
		Settings json.RawMessage `json:"settings"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return corrupt("%v", err)
	}
	d := emptyData()
	if raw.Profiles != nil {
		d.Profiles = raw.Profiles
	}
	if len(raw.Settings) > 0 && !bytes.Equal(raw.Settings, []byte("null")) {
		st := DefaultSettings()
		if err := json.Unmarshal(raw.Settings, &st); err != nil {
			return corrupt("settings: %v", err)
		}
		d.Settings = &st
	}
	names := make(map[string]bool)
	for i := range d.Profiles {
		fp := &d.Profiles[i]
		if err := ValidateName(fp.Name); err != nil || names[fp.Name] {
			return corrupt("invalid or repeated profile name %q", fp.Name)
		}
		names[fp.Name] = true
		fp.Profile.Accounts = nil
		ids := make(map[string]bool)
		for _, a := range fp.Accounts {
			if validateID(auth.FieldOpenID, a.Account.OpenID, 0) != nil || ids[a.Account.OpenID] || a.Generation < 0 {
				return corrupt("profile %q: invalid account %q", fp.Name, a.Account.OpenID)
			}
			ids[a.Account.OpenID] = true
		}
		if fp.Accounts == nil {
			fp.Accounts = []fileAccount{}
		}
		if fp.Scopes == nil {
			fp.Scopes = []string{}
		}
	}
	return d, nil
}

// readFile reads profiles.json; a missing file reads as an empty store.
func (s *Store) readFile() (*fileData, *Notice, error) {
	path := filepath.Join(s.dir, fileName)
	b, err := readNoFollow(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyData(), nil, nil
	}
	if err != nil {
		if st, lerr := os.Lstat(path); lerr == nil && st.Mode()&fs.ModeSymlink != 0 {
			return emptyData(), &Notice{Kind: NoticeSymlink}, nil
		}
		return nil, nil, fmt.Errorf("storage: %w", err)
	}
	d, bad := parseFile(b)
	return d, bad, nil
}

// loadLocked reads profiles.json while the exclusive lock is held, renaming
// an unusable file aside and starting empty.
func (s *Store) loadLocked() (*fileData, error) {
	d, bad, err := s.readFile()
	if err != nil || bad == nil {
		return d, err
	}
	path := filepath.Join(s.dir, fileName)
	stamp := time.Now().UTC().Format("20060102T150405Z")
	aside := ""
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s.%s.bak", fileName, stamp)
		if i > 1 {
			name = fmt.Sprintf("%s.%s-%d.bak", fileName, stamp, i)
		}
		aside = filepath.Join(s.dir, name)
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	if err := os.Rename(path, aside); err != nil {
		return nil, fmt.Errorf("storage: keeping the unreadable %s aside: %w", fileName, err)
	}
	if err := syncDir(s.dir); err != nil {
		return nil, err
	}
	bad.Path = aside
	s.addNotice(*bad)
	return emptyData(), nil
}

// readNoFollow reads the file at path, failing if it is a symbolic link.
func readNoFollow(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// writeFile replaces profiles.json with d atomically.
func (s *Store) writeFile(d *fileData) error {
	d.Version = formatVersion
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return fmt.Errorf("storage: %w", err)
	}
	b = append(b, '\n')
	if err := writeAtomic(s.dir, fileName, b); err != nil {
		return fmt.Errorf("storage: writing %s: %w", fileName, err)
	}
	return nil
}

// writeAtomic writes data to dir/name through a synced temporary file in
// dir that is renamed over it, then syncs dir.
func writeAtomic(dir, name string, data []byte) (err error) {
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err = f.Chmod(0o600); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return err
	}
	// The new content is in place for every reader from here on; failing
	// to make the rename durable must not be reported as the write failing,
	// or a caller would undo changes that the file already records.
	_ = syncDir(dir)
	return nil
}

// Locking.

// txn is a change to profiles.json under the exclusive lock.
type txn struct {
	s *Store
	d *fileData
}

// commit writes the current state of tx.d.
func (tx *txn) commit() error { return tx.write("commit") }

// write writes the current state of tx.d as the step called name.
func (tx *txn) write(name string) error {
	if err := step(name); err != nil {
		return err
	}
	return tx.s.writeFile(tx.d)
}

// lock opens profiles.lock and locks it.
func (s *Store) lock(exclusive bool) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(s.dir, lockName), os.O_RDWR|os.O_CREATE|noFollow, 0o600)
	if err != nil {
		return nil, fmt.Errorf("storage: opening %s (a symbolic link is not followed): %w", lockName, err)
	}
	if err := lockFile(f, exclusive); err != nil {
		f.Close()
		return nil, fmt.Errorf("storage: locking %s: %w", lockName, err)
	}
	return f, nil
}

func unlock(f *os.File) {
	unlockFile(f)
	f.Close()
}

// update runs fn under the exclusive lock with the current file content. fn
// calls tx.commit to write its changes.
func (s *Store) update(fn func(tx *txn) error) error {
	f, err := s.lock(true)
	if err != nil {
		return err
	}
	defer unlock(f)
	d, err := s.loadLocked()
	if err != nil {
		return err
	}
	return fn(&txn{s: s, d: d})
}

// view runs fn under the shared lock with the current file content, which fn
// must not change.
func (s *Store) view(fn func(d *fileData) error) error {
	f, err := s.lock(false)
	if err != nil {
		return err
	}
	d, bad, err := s.readFile()
	if err != nil || bad == nil {
		defer unlock(f)
		if err != nil {
			return err
		}
		return fn(d)
	}
	// The file must be renamed aside, which needs the exclusive lock.
	unlock(f)
	return s.update(func(tx *txn) error { return fn(tx.d) })
}

// stepHook, when set, is called before each step of a change that touches
// both the keyring and profiles.json; an error it returns stands for that
// step failing. Tests use it to interrupt changes at every point.
var stepHook func(step string) error

func step(name string) error {
	if stepHook != nil {
		return stepHook(name)
	}
	return nil
}
