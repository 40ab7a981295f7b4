package cli

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// openStore opens the configuration store once per run and warns when the
// system keyring cannot keep secrets beyond this process.
func (e *env) openStore() (*storage.Store, error) {
	if e.store != nil {
		return e.store, nil
	}
	st, err := storage.Open("")
	if err != nil {
		return nil, &hintError{msg: "cannot open the configuration", err: err}
	}
	sessionWarned := false
	for _, n := range st.NoticeDetails() {
		fmt.Fprintf(e.stderr, "warning: %s\n", sanitize(n.Message(e.lang)))
		sessionWarned = sessionWarned || n.Kind == storage.NoticeSessionOnly
	}
	if st.SessionOnly() && !sessionWarned {
		fmt.Fprintln(e.stderr, "warning: the system keyring is not available; secrets are kept in memory for this process only and are lost when it exits")
	}
	e.store = st
	return st, nil
}

// loadProfile returns the named profile.
func (e *env) loadProfile(name string) (*storage.Store, storage.Profile, error) {
	st, err := e.openStore()
	if err != nil {
		return nil, storage.Profile{}, err
	}
	p, err := st.Profile(name)
	if errors.Is(err, storage.ErrNoProfile) {
		return nil, storage.Profile{}, &hintError{msg: fmt.Sprintf("no profile named %q", name),
			hint: "See the profiles with: " + progName + " profile list", code: ExitUsage}
	}
	if err != nil {
		return nil, storage.Profile{}, err
	}
	return st, p, nil
}

// flow returns the OAuth flow of profile p. When needSecret is set the
// profile's client_secret must be stored; otherwise a missing secret is left
// empty, since refreshing, renewing and verifying do not send it.
func (e *env) flow(st *storage.Store, p storage.Profile, needSecret bool) (*auth.Flow, error) {
	secret, err := st.Secret(p.Name)
	if errors.Is(err, storage.ErrSecretBinding) && needSecret {
		return nil, &hintError{err: err, code: ExitReauth,
			hint: fmt.Sprintf("If %s is right, store the secret for it again: %s profile remove %s; %s profile add %s ...",
				p.Endpoint(), progName, p.Name, progName, p.Name)}
	}
	if err != nil || secret == "" {
		if needSecret {
			m := fmt.Sprintf("the client_secret of profile %q is not stored", p.Name)
			if err != nil {
				m += " (" + e.message(err) + ")"
			}
			return nil, &hintError{msg: m, code: ExitError,
				hint: fmt.Sprintf("Add the profile again: %s profile remove %s; %s profile add %s ...", progName, p.Name, progName, p.Name)}
		}
		secret = ""
	}
	return st.Flow(p, secret), nil
}

// account picks the open_id a command acts on: the one given, or the
// profile's only account.
func (c *command) account(p storage.Profile, given string) (string, error) {
	if given != "" {
		for _, a := range p.Accounts {
			if a.OpenID == given {
				return given, nil
			}
		}
		return "", &hintError{msg: fmt.Sprintf("profile %q has no account %q", p.Name, given),
			hint: reauthHint(p.Name), code: ExitReauth}
	}
	switch len(p.Accounts) {
	case 0:
		return "", &hintError{msg: fmt.Sprintf("profile %q has no authorized account", p.Name),
			hint: reauthHint(p.Name), code: ExitReauth}
	case 1:
		return p.Accounts[0].OpenID, nil
	}
	ids := make([]string, len(p.Accounts))
	for i, a := range p.Accounts {
		ids[i] = a.OpenID
	}
	return "", c.usagef("profile %q has %d accounts; choose one with --account: %s", p.Name, len(ids), strings.Join(ids, ", "))
}

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
	if exitCode(err) == ExitReauth && !errors.As(err, &h) {
		return &hintError{hint: reauthHint(profile), err: err}
	}
	return err
}

// formatTime renders t as RFC 3339 in local time, or "unknown" when zero.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Local().Format(time.RFC3339)
}

// secondsLeft is the whole number of seconds until t, negative when past.
func secondsLeft(t, at time.Time) int64 {
	return int64(t.Sub(at) / time.Second)
}

// printExpiry writes "<name>_expires_at" and "<name>_seconds_left" lines.
func printExpiry(w io.Writer, name string, t, at time.Time) {
	fmt.Fprintf(w, "%s_expires_at: %s\n", name, formatTime(t))
	if !t.IsZero() {
		fmt.Fprintf(w, "%s_seconds_left: %d\n", name, secondsLeft(t, at))
	}
}

// printGrant writes what a login, refresh or renewal produced, without any
// token.
func printGrant(w io.Writer, g auth.Grant) {
	at := now()
	printField(w, "open_id", g.OpenID)
	if g.Nickname != "" {
		printField(w, "nickname", g.Nickname)
	}
	if g.Scope != "" {
		printField(w, "scope", g.Scope)
	}
	printExpiry(w, "access", g.AccessExpiry, at)
	printExpiry(w, "refresh", g.RefreshExpiry, at)
	fmt.Fprintf(w, "renewals_used: %d\n", g.Renewals)
	fmt.Fprintf(w, "renewals_left: %d\n", max(auth.MaxRenewals-g.Renewals, 0))
}

// printField writes a "name: value" line; the value is sanitized, so that
// it stays on its line and shows no control sequence.
func printField(w io.Writer, name, value string) {
	fmt.Fprintf(w, "%s: %s\n", name, sanitize(value))
}
