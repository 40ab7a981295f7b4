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
	cmd     string // the command, e.g. "login" or "profile add"
	msg     string
	msgZH   string // msg in Chinese, when known
	usage   string // printed after the message
	usageZH string // usage in Chinese, when known
}

func (u *usageError) Error() string { return u.msg }

// usageText returns a usage error of c saying en, or zh in Chinese.
func (c *command) usageText(en, zh string) error {
	return &usageError{cmd: c.name, msg: en, msgZH: zh, usage: c.usageLine("en"), usageZH: c.usageLine("zh")}
}

// hintError adds context, a hint on what to do and, when code is non-zero,
// an exit status to an error. An error built where the command's language is
// not at hand carries msg and hint in Chinese too.
type hintError struct {
	msg  string // shown before the wrapped error's message
	hint string // shown on its own line after it
	code int
	err  error

	msgZH, hintZH string // msg and hint in Chinese, when known
	// reauth names the profile to authorize again: the hint that finish
	// writes then, in the command's language, says how (authorizeHint).
	reauth string
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

// authorizeHint tells how to get a working account again: authorize, or
// import its refresh token, or, where no keyring keeps tokens between
// commands, give the refresh token to each command in the environment.
func (e *env) authorizeHint(profile string) string {
	if e.store != nil && e.store.SessionOnly() {
		return e.text(
			fmt.Sprintf("This system has no keyring, so no token is kept from one command to the next: give the account's refresh token to each command in $%s, e.g. %s=... %s token --profile %s",
				refreshTokenEnv, refreshTokenEnv, progName, profile),
			fmt.Sprintf("本系统没有可用的钥匙串，调用凭证不会在命令之间保留：请在每条命令的环境变量 $%s 中提供账号的 refresh_token，例如 %s=... %s token --profile %s",
				refreshTokenEnv, refreshTokenEnv, progName, profile))
	}
	return e.text(
		fmt.Sprintf("Authorize again with: %s login --profile %s (or import the account's refresh token: %s import --profile %s --refresh-token < FILE)",
			progName, profile, progName, profile),
		fmt.Sprintf("重新授权：%s login --profile %s（或导入该账号的 refresh_token：%s import --profile %s --refresh-token < 文件）",
			progName, profile, progName, profile))
}

// withHint adds the re-authorization hint to an error that needs it.
func withHint(err error, profile string) error {
	if err == nil {
		return nil
	}
	var h *hintError
	if exitCode(err) == exitReauth && !errors.As(err, &h) {
		return &hintError{reauth: profile, err: err}
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
	case errors.Is(err, auth.ErrNoAccount), errors.Is(err, storage.ErrSecretBinding), auth.NeedsReauthorization(err),
		errors.Is(err, auth.ErrNoRefreshToken):
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
		e.printError(prefix, e.either(u.msg, u.msgZH))
		fmt.Fprint(e.stderr, e.either(u.usage, u.usageZH))
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
		fmt.Fprintln(e.stderr, sanitize(e.either(h.hint, h.hintZH)))
	case h != nil && h.reauth != "":
		fmt.Fprintln(e.stderr, sanitize(e.authorizeHint(h.reauth)))
	case code == exitReauth:
		fmt.Fprintln(e.stderr, e.authorizeHint("NAME"))
	}
	return code
}

// either returns en, or zh when the command speaks Chinese and zh is known.
func (e *env) either(en, zh string) string {
	if zh != "" {
		return e.text(en, zh)
	}
	return en
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
		msg := e.either(h.msg, h.msgZH)
		if msg != "" && h.err != nil {
			return msg + e.text(": ", "：") + e.message(h.err)
		}
		if msg != "" {
			return msg
		}
		return e.message(h.err)
	}
	if errors.Is(err, storage.ErrNoProfile) {
		return e.text("no such profile (see: "+progName+" profile list)", "没有这个配置（查看："+progName+" profile list）")
	}
	if errors.Is(err, context.Canceled) {
		return e.text("interrupted", "已中断")
	}
	return auth.Message(err, e.lang)
}
