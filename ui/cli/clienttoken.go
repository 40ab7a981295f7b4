package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

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
	if !*stable && p.ClientTokenNeedsConfirmation() {
		if err := e.confirmClientToken(p, *yes); err != nil {
			return err
		}
		if err := st.ConfirmClientToken(p.Name); err != nil {
			return err
		}
	}
	t, err := flow.FetchClientToken(ctx, *stable)
	if err != nil {
		return err
	}
	printExpiry(e.stdout, clientTokenField(*stable), t.Expiry, now())
	return nil
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
	if yes {
		return nil
	}
	risk := e.text(
		fmt.Sprintf("profile %q uses the real platform, where each new client_token ends the previous one after a 5-minute grace, wherever it was fetched: fetching one here with your production client_key and client_secret can end the token your own server holds", p.Name),
		fmt.Sprintf("配置 %q 使用正式平台：每获取一个新的 client_token，上一个会在 5 分钟宽限期后失效，无论它是在哪里获取的；在这里用生产环境的 client_key 和 client_secret 获取，可能使你自己的服务器持有的令牌失效", p.Name))
	hint := e.text(
		fmt.Sprintf("Fetch the stable token instead, which does not rotate: %s client-token --profile %s --stable (or accept the risk with --yes)", progName, p.Name),
		fmt.Sprintf("改用不会轮换的稳定令牌：%s client-token --profile %s --stable（或用 --yes 确认承担风险）", progName, p.Name))
	if !isTerminal(e.stdin) {
		return &hintError{msg: risk, hint: hint, code: exitUsage}
	}
	fmt.Fprintln(e.stderr, sanitize(risk))
	fmt.Fprint(e.stderr, e.text(`Fetch a rotating client token anyway? Type "yes" to go on: `, `仍然获取轮换的 client_token？输入 "yes" 继续：`))
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(e.stderr)
	}
	if strings.EqualFold(strings.TrimSpace(line), "yes") {
		return nil
	}
	return &hintError{msg: e.text("no client token was fetched: not confirmed", "未获取 client_token：没有确认"), hint: hint, code: exitUsage}
}

// printClientToken writes the stored client token of profile, the stable
// one when stable is set, failing when there is none or it has expired.
func printClientToken(w io.Writer, tokens *storage.TokenStore, profile string, stable bool, at time.Time) error {
	name, fetch := "client token", fmt.Sprintf("%s client-token --profile %s", progName, profile)
	if stable {
		name, fetch = "stable client token", fetch+" --stable"
	}
	t, err := tokens.ClientToken(stable)
	if errors.Is(err, auth.ErrNoClientToken) || (err == nil && t.Token == "") {
		return &hintError{msg: fmt.Sprintf("profile %q has no %s", profile, name),
			hint: "Fetch one with: " + fetch}
	}
	if err != nil {
		return err
	}
	if !t.Expiry.IsZero() && !at.Before(t.Expiry) {
		return &hintError{msg: fmt.Sprintf("the %s of profile %q expired at %s", name, profile, formatTime(t.Expiry)),
			hint: "Fetch a new one with: " + fetch}
	}
	fmt.Fprintln(w, t.Token)
	return nil
}
