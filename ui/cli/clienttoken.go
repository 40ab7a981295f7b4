package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var _ = register(&command{
	name:    "client-token",
	usage:   "client-token --profile NAME [--stable] [--yes]",
	summary: "Fetch an app-only client token (client_credential grant), store it and print its expiry; with --stable, the app's stable client token.",
	details: `Standard output shows client_token_expires_at and client_token_seconds_left,
or with --stable stable_client_token_expires_at and
stable_client_token_seconds_left. The token itself is printed only by:
douyin-auth-desk token --client [--stable].

client_token rotates: each new one ends the previous one after a 5-minute
grace, wherever it was fetched. On the real platform, fetching one here with
your production client_key and client_secret can end the token your own
server holds, so the first fetch of a profile needs --yes, or "yes" typed at
the prompt when standard input is a terminal; otherwise it exits with status
2. The profile remembers the answer, as the window does. stable_client_token
returns the same token for its 2 hours and needs no confirmation; the two are
stored apart. The sandbox and custom servers need no confirmation.`,
	example: `  douyin-auth-desk client-token --profile demo
  douyin-auth-desk client-token --profile prod --stable`,
	run: runClientToken,
})

func runClientToken(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	stable := fs.Bool("stable", false, "fetch the stable client token, which does not rotate")
	yes := fs.Bool("yes", false, "fetch a rotating client token on the real platform without asking")
	name, err := c.parseProfile(e, fs, args)
	if err != nil {
		return err
	}
	st, p, flow, err := e.secretFlow(name)
	if err != nil {
		return err
	}
	if err := e.consentClientToken(st, p, *stable, *yes); err != nil {
		return err
	}
	if st.SessionOnly() {
		// Nothing would keep the token beyond this command, and the file
		// would show one that is gone.
		flow = inMemory(flow)
	}
	t, err := flow.FetchClientToken(ctx, *stable)
	if err != nil {
		return err
	}
	printExpiry(e.stdout, clientTokenField(*stable), t.Expiry, now())
	if st.SessionOnly() {
		e.note(e.text(fmt.Sprintf("this system has no keyring, so the client token was not kept; fetch and print one in a single command with: %s=... %s token --profile %s --client%s",
			secretEnv, progName, p.Name, stableFlag(*stable)),
			fmt.Sprintf("本系统没有可用的钥匙串，client_token（应用级调用凭证）未保存；可用一条命令获取并输出：%s=... %s token --profile %s --client%s",
				secretEnv, progName, p.Name, stableFlag(*stable))))
	}
	return nil
}

// stableFlag is " --stable" for the stable client token, else "".
func stableFlag(stable bool) string {
	if stable {
		return " --stable"
	}
	return ""
}

// consentClientToken gets, and records in the profile, the consent a
// rotating client token on the real platform needs (see
// confirmClientToken); the stable one needs none.
func (e *env) consentClientToken(st *storage.Store, p storage.Profile, stable, yes bool) error {
	if stable || !p.ClientTokenNeedsConfirmation() {
		return nil
	}
	if err := e.confirmClientToken(p, yes); err != nil {
		return err
	}
	return st.ConfirmClientToken(p.Name)
}

// clientTokenField names the client token in output fields.
func clientTokenField(stable bool) string {
	if stable {
		return "stable_client_token"
	}
	return "client_token"
}

