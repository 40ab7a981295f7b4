//go:build unix

package storage

import (
	"fmt"
	"os"
	"syscall"
)

// noFollow makes an open fail on a symbolic link instead of following it.
const noFollow = syscall.O_NOFOLLOW

// trustDir checks the configuration directory as ssh checks ~/.ssh: one
// owned by another user is refused; one that the group or others may write
// to is made private (0700), and the notice returned says so.
func trustDir(dir string) (*Notice, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("%s is not a directory", dir)
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && int(sys.Uid) != os.Geteuid() {
		return nil, &UntrustedDirError{Dir: dir, Owner: int(sys.Uid), User: os.Geteuid()}
	}
	perm := st.Mode().Perm()
	if perm&0o022 == 0 {
		return nil, nil
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, err
	}
	return &Notice{Kind: NoticeDirRepaired, Path: dir, Detail: fmt.Sprintf("%#o", perm)}, nil
}
