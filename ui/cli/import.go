package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var _ = register(&command{
	name:    "import",
	usage:   "import --profile NAME (--refresh-token | --access-token --open-id OPEN_ID) [--json]",
	summary: "Store an account from a token obtained elsewhere (by your server, on another machine), read from standard input. A refresh token is refreshed once, which tells the account and the lifetimes; an access token is verified through userinfo.",
	details: `The token is read from standard input only, never from the command line, where
other users of the system and the shell history would see it: piped in, or
typed at the prompt (the input is shown). White space around it is ignored.

--refresh-token: the token is refreshed once (this never ends a token held
elsewhere), which gives the open_id, the scope and both expiries; the nickname
comes from userinfo. An account stored already takes the imported refresh
token only once it has worked. An ended refresh token (10010) exits with
status 3.

--access-token --open-id OPEN_ID: userinfo verifies that the token is alive
and belongs to OPEN_ID; an expired, revoked or foreign token, or another
user's, is explained and nothing is stored. Its expiry is unknown until a
refresh. An account stored with a refresh token keeps it; a new one holds the
access token only, and can be verified but not refreshed or renewed.

An imported account is marked "imported" in status. Renewing its refresh
token ends the one held elsewhere, so renew asks first.

Standard output shows open_id, nickname, scope, access_expires_at,
refresh_expires_at (or "refresh_token: none"), renewals and "imported: yes";
--json prints the account as status --json does. Where no keyring keeps
tokens, the token is checked but not stored (exit status 1): give it to each
command in $DOUYIN_REFRESH_TOKEN instead.`,
	example: `  douyin-auth-desk import --profile demo --refresh-token < refresh_token.txt
  printf '%s' "$ACCESS_TOKEN" | douyin-auth-desk import --profile demo --access-token --open-id OPEN_ID`,
	run: runImport,
})

// maxTokenInput bounds what import reads from standard input: far more
// than any token, far less than a mistaken file.
const maxTokenInput = 16 << 10

func runImport(ctx context.Context, e *env, c *command, args []string) error {
	if tokenOnArgv(args) {
		return e.tokenOnArgvError(c)
	}
	fs := c.flags()
	refresh := fs.Bool("refresh-token", false, "import a refresh token, read from standard input")
	access := fs.Bool("access-token", false, "import an access token, read from standard input (with --open-id)")
	openID := fs.String("open-id", "", "the `OPEN_ID` the access token was issued with")
	asJSON := fs.Bool("json", false, "print JSON")
	name, err := c.parseProfile(e, fs, args)
	if err != nil {
		return err
	}
	if err := c.checkImportFlags(*refresh, *access, *openID); err != nil {
		return err
	}
	st, p, err := e.loadProfile(name)
	if err != nil {
		return err
	}
	flow, err := e.flow(st, p, false)
	if err != nil {
		return err
	}
	field := auth.FieldRefreshToken
	if *access {
		field = auth.FieldAccessToken
	}
	token, err := e.readToken(c, p.Name, string(field))
	if err != nil {
		return err
	}
	if st.SessionOnly() {
		flow = inMemory(flow)
	}
	var g auth.Grant
	if *refresh {
		g, err = flow.ImportRefreshToken(ctx, token)
	} else {
		g, err = flow.ImportAccessToken(ctx, token, *openID)
	}
	if err != nil {
		return withHint(err, p.Name)
	}
	if st.SessionOnly() {
		return e.notKept(g)
	}
	return e.printImport(p, g, *asJSON)
}

// checkImportFlags checks that import was asked for exactly one kind of
// token, and for an access token with its open_id.
func (c *command) checkImportFlags(refresh, access bool, openID string) error {
	switch {
	case refresh == access:
		return c.usageText("give --refresh-token, or --access-token with --open-id", "请指定 --refresh-token，或 --access-token 加 --open-id")
	case access && strings.TrimSpace(openID) == "":
		return c.usageText("--access-token needs --open-id: the open_id the token was issued with",
			"--access-token 需要 --open-id：与该调用凭证一同下发的 open_id")
	case refresh && openID != "":
		return c.usageText("--open-id goes with --access-token only: a refresh token tells its own open_id",
			"--open-id 只能与 --access-token 一起使用：refresh_token 自身会给出 open_id")
	}
	return nil
}

// tokenOnArgv reports whether import's args carry something that is neither
// a flag nor a flag's value: a token typed on the command line. It looks
// before the flags are parsed, whose errors would quote it.
func tokenOnArgv(args []string) bool {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return i+1 < len(args)
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			return true
		}
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch name {
		case "refresh-token", "access-token", "json", "h", "help":
			if _, err := strconv.ParseBool(value); hasValue && err != nil {
				return true
			}
		case "profile", "open-id":
			if !hasValue {
				i++ // its value
			}
		default:
			// The parser stops at an unknown flag, naming only the flag.
			return false
		}
	}
	return false
}

