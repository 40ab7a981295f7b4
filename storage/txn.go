package storage

import (
	"fmt"
	"os"
	"path/filepath"
)

// Changes under the lock on profiles.lock, and the step hook that tests use
// to interrupt them.

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
