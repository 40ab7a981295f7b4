package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// maxPages bounds how many pages call --all follows.
const maxPages = 100

var _ = register(&command{
	name:    "call",
	usage:   "call --profile NAME [--account OPEN_ID] [--all] [--curl] API [KEY=VALUE ...]",
	summary: "Call an OpenAPI of the catalogue (see: douyin-auth-desk apis) with the profile's stored token and print its JSON response.",
	details: `API is a name from douyin-auth-desk apis; KEY=VALUE pairs are its parameters,
and a parameter left out takes its default. open_id and the token are filled
in: for an access_token API the account's access token (--account may be left
out when the profile has exactly one account), for a client_token API the
stored client token (fetch one with client-token; --account is not used).
Before sending, call checks that the account's authorization holds the scope
the API needs.

Where the keyring holds no tokens for the account (a system without a keyring:
CI runners, servers, containers), call uses the access token in
$DOUYIN_ACCESS_TOKEN, of --account or the profile's only account, or else
refreshes the refresh token in $DOUYIN_REFRESH_TOKEN, and stores nothing it
obtains.

Standard output is the platform's JSON response, indented, also when the
platform answers an error; the error and what to do go to standard error.
When the API pages and more follows, standard error says which cursor fetches
the next page; --all follows the cursors itself (at most 100 pages) and
prints one JSON document per page. --curl shows the request on standard
error as a curl command, the token masked.

Exit status 1 for a platform error or an expired access token (refresh it);
3 when the account, its authorization of the scope or the client token is
missing, or the refresh token expired too.`,
	example: `  douyin-auth-desk call --profile demo userinfo
  douyin-auth-desk call --profile demo video-list count=20
  douyin-auth-desk call --profile demo --all fans-list | jq -s 'map(.data.list[]) | length'
  douyin-auth-desk call --profile demo user-fans date_type=30
  douyin-auth-desk call --profile demo hot-videos
  DOUYIN_ACCESS_TOKEN=act.... douyin-auth-desk call --profile ci --account OPEN_ID video-list`,
	run:       runCall,
	summaryZH: "用配置保存的调用凭证调用目录中的 OpenAPI（查看：douyin-auth-desk apis），输出它的 JSON 响应体。",
	detailsZH: `API 是 douyin-auth-desk apis 列出的名称；KEY=VALUE 是它的参数，不填的参数取
默认值。open_id 和调用凭证自动填写：access_token 的 API 使用账号的
access_token（用户授权调用凭证；配置只有一个账号时可省略 --account），
client_token 的 API 使用保存的 client_token（应用级调用凭证；先用 client-token
获取；不使用 --account）。发送前，call 会检查账号的授权是否包含该 API 所需的
授权作用域（scope）。

钥匙串中没有该账号的调用凭证时（没有钥匙串的系统：CI、服务器、容器），call
使用 $DOUYIN_ACCESS_TOKEN 中属于 --account 或配置唯一账号的 access_token，
否则刷新 $DOUYIN_REFRESH_TOKEN 中的 refresh_token；获得的一切都不保存。

标准输出是平台的 JSON 响应体（缩进排版），平台返回错误时也一样；错误和处理
方法输出到标准错误。API 分页且还有下一页时，标准错误给出获取下一页的 cursor；
--all 自动翻页（最多 100 页），每页输出一个 JSON 文档。--curl 在标准错误上
以 curl 命令显示请求，调用凭证已打码。

平台错误或 access_token 已过期（请刷新）时退出状态为 1；缺少账号、授权作用域
（scope）或 client_token，或 refresh_token 也已过期时为 3。`,
})

// callArgs are the flags and arguments of call.
type callArgs struct {
	profile, account string
	all, curl        bool
	api              auth.API
	params           map[string]string
}

