//go:build !unix && !windows

package storage

import (
	"os"
	"sync"
)

// fallbackLock stands in for a file lock on systems without one; it excludes
// other users of the store in this process only, and every lock is
// exclusive.
var fallbackLock sync.Mutex

func lockFile(*os.File, bool) error {
	fallbackLock.Lock()
	return nil
}

func unlockFile(*os.File) error {
	fallbackLock.Unlock()
	return nil
}

func syncDir(string) error { return nil }
