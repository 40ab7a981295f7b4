package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// Exit statuses of the command line, as documented in the help.
const (
	exitOK     = 0 // success
	exitError  = 1 // platform, network or other failure
	exitUsage  = 2 // bad command line or value
	exitReauth = 3 // the user must authorize again (run login)
)

// errHelpShown ends a command whose help was printed.
var errHelpShown = errors.New("help shown")

// usageError is a mistake on the command line; it exits with exitUsage and
// prints the command's usage.
type usageError struct {
	cmd   string // the command, e.g. "login" or "profile add"
	msg   string
	usage string // printed after the message
}

func (u *usageError) Error() string { return u.msg }

// usagef returns a usage error of c.
func (c *command) usagef(format string, a ...any) error {
	return &usageError{cmd: c.name, msg: fmt.Sprintf(format, a...), usage: c.usageLine()}
}

// hintError adds context, a hint on what to do and, when code is non-zero,
// an exit status to an error.
type hintError struct {
	msg  string // shown before the wrapped error's message
	hint string // shown on its own line after it
	code int
	err  error
}

func (h *hintError) Error() string {
	switch {
	case h.err == nil:
		return h.msg
	case h.msg == "":
		return h.err.Error()
	}
	return h.msg + ": " + h.err.Error()
}

func (h *hintError) Unwrap() error { return h.err }

// reauthHint tells how to authorize again.
func reauthHint(profile string) string {
	return fmt.Sprintf("Authorize again with: %s login --profile %s", progName, profile)
}

// withHint adds the re-authorization hint to an error that needs it.
func withHint(err error, profile string) error {
	if err == nil {
		return nil
	}
	var h *hintError
	if exitCode(err) == exitReauth && !errors.As(err, &h) {
		return &hintError{hint: reauthHint(profile), err: err}
	}
	return err
}

// exitCode maps an error to the exit status documented in the help.
func exitCode(err error) int {
	var u *usageError
	var fe *auth.FieldError
	var h *hintError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &u), errors.As(err, &fe), errors.Is(err, storage.ErrNoProfile):
		return exitUsage
	case errors.Is(err, auth.ErrNoAccount), errors.Is(err, storage.ErrSecretBinding), auth.NeedsReauthorization(err):
		return exitReauth
	case errors.As(err, &h) && h.code != 0:
		return h.code
	}
	return exitError
}

// finish reports err on stderr and returns the exit status it calls for.
func (e *env) finish(err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return exitOK
	}
	code := exitCode(err)
	var u *usageError
	if errors.As(err, &u) {
		prefix := progName
		if u.cmd != "" {
			prefix += " " + u.cmd
		}
		e.printError(prefix, u.msg)
		if u.usage != "" {
			fmt.Fprint(e.stderr, u.usage)
		}
		return code
	}
	e.printError(progName, e.message(err))
	var ue *auth.UnsavedError
	if errors.As(err, &ue) && !ue.RefreshStored {
		// The only copy of a token that works: it goes where the token
		// command prints tokens, never to the error stream.
		fmt.Fprintln(e.stderr, e.text("The new refresh token follows on standard output: keep it somewhere safe.",
			"新的 refresh_token 输出在标准输出上：请妥善保存。"))
		fmt.Fprintln(e.stdout, ue.Grant.RefreshToken)
	}
	var h *hintError
	switch {
	case errors.As(err, &h) && h.hint != "":
		fmt.Fprintln(e.stderr, sanitize(h.hint))
	case code == exitReauth:
		fmt.Fprintf(e.stderr, "Authorize again with: %s login --profile NAME\n", progName)
	}
	return code
}

// printError writes "prefix: msg" on stderr. The message may quote the
// platform or the configuration, so it is sanitized.
func (e *env) printError(prefix, msg string) {
	fmt.Fprintf(e.stderr, "%s: %s\n", prefix, sanitize(msg))
}

// message renders err for the user in the chosen language, with the
// explanation of any platform error code.
func (e *env) message(err error) string {
	var h *hintError
	if errors.As(err, &h) {
		if h.msg != "" && h.err != nil {
			return h.msg + ": " + e.message(h.err)
		}
		if h.msg != "" {
			return h.msg
		}
		return e.message(h.err)
	}
	if errors.Is(err, storage.ErrNoProfile) {
		return "no such profile (see: " + progName + " profile list)"
	}
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	return auth.Message(err, e.lang)
}