func runCall(ctx context.Context, e *env, c *command, args []string) error {
	a, err := c.parseCall(e, args)
	if err != nil {
		return err
	}
	st, p, err := e.loadProfile(a.profile)
	if err != nil {
		return err
	}
	if a.api.Auth == auth.AuthClient {
		if a.account != "" {
			return c.usageText(fmt.Sprintf("%s takes the app's client_token; --account is not used", a.api.Name),
				fmt.Sprintf("%s 使用应用的 client_token（应用级调用凭证），不需要 --account", a.api.Name))
		}
		flow, err := e.flow(st, p, false)
		if err != nil {
			return err
		}
		return e.callPages(ctx, flow, p, "", a)
	}
	t, err := e.resolve(c, st, p, a.account)
	if err != nil {
		return err
	}
	if t.fromEnv {
		g, err := e.envAccount(ctx, c, t)
		if err != nil {
			return withHint(err, p.Name)
		}
		t.id = g.OpenID
	}
	return e.callPages(ctx, t.flow, p, t.id, a)
}

// callPages calls a.api, and with --all the pages after, printing each
// answer.
func (e *env) callPages(ctx context.Context, flow *auth.Flow, p storage.Profile, id string, a callArgs) error {
	params := a.params
	for page := 1; ; page++ {
		res, err := flow.Call(ctx, a.api, id, params)
		if a.curl && res.Curl != "" {
			fmt.Fprintln(e.stderr, sanitize(res.Curl))
		}
		if json.Valid(res.Body) {
			if werr := writeJSON(e.stdout, json.RawMessage(res.Body)); werr != nil {
				return werr
			}
		}
		if err != nil {
			return e.callError(err, p)
		}
		next, more := res.Next(params)
		switch {
		case !more:
			return nil
		case !a.all:
			fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("More follows: add cursor=%d for the next page, or --all for every page.", res.Cursor),
				fmt.Sprintf("还有更多：加上 cursor=%d 获取下一页，或用 --all 获取全部。", res.Cursor)))
			return nil
		case page >= maxPages:
			fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Stopped after %d pages; the next one is cursor=%d.", maxPages, res.Cursor),
				fmt.Sprintf("已获取 %d 页后停止；下一页为 cursor=%d。", maxPages, res.Cursor)))
			return nil
		}
		params = next
	}
}

// parseCall reads the flags, the API's name and its KEY=VALUE parameters.
func (c *command) parseCall(e *env, args []string) (callArgs, error) {
	fs := c.flags()
	var a callArgs
	fs.StringVar(&a.profile, "profile", "", e.text("the profile `NAME` (required)", "配置名称 `NAME`（必填）"))
	fs.StringVar(&a.account, "account", "", e.text("the account's `OPEN_ID` (may be left out with one account)",
		"账号的 `OPEN_ID`（配置只有一个账号时可省略）"))
	fs.BoolVar(&a.all, "all", false, e.text("follow the cursors and print every page", "自动翻页，输出每一页"))
	fs.BoolVar(&a.curl, "curl", false, e.text("show the request as a curl command on standard error, the token masked",
		"在标准错误上以 curl 命令显示请求，调用凭证已打码"))
	pos, err := c.parse(e, fs, args, rest)
	switch {
	case err != nil:
		return callArgs{}, err
	case a.profile == "":
		return callArgs{}, c.usageText("--profile is required", "必须提供 --profile")
	case len(pos) == 0:
		return callArgs{}, c.usageText("missing API (see: "+progName+" apis)", "缺少 API（查看："+progName+" apis）")
	}
	api, ok := auth.FindAPI(pos[0])
	if !ok {
		names := []string{}
		for _, x := range auth.Catalog() {
			names = append(names, x.Name)
		}
		return callArgs{}, c.usageText(fmt.Sprintf("unknown API %q; the catalogue has: %s", pos[0], strings.Join(names, ", ")),
			fmt.Sprintf("没有名为 %q 的 API；可调用的有：%s", pos[0], strings.Join(names, ", ")))
	}
	a.api = api
	a.params, err = c.callParams(api, pos[1:])
	return a, err
}