// confirmClientToken asks for consent to fetch a rotating client token
// with p's credentials on the real platform: yes gives it, and so does
// "yes" typed at a terminal. Without either it returns a usage error that
// explains the risk and suggests the stable token.
func (e *env) confirmClientToken(p storage.Profile, yes bool) error {
	risk := e.text(
		fmt.Sprintf("profile %q uses the real platform, where each new client_token ends the previous one after a 5-minute grace, wherever it was fetched: fetching one here with your production client_key and client_secret can end the token your own server holds", p.Name),
		fmt.Sprintf("配置 %q 使用正式平台：每获取一个新的 client_token，上一个会在 5 分钟宽限期后失效，无论它是在哪里获取的；在这里用生产环境的 client_key 和 client_secret 获取，可能使你自己的服务器持有的 client_token 失效", p.Name))
	hint := e.text(
		fmt.Sprintf("Fetch the stable token instead, which does not rotate: %s client-token --profile %s --stable (or accept the risk with --yes)", progName, p.Name),
		fmt.Sprintf("改用不会轮换的稳定 client_token：%s client-token --profile %s --stable（或用 --yes 确认承担风险）", progName, p.Name))
	return e.confirm(yes, risk, e.text("Fetch a rotating client token anyway?", "仍然获取轮换的 client_token？"),
		e.text("no client token was fetched: not confirmed", "未获取 client_token：没有确认"), hint)
}

// confirm asks for consent to what risk explains: yes gives it, and so
// does "yes" typed at a terminal after question. Without either it returns
// a usage error, risk or refused, with hint.
func (e *env) confirm(yes bool, risk, question, refused, hint string) error {
	if yes {
		return nil
	}
	if !isTerminal(e.stdin) {
		return &hintError{msg: risk, hint: hint, code: exitUsage}
	}
	fmt.Fprintln(e.stderr, sanitize(risk))
	fmt.Fprint(e.stderr, question+e.text(` Type "yes" to go on: `, ` 输入 "yes" 继续：`))
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(e.stderr)
	}
	if strings.EqualFold(strings.TrimSpace(line), "yes") {
		return nil
	}
	return &hintError{msg: refused, hint: hint, code: exitUsage}
}

// printClientToken writes the stored client token of profile p, the stable
// one when stable is set, failing when there is none or it has expired.
// Where the keyring holds no client_secret either, it fetches one with
// $DOUYIN_CLIENT_SECRET instead, in memory.
func (e *env) printClientToken(ctx context.Context, st *storage.Store, p storage.Profile, stable bool) error {
	name, nameZH, fetch := "client token", "client_token（应用级调用凭证）", fmt.Sprintf("%s client-token --profile %s%s", progName, p.Name, stableFlag(stable))
	if stable {
		name, nameZH = "stable client token", "稳定的 client_token（应用级调用凭证）"
	}
	t, err := st.Tokens(p.Name).ClientToken(stable)
	missing := errors.Is(err, auth.ErrNoClientToken) || (err == nil && t.Token == "")
	expired := err == nil && !missing && !t.Expiry.IsZero() && !now().Before(t.Expiry)
	if (missing || expired) && fromEnv(secretEnv) != "" {
		if _, serr := st.Secret(p.Name); errors.Is(serr, storage.ErrNoSecret) {
			return e.envClientToken(ctx, st, p, stable)
		}
	}
	switch {
	case missing:
		return &hintError{msg: e.text(fmt.Sprintf("profile %q has no %s", p.Name, name), fmt.Sprintf("配置 %q 没有 %s", p.Name, nameZH)),
			hint: e.text("Fetch one with: ", "获取：") + fetch}
	case err != nil:
		return err
	case expired:
		return &hintError{msg: e.text(fmt.Sprintf("the %s of profile %q expired at %s", name, p.Name, formatTime(t.Expiry)),
			fmt.Sprintf("配置 %q 的 %s 已于 %s 过期", p.Name, nameZH, formatTime(t.Expiry))),
			hint: e.text("Fetch a new one with: ", "获取新的：") + fetch}
	}
	fmt.Fprintln(e.stdout, t.Token)
	return nil
}

// envClientToken fetches a client token with $DOUYIN_CLIENT_SECRET and
// prints it, keeping it in memory only.
func (e *env) envClientToken(ctx context.Context, st *storage.Store, p storage.Profile, stable bool) error {
	flow, err := e.flow(st, p, true)
	if err != nil {
		return err
	}
	if err := e.consentClientToken(st, p, stable, false); err != nil {
		return err
	}
	t, err := inMemory(flow).FetchClientToken(ctx, stable)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, t.Token)
	return nil
}
