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
		return nil, &hintError{msg: "cannot open the configuration", msgZH: "无法打开配置", err: err}
	}
	// The keyring is probed first, so that the notices say how it failed.
	st.SessionOnly()
	sessionWarned := false
	for _, n := range st.NoticeDetails() {
		e.warn(n.Message(e.lang))
		sessionWarned = sessionWarned || n.Kind == storage.NoticeSessionOnly
	}
	if st.SessionOnly() && !sessionWarned {
		e.warn(e.text("the system keyring is not available; secrets are kept in memory for this process only and are lost when it exits",
			"系统钥匙串不可用：密钥只保存在本进程的内存中，进程退出即丢失"))
	}
	e.store = st
	return st, nil
}

// warn writes a warning on stderr.
func (e *env) warn(msg string) {
	fmt.Fprintln(e.stderr, e.text("warning: ", "警告：")+sanitize(msg))
}

// note writes a remark on stderr, about how the command goes on.
func (e *env) note(msg string) {
	fmt.Fprintln(e.stderr, e.text("note: ", "提示：")+sanitize(msg))
}

// loadProfile returns the named profile.
func (e *env) loadProfile(name string) (*storage.Store, storage.Profile, error) {
	st, err := e.openStore()
	if err != nil {
		return nil, storage.Profile{}, err
	}
	p, err := st.Profile(name)
	if errors.Is(err, storage.ErrNoProfile) {
		return nil, storage.Profile{}, &hintError{code: exitUsage,
			msg:  e.text(fmt.Sprintf("no profile named %q", name), fmt.Sprintf("没有名为 %q 的配置", name)),
			hint: e.text("See the profiles with: ", "查看已有的配置：") + progName + " profile list"}
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

// flow returns the OAuth flow of profile p. When needSecret is set it needs
// the profile's client_secret: the one in the keyring, or else the one in
// $DOUYIN_CLIENT_SECRET. Otherwise a missing secret is left empty, since
// refreshing, renewing and verifying do not send it.
func (e *env) flow(st *storage.Store, p storage.Profile, needSecret bool) (*auth.Flow, error) {
	secret, err := st.Secret(p.Name)
	if errors.Is(err, storage.ErrSecretBinding) && needSecret {
		return nil, &hintError{err: err, code: exitReauth,
			hint: e.text(fmt.Sprintf("If %s is right, store the secret for it again: %s profile remove %s; %s profile add %s ...",
				p.Endpoint(), progName, p.Name, progName, p.Name),
				fmt.Sprintf("如果 %s 无误，请为它重新保存应用密钥（client_secret）：%s profile remove %s；%s profile add %s ...",
					p.Endpoint(), progName, p.Name, progName, p.Name))}
	}
	if (err == nil && secret != "") || !needSecret {
		if err != nil {
			secret = ""
		}
		return st.Flow(p, secret), nil
	}
	if s := fromEnv(secretEnv); s != "" && !errors.Is(err, storage.ErrSecretBinding) {
		e.note(e.text(fmt.Sprintf("the client_secret comes from $%s: the keyring holds none for profile %q", secretEnv, p.Name),
			fmt.Sprintf("应用密钥（client_secret）取自 $%s：钥匙串中没有配置 %q 的应用密钥", secretEnv, p.Name)))
		return st.Flow(p, s), nil
	}
	return nil, e.noSecret(st, p, err)
}

// noSecret explains that profile p's client_secret is in neither the
// keyring nor the environment, and how to give it: in the environment, and,
// where a keyring works, by adding the profile again.
func (e *env) noSecret(st *storage.Store, p storage.Profile, err error) error {
	h := &hintError{code: exitError,
		msg: e.text(fmt.Sprintf("the client_secret of profile %q is not stored", p.Name),
			fmt.Sprintf("配置 %q 的应用密钥（client_secret）没有保存", p.Name))}
	if err != nil && !errors.Is(err, storage.ErrNoSecret) {
		h.msg += e.text(" ("+e.message(err)+")", "（"+e.message(err)+"）")
	}
	example := fmt.Sprintf("%s=... %s ... --profile %s", secretEnv, progName, p.Name)
	switch {
	case st.SessionOnly():
		h.hint = e.text(fmt.Sprintf("This system has no keyring to keep it: give it to each command in $%s, e.g. %s", secretEnv, example),
			fmt.Sprintf("本系统没有可用的钥匙串来保存它：请在每条命令的环境变量 $%s 中提供，例如 %s", secretEnv, example))
	default:
		h.hint = e.text(fmt.Sprintf("Give it in $%s (%s), or keep it in the keyring by adding the profile again (%s profile remove %s also removes its accounts)",
			secretEnv, example, progName, p.Name),
			fmt.Sprintf("请在环境变量 $%s 中提供（%s），或重新添加配置以存入钥匙串（%s profile remove %s 会同时删除它的账号）",
				secretEnv, example, progName, p.Name))
	}
	return h
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
		return "", &hintError{reauth: p.Name, code: exitReauth,
			msg: fmt.Sprintf("profile %q has no account %q", p.Name, given), msgZH: fmt.Sprintf("配置 %q 中没有账号 %q", p.Name, given)}
	}
	switch len(p.Accounts) {
	case 0:
		return "", &hintError{reauth: p.Name, code: exitReauth,
			msg: fmt.Sprintf("profile %q has no authorized account", p.Name), msgZH: fmt.Sprintf("配置 %q 还没有已授权的账号", p.Name)}
	case 1:
		return p.Accounts[0].OpenID, nil
	}
	ids := make([]string, len(p.Accounts))
	for i, a := range p.Accounts {
		ids[i] = a.OpenID
	}
	list := strings.Join(ids, ", ")
	return "", c.usageText(fmt.Sprintf("profile %q has %d accounts; choose one with --account: %s", p.Name, len(ids), list),
		fmt.Sprintf("配置 %q 有 %d 个账号，请用 --account 选择一个：%s", p.Name, len(ids), list))
}
