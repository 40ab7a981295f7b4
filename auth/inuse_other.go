//go:build !windows

package auth

import (
	"errors"
	"syscall"
)

// AddrInUse reports whether err says the port is taken.
func AddrInUse(err error) bool { return errors.Is(err, syscall.EADDRINUSE) }
