//go:build !windows

package auth

import (
	"errors"
	"syscall"
)

// addrInUse reports whether err says the port is taken.
func addrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
