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
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// profiles.json: its shape, reading it, keeping a bad one aside and
// writing it atomically.

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
	if p.StableClientToken != nil {
		ct := *p.StableClientToken
		p.StableClientToken = &ct
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
	keys := []string{secretKey(fp.Name), clientTokenKey(fp.Name, false), clientTokenKey(fp.Name, true)}
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