// callParams reads KEY=VALUE arguments into api's parameters.
func (c *command) callParams(api auth.API, args []string) (map[string]string, error) {
	params := map[string]string{}
	for _, arg := range args {
		k, v, ok := strings.Cut(arg, "=")
		switch {
		case !ok || k == "":
			return nil, c.usageText(fmt.Sprintf("%q is not KEY=VALUE", arg), fmt.Sprintf("%q 不是 KEY=VALUE 形式", arg))
		case k == "open_id" || k == "access_token":
			return nil, c.usageText(fmt.Sprintf("%s is filled in by call: the account comes from --account, the token from the profile", k),
				fmt.Sprintf("%s 由 call 自动填写：账号取自 --account，调用凭证取自配置", k))
		}
		if _, known := api.Param(k); !known {
			u := c.usageText(fmt.Sprintf("%s takes no parameter %q; it takes: %s", api.Name, k, paramSummary(api)),
				fmt.Sprintf("%s 没有参数 %q；它的参数：%s", api.Name, k, paramSummary(api))).(*usageError)
			u.usage = describeParams(api, "en") + u.usage
			u.usageZH = describeParams(api, "zh") + u.usageZH
			return nil, u
		}
		if _, dup := params[k]; dup {
			return nil, c.usageText(fmt.Sprintf("%s is given twice", k), fmt.Sprintf("%s 重复给出", k))
		}
		params[k] = v
	}
	return params, nil
}

// callError gives an error of call its exit status and what to do: 3 when
// the scope, the client token or a live refresh token is missing.
func (e *env) callError(err error, p storage.Profile) error {
	var scope *auth.MissingScopeError
	var tok *auth.TokenError
	switch {
	case errors.As(err, &scope):
		return &hintError{err: err, code: exitReauth, hint: e.scopeHint(p, scope.Scope)}
	case errors.Is(err, auth.ErrNoClientToken):
		return &hintError{err: err, code: exitReauth, hint: e.text(
			fmt.Sprintf("Fetch one with: %s client-token --profile %s --stable", progName, p.Name),
			fmt.Sprintf("先获取：%s client-token --profile %s --stable", progName, p.Name))}
	case errors.As(err, &tok) && tok.Auth == auth.AuthClient:
		return &hintError{err: err, code: exitReauth, hint: e.text(
			fmt.Sprintf("Fetch a new one with: %s client-token --profile %s --stable", progName, p.Name),
			fmt.Sprintf("重新获取：%s client-token --profile %s --stable", progName, p.Name))}
	case errors.As(err, &tok) && !tok.RefreshExpired && !tok.Expiry.IsZero():
		return &hintError{err: err, code: exitError, hint: e.text(
			fmt.Sprintf("Refresh it with: %s refresh --profile %s --account %s", progName, p.Name, tok.OpenID),
			fmt.Sprintf("刷新：%s refresh --profile %s --account %s", progName, p.Name, tok.OpenID))}
	case errors.As(err, &tok):
		return &hintError{err: err, code: exitReauth, reauth: p.Name}
	}
	return withHint(err, p.Name)
}

// scopeHint tells how to obtain scope: ask for it in the profile, then
// authorize again.
func (e *env) scopeHint(p storage.Profile, scope string) string {
	for _, s := range p.Scopes {
		if s == scope {
			return e.text(fmt.Sprintf("Authorize again and grant %s: %s login --profile %s", scope, progName, p.Name),
				fmt.Sprintf("重新授权并同意 %s：%s login --profile %s", scope, progName, p.Name))
		}
	}
	asked := strings.Join(p.Scopes, ",")
	return e.text(
		fmt.Sprintf("Profile %q asks for %s. Add %s to its scopes (the window's Credentials step, or %s profile remove %s and %s profile add %s --scopes %s,%s ...), then: %s login --profile %s",
			p.Name, asked, scope, progName, p.Name, progName, p.Name, asked, scope, progName, p.Name),
		fmt.Sprintf("配置 %q 请求的授权作用域为 %s。先把 %s 加入它的授权作用域（窗口的凭证步骤，或 %s profile remove %s 后 %s profile add %s --scopes %s,%s ...），再重新授权：%s login --profile %s",
			p.Name, asked, scope, progName, p.Name, progName, p.Name, asked, scope, progName, p.Name))
}
