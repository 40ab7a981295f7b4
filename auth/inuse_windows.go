//go:build windows

package auth

import (
	"errors"

	"golang.org/x/sys/windows"
)

// addrInUse reports whether err says the port is taken. Winsock answers
// WSAEADDRINUSE, which syscall.EADDRINUSE does not match on Windows.
func addrInUse(err error) bool { return errors.Is(err, windows.WSAEADDRINUSE) }