// tokenOnArgvError refuses a token given on the command line, without
// repeating it.
func (e *env) tokenOnArgvError(c *command) error {
	return &hintError{code: exitUsage,
		msg: e.text("import reads the token from standard input only: on the command line other users of this system (ps) and the shell history see it, so nothing was imported",
			"import 只从标准输入读取调用凭证：写在命令行上会被本机其他用户（ps）和 shell 历史记录看到，因此未导入"),
		hint: e.text("Pipe it in instead: ", "请改为从标准输入传入：") + progName + " import --profile NAME --refresh-token < token.txt"}
}

// readToken reads the token to import from standard input: one line at a
// terminal, after a prompt (the input is shown: the command line has no
// way to hide it), otherwise all of it. White space around it is dropped.
func (e *env) readToken(c *command, profile, name string) (string, error) {
	var raw []byte
	var err error
	if isTerminal(e.stdin) {
		fmt.Fprint(e.stderr, e.text(name+" (the input is shown; pipe it in to keep it off the screen): ",
			name+"（输入内容可见；从标准输入传入可不显示）："))
		var line string
		line, err = bufio.NewReader(io.LimitReader(e.stdin, maxTokenInput+1)).ReadString('\n')
		raw = []byte(line)
		if err == io.EOF {
			err = nil
		}
	} else {
		raw, err = io.ReadAll(io.LimitReader(e.stdin, maxTokenInput+1))
	}
	switch {
	case err != nil:
		return "", &hintError{msg: e.text("cannot read standard input", "无法读取标准输入"), err: err}
	case len(raw) > maxTokenInput:
		return "", &hintError{code: exitUsage,
			msg: e.text(fmt.Sprintf("standard input holds more than %d bytes, which is no %s", maxTokenInput, name),
				fmt.Sprintf("标准输入超过 %d 字节，不是 %s", maxTokenInput, name))}
	}
	token := strings.TrimSpace(string(raw))
	if token == "" {
		return "", &hintError{code: exitUsage,
			msg: e.text(fmt.Sprintf("standard input held no %s", name), fmt.Sprintf("标准输入中没有 %s", name)),
			hint: e.text("Pipe it in: ", "请从标准输入传入：") + fmt.Sprintf("%s import --profile %s --%s ... < token.txt",
				progName, profile, strings.ReplaceAll(name, "_", "-"))}
	}
	return token, nil
}

// notKept reports a token that works but that no keyring can keep.
func (e *env) notKept(g auth.Grant) error {
	variable := refreshTokenEnv
	if g.AccessOnly {
		variable = accessTokenEnv
	}
	return &hintError{code: exitError,
		msg: e.text(fmt.Sprintf("the token works (open_id %s), but this system has no keyring to keep it, so it was not imported", g.OpenID),
			fmt.Sprintf("调用凭证有效（open_id %s），但本系统没有可用的钥匙串来保存它，因此未导入", g.OpenID)),
		hint: e.text(fmt.Sprintf("Give it to each command in $%s instead.", variable),
			fmt.Sprintf("请改为在每条命令的环境变量 $%s 中提供。", variable))}
}

// printImport writes the imported account: as status --json shows an
// account, or as "name: value" lines; stderr tells whether it was new.
func (e *env) printImport(p storage.Profile, g auth.Grant, asJSON bool) error {
	known := slices.ContainsFunc(p.Accounts, func(a auth.Account) bool { return a.OpenID == g.OpenID })
	if known {
		fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Imported: account %s of profile %q updated.", g.OpenID, p.Name),
			fmt.Sprintf("已导入：更新了配置 %q 的账号 %s。", p.Name, g.OpenID)))
	} else {
		fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Imported: account %s added to profile %q.", g.OpenID, p.Name),
			fmt.Sprintf("已导入：账号 %s 已添加到配置 %q。", g.OpenID, p.Name)))
	}
	if asJSON {
		return writeJSON(e.stdout, accountJSON(g.Account, now()))
	}
	if g.AccessOnly {
		printField(e.stdout, "open_id", g.OpenID)
		if g.Nickname != "" {
			printField(e.stdout, "nickname", g.Nickname)
		}
		printExpiry(e.stdout, "access", g.AccessExpiry, now())
		fmt.Fprintln(e.stdout, "refresh_token: none")
	} else {
		printGrant(e.stdout, g)
	}
	fmt.Fprintln(e.stdout, "imported: yes")
	return nil
}
