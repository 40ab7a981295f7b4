//go:build !unix

package storage

// noFollow is zero: creating a symbolic link on Windows takes a privilege
// (or developer mode) that the user's own processes do not have by default.
const noFollow = 0

// trustDir accepts the directory: on Windows the configuration directory
// under %AppData% is private through the per-user ACL it inherits.
func trustDir(string) (*Notice, error) { return nil, nil }
