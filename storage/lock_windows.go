//go:build windows

package storage

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockFile locks the first byte of f with LockFileEx, shared or exclusive,
// waiting for it.
func lockFile(f *os.File, exclusive bool) error {
	var flags uint32
	if exclusive {
		flags = windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	ol := new(windows.Overlapped)
	return windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, ol)
}

func unlockFile(f *os.File) error {
	ol := new(windows.Overlapped)
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, ol)
}

// syncDir does nothing: Windows cannot sync a directory, and MoveFileEx,
// which os.Rename uses, is durable on its own.
func syncDir(string) error { return nil }
