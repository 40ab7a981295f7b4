package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

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

// languageOf returns "zh" for a Chinese locale or language tag (zh_CN.UTF-8,
// zh-Hans-CN) and "en" for any other.
func languageOf(locale string) string {
	if auth.IsChinese(locale) {
		return "zh"
	}
	return "en"
}

// text returns en or zh, in the command's language.
func (e *env) text(en, zh string) string {
	if e.lang == "zh" {
		return zh
	}
	return en
}

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
			hint: "See the profiles with: " + progName + " profile list", code: exitUsage}
	}
	if err != nil {
		return nil, storage.Profile{}, err
	}
	return st, p, nil
}

// secretFlow loads the named profile and its flow with the stored
// client_secret, which a login and a client token send to the platform.
func (e *env) secretFlow(name string) (*storage.Store, storage.Profile, *auth.Flow, error) {
	st, p, err := e.loadProfile(name)
	if err != nil {
		return nil, storage.Profile{}, nil, err
	}
	flow, err := e.flow(st, p, true)
	return st, p, flow, err
}

// flow returns the OAuth flow of profile p. When needSecret is set the
// profile's client_secret must be stored; otherwise a missing secret is left
// empty, since refreshing, renewing and verifying do not send it.
func (e *env) flow(st *storage.Store, p storage.Profile, needSecret bool) (*auth.Flow, error) {
	secret, err := st.Secret(p.Name)
	if errors.Is(err, storage.ErrSecretBinding) && needSecret {
		return nil, &hintError{err: err, code: exitReauth,
			hint: fmt.Sprintf("If %s is right, store the secret for it again: %s profile remove %s; %s profile add %s ...",
				p.Endpoint(), progName, p.Name, progName, p.Name)}
	}
	if err != nil || secret == "" {
		if needSecret {
			m := fmt.Sprintf("the client_secret of profile %q is not stored", p.Name)
			if err != nil {
				m += " (" + e.message(err) + ")"
			}
			return nil, &hintError{msg: m, code: exitError,
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
			hint: reauthHint(p.Name), code: exitReauth}
	}
	switch len(p.Accounts) {
	case 0:
		return "", &hintError{msg: fmt.Sprintf("profile %q has no authorized account", p.Name),
			hint: reauthHint(p.Name), code: exitReauth}
	case 1:
		return p.Accounts[0].OpenID, nil
	}
	ids := make([]string, len(p.Accounts))
	for i, a := range p.Accounts {
		ids[i] = a.OpenID
	}
	return "", c.usagef("profile %q has %d accounts; choose one with --account: %s", p.Name, len(ids), strings.Join(ids, ", "))
}
