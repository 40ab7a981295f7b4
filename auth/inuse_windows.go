//go:build windows

package auth

import (
	"errors"

	"golang.org/x/sys/windows"
)

// AddrInUse reports whether err says the port is taken. Winsock answers
// WSAEADDRINUSE, which syscall.EADDRINUSE does not match on Windows.
func AddrInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }
