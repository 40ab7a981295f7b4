package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

const accountDetails = `--account may be left out when the profile has exactly one account; with
several, the command fails with exit status 2 and lists their open_ids.`

// envDetails tells how the account commands use the environment.
const envDetails = `Where the keyring holds no tokens for the account (a system without a keyring:
CI runners, servers, containers), the command uses the refresh token in
$DOUYIN_REFRESH_TOKEN (verify: the access token in $DOUYIN_ACCESS_TOKEN, of
--account or the profile's only account, first) and stores nothing it
obtains.`

var _ = register(&command{
	name:    "refresh",
	usage:   "refresh --profile NAME [--account OPEN_ID]",
	summary: "Get a new access token with the account's refresh token (the refresh token's own expiry does not change) and store it.",
	details: accountDetails + "\n\n" + envDetails + `

Standard output shows open_id, scope, access_expires_at, access_seconds_left,
refresh_expires_at, refresh_seconds_left, renewals_used and renewals_left.
An expired refresh token (10010), or an account imported without one, exits
with status 3: authorize again.`,
	example: `  douyin-auth-desk refresh --profile demo
  DOUYIN_REFRESH_TOKEN=rft.... douyin-auth-desk refresh --profile demo`,
	run: runRefresh,
})

var _ = register(&command{
	name:    "renew",
	usage:   "renew --profile NAME [--account OPEN_ID] [--yes]",
	summary: "Replace the account's refresh token with a new one of full lifetime and store it. Needs the renew_refresh_token scope; the platform allows 5 renewals.",
	details: accountDetails + `

Renewing ends the old refresh token at once, wherever it is held. An account
that was imported may share its refresh token with the app's server or
another machine, so renewing one needs --yes, or "yes" typed at the prompt
when standard input is a terminal; otherwise it exits with status 2. A
refresh token in $DOUYIN_REFRESH_TOKEN is never renewed: the new one would be
lost with the command.

Standard output is as for refresh. The renewal limit (10020) and an expired
refresh token (10010) exit with status 3: authorize again.`,
	example: `  douyin-auth-desk renew --profile demo --account _000SandboxAliceOpenID0000000000001`,
	run:     runRenew,
})

var _ = register(&command{
	name:    "verify",
	usage:   "verify --profile NAME [--account OPEN_ID]",
	summary: "Check that the account's access token works by calling the platform's userinfo endpoint, and store the nickname it returns.",
	details: accountDetails + "\n\n" + envDetails + `

Standard output shows open_id, union_id, nickname and "verified: yes".
A failure shows the platform's error code and what to do (often: refresh).`,
	example: `  douyin-auth-desk verify --profile demo || douyin-auth-desk refresh --profile demo
  DOUYIN_ACCESS_TOKEN=act.... douyin-auth-desk verify --profile demo --account OPEN_ID`,
	run: runVerify,
})

var _ = register(&command{
	name:    "token",
	usage:   "token --profile NAME [--account OPEN_ID] [--client [--stable]]",
	summary: "Print a stored token and a newline, nothing else: the account's access token, or with --client the app's client token (with --stable its stable one). Meant for $(...) in scripts.",
	details: accountDetails + `

This is the only command that prints a secret. It contacts nothing: an
expired access token fails (run refresh; exit status 3 when the refresh token
has expired too) and a missing or expired client token fails (run
client-token, or client-token --stable). An imported access token's expiry
is unknown, so it is printed.

Where the keyring holds no tokens for the account, it refreshes the refresh
token in $DOUYIN_REFRESH_TOKEN and prints the access token; where it holds
no client_secret, --client fetches a client token with $DOUYIN_CLIENT_SECRET
and prints it. Nothing obtained so is stored.`,
	example: `  curl -H "access-token: $(douyin-auth-desk token --profile demo)" ...
  douyin-auth-desk token --profile demo --client
  douyin-auth-desk token --profile demo --client --stable
  DOUYIN_REFRESH_TOKEN=rft.... douyin-auth-desk token --profile demo    # no keyring`,
	run: runToken,
})

// parseAccount parses the --profile and --account flags, with any flags the
// command added to fs, and checks that --profile was given.
func (e *env) parseAccount(c *command, fs *flag.FlagSet, args []string) (profile, account string, err error) {
	a := fs.String("account", "", "the account's `OPEN_ID` (may be left out with one account)")
	profile, err = c.parseProfile(e, fs, args)
	return profile, *a, err
}

// accountTarget is the account an account command acts on, and the flow to
// act with.
type accountTarget struct {
	st   *storage.Store
	p    storage.Profile
	flow *auth.Flow
	// id is the account's open_id; on the environment route, the one given
	// or the profile's only one, else "".
	id string
	// fromEnv: the keyring holds no tokens for the account, so they come
	// from the environment, and flow keeps what it obtains in memory.
	fromEnv bool
}

// target parses the flags of an account command and finds its account.
func (e *env) target(c *command, fs *flag.FlagSet, args []string) (accountTarget, error) {
	name, given, err := e.parseAccount(c, fs, args)
	if err != nil {
		return accountTarget{}, err
	}
	st, p, err := e.loadProfile(name)
	if err != nil {
		return accountTarget{}, err
	}
	return e.resolve(c, st, p, given)
}

// resolve finds the account given (or the profile's only one) of profile p,
// taking the environment route when the keyring holds no tokens for it and
// the environment does.
func (e *env) resolve(c *command, st *storage.Store, p storage.Profile, given string) (accountTarget, error) {
	flow, err := e.flow(st, p, false)
	if err != nil {
		return accountTarget{}, err
	}
	t := accountTarget{st: st, p: p, flow: flow}
	t.id, err = c.account(p, given)
	if (fromEnv(refreshTokenEnv) == "" && fromEnv(accessTokenEnv) == "") || (err != nil && exitCode(err) != exitReauth) {
		return t, err
	}
	if err == nil {
		if _, gerr := st.Tokens(p.Name).Grant(t.id); !errors.Is(gerr, auth.ErrNoAccount) {
			return t, nil
		}
	}
	if t.id == "" {
		t.id = given
	}
	t.flow, t.fromEnv = inMemory(flow), true
	return t, nil
}

func runRefresh(ctx context.Context, e *env, c *command, args []string) error {
	t, err := e.target(c, c.flags(), args)
	if err != nil {
		return err
	}
	var g auth.Grant
	if t.fromEnv {
		g, err = e.envRefresh(ctx, t)
	} else {
		g, err = t.flow.Refresh(ctx, t.id)
	}
	if err != nil {
		return withHint(err, t.p.Name)
	}
	printGrant(e.stdout, g)
	return nil
}

func runRenew(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	yes := fs.Bool("yes", false, "renew an imported account's refresh token without asking")
	t, err := e.target(c, fs, args)
	if err != nil {
		return err
	}
	if t.fromEnv {
		return &hintError{code: exitUsage,
			msg: e.text(fmt.Sprintf("renew renews a refresh token stored in the keyring only: renewing the one in $%s would end it, and the new one would be lost with this command", refreshTokenEnv),
				fmt.Sprintf("renew 只续期钥匙串中保存的 refresh_token：续期 $%s 中的会使它失效，而新的会随本命令结束而丢失", refreshTokenEnv)),
			hint: e.text("Renew it where it is kept, or import it first on a system with a keyring: "+progName+" import --profile "+t.p.Name+" --refresh-token",
				"请在保存它的地方续期，或先在有钥匙串的系统上导入："+progName+" import --profile "+t.p.Name+" --refresh-token")}
	}
	if err := e.confirmRenew(t, *yes); err != nil {
		return err
	}
	g, err := t.flow.Renew(ctx, t.id)
	if err != nil {
		return withHint(err, t.p.Name)
	}
	printGrant(e.stdout, g)
	return nil
}

// confirmRenew asks before renewing the refresh token of an imported
// account, which may also be held elsewhere.
func (e *env) confirmRenew(t accountTarget, yes bool) error {
	imported := false
	for _, a := range t.p.Accounts {
		imported = imported || a.OpenID == t.id && a.Imported && !a.AccessOnly
	}
	if !imported {
		return nil
	}
	return e.confirm(yes,
		e.text(fmt.Sprintf("account %s was imported: its refresh token may also be held elsewhere (the app's server, another machine), and renewing ends it there at once", t.id),
			fmt.Sprintf("账号 %s 是导入的：它的 refresh_token 可能也保存在别处（应用的服务器、另一台电脑），续期会使那里的 refresh_token 立即失效", t.id)),
		e.text("Renew it anyway?", "仍然续期？"),
		e.text("the refresh token was not renewed: not confirmed", "未续期 refresh_token：没有确认"),
		e.text("Renew it where it came from, or accept with --yes", "请在它的来源处续期，或用 --yes 确认"))
}

func runVerify(ctx context.Context, e *env, c *command, args []string) error {
	t, err := e.target(c, c.flags(), args)
	if err != nil {
		return err
	}
	var g auth.Grant
	if t.fromEnv {
		g, err = e.envVerify(ctx, c, t)
	} else {
		g, err = t.flow.Verify(ctx, t.id)
	}
	if err != nil {
		return withHint(err, t.p.Name)
	}
	printField(e.stdout, "open_id", g.OpenID)
	if g.UnionID != "" {
		printField(e.stdout, "union_id", g.UnionID)
	}
	printField(e.stdout, "nickname", g.Nickname)
	fmt.Fprintln(e.stdout, "verified: yes")
	return nil
}

func runToken(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	client := fs.Bool("client", false, "print the app's client token instead of an access token")
	stable := fs.Bool("stable", false, "with --client: print the stable client token")
	name, given, err := e.parseAccount(c, fs, args)
	if err != nil {
		return err
	}
	st, p, err := e.loadProfile(name)
	if err != nil {
		return err
	}
	switch {
	case *client && given != "":
		return c.usageText("--client and --account cannot be used together", "--client 与 --account 不能同时使用")
	case *stable && !*client:
		return c.usageText("--stable is used with --client only", "--stable 只能与 --client 一起使用")
	case *client:
		return e.printClientToken(ctx, st, p, *stable)
	}
	t, err := e.resolve(c, st, p, given)
	if err != nil {
		return err
	}
	if t.fromEnv {
		g, err := e.envRefresh(ctx, t)
		if err != nil {
			return withHint(err, p.Name)
		}
		fmt.Fprintln(e.stdout, g.AccessToken)
		return nil
	}
	return e.printAccessToken(st.Tokens(p.Name), p, t.id)
}

// printAccessToken writes the stored access token of account id, failing
// when there is none or it has expired.
func (e *env) printAccessToken(tokens *storage.TokenStore, p storage.Profile, id string) error {
	at := now()
	g, err := tokens.Grant(id)
	if err != nil {
		return withHint(err, p.Name)
	}
	refresh := e.text(fmt.Sprintf("Get a new one with: %s refresh --profile %s --account %s", progName, p.Name, id),
		fmt.Sprintf("获取新的：%s refresh --profile %s --account %s", progName, p.Name, id))
	if g.AccessExpiryKnown() && !at.Before(g.AccessExpiry) {
		if !g.RefreshExpiry.IsZero() && !at.Before(g.RefreshExpiry) {
			return &hintError{reauth: p.Name, code: exitReauth,
				msg: e.text(fmt.Sprintf("the access and refresh tokens of %s expired (refresh token at %s)", id, formatTime(g.RefreshExpiry)),
					fmt.Sprintf("%s 的 access_token 和 refresh_token 都已过期（refresh_token 于 %s 过期）", id, formatTime(g.RefreshExpiry)))}
		}
		return &hintError{hint: refresh,
			msg: e.text(fmt.Sprintf("the access token of %s expired at %s", id, formatTime(g.AccessExpiry)),
				fmt.Sprintf("%s 的 access_token 已于 %s 过期", id, formatTime(g.AccessExpiry)))}
	}
	if g.AccessToken == "" {
		return &hintError{hint: refresh,
			msg: e.text(fmt.Sprintf("no access token is stored for %s", id), fmt.Sprintf("没有保存 %s 的 access_token", id))}
	}
	fmt.Fprintln(e.stdout, g.AccessToken)
	return nil
}

// envRefresh refreshes the refresh token in $DOUYIN_REFRESH_TOKEN in
// memory, checking that it is the account the command named.
func (e *env) envRefresh(ctx context.Context, t accountTarget) (auth.Grant, error) {
	rt := fromEnv(refreshTokenEnv)
	if rt == "" {
		return auth.Grant{}, &hintError{reauth: t.p.Name, code: exitReauth,
			msg: e.text(fmt.Sprintf("the keyring holds no refresh token for this account of profile %q, and $%s is not set", t.p.Name, refreshTokenEnv),
				fmt.Sprintf("钥匙串中没有配置 %q 这个账号的 refresh_token，且未设置 $%s", t.p.Name, refreshTokenEnv))}
	}
	e.note(e.text(fmt.Sprintf("the refresh token comes from $%s: the keyring holds none for this account; nothing obtained with it is stored", refreshTokenEnv),
		fmt.Sprintf("refresh_token 取自 $%s：钥匙串中没有这个账号的调用凭证；用它获得的一切都不保存", refreshTokenEnv)))
	g, err := t.flow.ImportRefreshToken(ctx, rt)
	if err != nil {
		return auth.Grant{}, e.envError(err, refreshTokenEnv)
	}
	if t.id != "" && g.OpenID != t.id {
		return auth.Grant{}, &hintError{code: exitUsage,
			msg: e.text(fmt.Sprintf("$%s is the refresh token of %s, not of %s", refreshTokenEnv, g.OpenID, t.id),
				fmt.Sprintf("$%s 是 %s 的 refresh_token，不是 %s 的", refreshTokenEnv, g.OpenID, t.id))}
	}
	return g, nil
}

// envVerify verifies the access token in $DOUYIN_ACCESS_TOKEN, or else the
// one that a refresh of $DOUYIN_REFRESH_TOKEN gives, in memory.
func (e *env) envVerify(ctx context.Context, c *command, t accountTarget) (auth.Grant, error) {
	g, err := e.envAccount(ctx, c, t)
	if err != nil || fromEnv(accessTokenEnv) != "" {
		// Userinfo has shown the access token alive already.
		return g, err
	}
	return t.flow.Verify(ctx, g.OpenID)
}

// envAccount puts the account of the environment into t's in-memory flow:
// the access token in $DOUYIN_ACCESS_TOKEN, once userinfo has shown it alive
// and t's account's, or else what a refresh of $DOUYIN_REFRESH_TOKEN gives.
func (e *env) envAccount(ctx context.Context, c *command, t accountTarget) (auth.Grant, error) {
	at := fromEnv(accessTokenEnv)
	if at == "" {
		return e.envRefresh(ctx, t)
	}
	if t.id == "" {
		return auth.Grant{}, c.usageText(fmt.Sprintf("--account OPEN_ID is needed with the access token in $%s, which does not tell whose it is", accessTokenEnv),
			fmt.Sprintf("使用 $%s 中的 access_token 需要用 --account 指定 open_id：access_token 本身不表明属于哪个账号", accessTokenEnv))
	}
	e.note(e.text(fmt.Sprintf("the access token comes from $%s: the keyring holds none for this account; nothing is stored", accessTokenEnv),
		fmt.Sprintf("access_token 取自 $%s：钥匙串中没有这个账号的调用凭证；不保存任何内容", accessTokenEnv)))
	g, err := t.flow.ImportAccessToken(ctx, at, t.id)
	return g, e.envError(err, accessTokenEnv)
}

// envError returns why a token from the environment variable name did not
// work: the platform's answer, since the token was used, not imported.
func (e *env) envError(err error, name string) error {
	var ie *auth.ImportError
	switch {
	case !errors.As(err, &ie):
		return err
	case ie.Err != nil:
		return ie.Err
	case ie.Failure == auth.ImportMalformed:
		return &hintError{code: exitUsage, msg: e.text(fmt.Sprintf("$%s holds white space inside: give exactly one token", name),
			fmt.Sprintf("$%s 中间含有空白字符：请只提供一个调用凭证", name))}
	}
	return err
}
