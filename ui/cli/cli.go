// Package cli is the command line of Douyin Auth Desk: the same binary as
// the window, run with a subcommand. It drives the one OAuth flow in package
// auth and keeps profiles and secrets in package storage, exactly as the
// window does, so the two can be used side by side.
//
// # Output
//
// Results go to standard output as "name: value" lines (or JSON with
// --json), so that scripts can read them. Everything meant for the person at
// the terminal — the authorization URL and instructions, prompts, warnings
// and errors — goes to standard error. No command prints a secret except
// token, whose whole output is the token. Text that comes from the platform
// or the configuration is printed without control characters or escape
// sequences (sanitize); JSON escapes them instead (writeJSON).
//
// # Exit status
//
//	0  success
//	1  a platform or network error, or another failure (login timed out,
//	   authorization denied, keyring unusable)
//	2  a usage error: unknown command, bad flag, missing or invalid value,
//	   unknown profile, ambiguous account
//	3  authorization needed: the profile has no such account, the refresh
//	   token expired (10010), the renewal limit was reached (10020), the
//	   authorization code expired or was used (10007), or the stored secrets
//	   belong to another client_key or base URL than the profile names; run
//	   login again (and store the client secret again)
//
// # Language
//
// Errors are shown in Chinese when $LC_ALL, $LC_MESSAGES or $LANG (the first
// one set) starts with "zh", in English otherwise. Where none is set, as on
// Windows, the user's display language decides.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// Exit statuses of Run.
const (
	ExitOK     = 0 // success
	ExitError  = 1 // platform, network or other failure
	ExitUsage  = 2 // bad command line or value
	ExitReauth = 3 // the user must authorize again (run login)
)

// progName is the command's name in messages and help.
const progName = "douyin-auth-desk"

// now is the clock used to compute the time left on tokens.
var now = time.Now

// Main runs the command line args on the process's standard streams and
// returns the exit status. On Windows the window build first attaches to the
// console of the shell it was started from.
func Main(args []string) int {
	attachConsole()
	return Run(args, os.Stdin, os.Stdout, os.Stderr)
}

// Run runs the command line args (without the program name) and returns the
// exit status. It reads pasted input and secrets from stdin, writes results
// to stdout and everything else to stderr. SIGINT and SIGTERM end a waiting
// login or a running sandbox.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return run(ctx, args, stdin, stdout, stderr)
}

// run is Run with the context that ends long-running commands.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{
		stdin:  stdin,
		stdout: &syncWriter{w: stdout},
		stderr: &syncWriter{w: stderr},
		lang:   language(),
	}
	err := e.dispatch(ctx, args)
	return e.finish(err)
}

// env is what every command works with.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	lang           string // "zh" or "en"
	store          *storage.Store
}

// syncWriter serializes writes from the goroutines of one command.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// language returns "zh" when the first locale variable that is set starts
// with zh, and "en" otherwise.
func language() string {
	if l, ok := localeLang(); ok {
		return l
	}
	return "en"
}

// localeLang reports the language the locale variables ask for, and whether
// any of them asks at all ("C" and "POSIX" do not).
func localeLang() (string, bool) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		s := os.Getenv(v)
		if s == "" {
			continue
		}
		if s == "C" || s == "POSIX" || strings.HasPrefix(s, "C.") {
			return "en", false
		}
		return languageOf(s), true
	}
	if l := systemLanguage(); l != "" {
		return l, true
	}
	return "en", false
}

// text returns en or zh, in the command's language.
func (e *env) text(en, zh string) string {
	if e.lang == "zh" {
		return zh
	}
	return en
}

// languageOf returns "zh" for a Chinese locale or language tag (zh_CN.UTF-8,
// zh-Hans-CN) and "en" for any other.
func languageOf(locale string) string {
	if strings.HasPrefix(strings.ToLower(locale), "zh") {
		return "zh"
	}
	return "en"
}

// dispatch finds the command named by the first arguments and runs it.
func (e *env) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &usageError{msg: "no command given", usage: topUsage}
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "help":
		if name == "help" && len(args) > 1 {
			return e.helpFor(ctx, args[1:])
		}
		fmt.Fprint(e.stdout, topHelp)
		return nil
	case "profile":
		return e.profile(ctx, args[1:])
	}
	c, ok := commands[name]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown command %q", name), usage: topUsage}
	}
	return c.run(ctx, e, c, args[1:])
}

// helpFor answers "help COMMAND [SUBCOMMAND]".
func (e *env) helpFor(ctx context.Context, args []string) error {
	if args[0] == "profile" {
		if len(args) == 1 {
			fmt.Fprint(e.stdout, profileHelp)
			return nil
		}
		return e.profile(ctx, []string{args[1], "--help"})
	}
	c, ok := commands[args[0]]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: topUsage}
	}
	return c.run(ctx, e, c, []string{"--help"})
}

// profile runs the profile subcommands.
func (e *env) profile(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return &usageError{msg: "profile needs a subcommand: add, list or remove", usage: profileUsage}
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stdout, profileHelp)
		return nil
	}
	c, ok := commands["profile "+args[0]]
	if !ok {
		return &usageError{msg: fmt.Sprintf("unknown profile subcommand %q", args[0]), usage: profileUsage}
	}
	return c.run(ctx, e, c, args[1:])
}

// finish reports err on stderr and returns the exit status it calls for.
func (e *env) finish(err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return ExitOK
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
	case code == ExitReauth:
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

// exitCode maps an error to the exit status documented in the help.
func exitCode(err error) int {
	var u *usageError
	var fe *auth.FieldError
	var h *hintError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &u), errors.As(err, &fe), errors.Is(err, storage.ErrNoProfile):
		return ExitUsage
	case errors.Is(err, auth.ErrNoAccount), errors.Is(err, storage.ErrSecretBinding), auth.NeedsReauthorization(err):
		return ExitReauth
	case errors.As(err, &h) && h.code != 0:
		return h.code
	}
	return ExitError
}

// errHelpShown ends a command whose help was printed.
var errHelpShown = errors.New("help shown")

// usageError is a mistake on the command line; it exits with ExitUsage and
// prints the command's usage.
type usageError struct {
	cmd   string // the command, e.g. "login" or "profile add"
	msg   string
	usage string // printed after the message
}

func (u *usageError) Error() string { return u.msg }

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
