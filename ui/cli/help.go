package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

const exitHelp = `Exit status:
  0  success
  1  platform or network error, or another failure
  2  usage error: bad command, flag or value, unknown profile
  3  authorization needed: no account, refresh token expired (10010),
     renewal limit reached (10020), code expired or used (10007), or
     secrets stored for another client_key or base URL;
     run 'douyin-auth-desk login --profile NAME'
`

const exitHelpZH = `退出状态：
  0  成功
  1  平台或网络错误，或其他失败
  2  用法错误：命令、参数或取值有误，配置不存在
  3  需要授权：没有账号、refresh_token 已过期（10010）、续期次数已用完
     （10020）、授权码已过期或已使用（10007），或保存的应用密钥和调用凭证
     属于另一个 client_key 或平台地址；
     请运行 'douyin-auth-desk login --profile NAME'
`

const topUsage = `Usage: douyin-auth-desk COMMAND [flags]   (douyin-auth-desk --help lists the commands)
`

const topUsageZH = `用法：douyin-auth-desk COMMAND [flags]（douyin-auth-desk --help 列出全部命令）
`

const topHelp = `Douyin Auth Desk runs the Douyin Open Platform OAuth flow: it authorizes
users of your app, keeps their tokens in the system keyring, and refreshes,
renews and verifies them. Without arguments it opens the window.

Usage:
  douyin-auth-desk COMMAND [flags]

Commands:
  sandbox         run a local emulator of the platform's OAuth endpoints
  sandbox-revoke  cancel an account's authorization in the local sandbox
  profile add     add an app profile (client_key, secret, scopes, redirect URI)
  profile list    list the app profiles
  profile remove  remove an app profile with its accounts and tokens
  login           authorize a user in the browser and store the tokens
  status          show every account's token expiries and time left
  refresh         get a new access token with the refresh token
  renew           replace the refresh token with a new one (at most 5 times)
  verify          check that the access token works (calls userinfo)
  client-token    fetch and store an app-only client token (--stable: the stable one)
  token           print a stored token, for $(...) in scripts
  import          store an account from a refresh or access token read from stdin
  apis            list the OpenAPIs that call can try
  call            call an OpenAPI with the stored token and print its JSON response
  help COMMAND    show a command's flags and an example

Run 'douyin-auth-desk COMMAND --help' for the command's flags and an example.

Results go to standard output; the authorization URL, prompts, warnings and
errors go to standard error. Only 'token' prints a secret.

Environment:
  DOUYIN_CLIENT_SECRET         client_secret for 'profile add' (else one line of stdin),
                               and for every command when the keyring holds none
  DOUYIN_REFRESH_TOKEN         the account's refresh token for refresh, verify, token
                               and call when the keyring holds none (no keyring: CI,
                               servers); what it obtains is not stored
  DOUYIN_ACCESS_TOKEN          the access token for verify and call, likewise
  DOUYIN_AUTH_DESK_CONFIG_DIR  configuration directory (default: user config dir)
  LC_ALL, LC_MESSAGES, LANG    zh* shows messages in Chinese

` + exitHelp + `
Example:
  douyin-auth-desk sandbox &
  echo sandbox-demo-secret-0001 | douyin-auth-desk profile add demo \
      --client-key awsandboxdemo0001 --base-url http://127.0.0.1:8790
  douyin-auth-desk login --profile demo
  douyin-auth-desk status
  curl -d "access_token=$(douyin-auth-desk token --profile demo)" ...
`

const profileUsage = `Usage: douyin-auth-desk profile add|list|remove ...   (douyin-auth-desk profile --help)
`

const profileUsageZH = `用法：douyin-auth-desk profile add|list|remove ...（douyin-auth-desk profile --help 查看详细说明）
`

const profileHelp = `Manage app profiles: an app's client_key, client_secret (kept in the system
keyring), scopes, redirect URI and platform address, with its accounts.

Usage:
  douyin-auth-desk profile add NAME --client-key K [--scopes a,b] [--redirect-uri URI] [--base-url URL]
      [--callback loopback|paste|relay] [--relay-target URL]
  douyin-auth-desk profile list [--json]
  douyin-auth-desk profile remove NAME

Run 'douyin-auth-desk profile SUBCOMMAND --help' for details.

` + exitHelp

// helpWords are the headings and phrases of a command's help, in English
// and Chinese.
var helpWords = map[string]struct{ usage, flags, help, def, example, exit string }{
	"en": {"Usage: ", "Flags:", "show this help", " (default %s)", "Example:", exitHelp},
	"zh": {"用法：", "参数：", "显示本帮助", "（默认 %s）", "示例：", exitHelpZH},
}

// printHelp writes c's full help on e's standard output: synopsis,
// summary, flags, example and exit statuses, in Chinese where c has its
// help in Chinese and the command speaks it.
func (c *command) printHelp(e *env, fs *flag.FlagSet) {
	w, summary, details := helpWords["en"], wrap(c.summary, 78), c.details
	if e.lang == "zh" && c.summaryZH != "" {
		w, summary, details = helpWords["zh"], c.summaryZH, c.detailsZH
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%s %s\n\n%s\n", w.usage, progName, c.usage, summary)
	if details != "" {
		fmt.Fprintf(&b, "\n%s\n", strings.TrimRight(details, "\n"))
	}
	b.WriteString("\n" + w.flags + "\n")
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + strings.ToUpper(arg)
		}
		fmt.Fprintf(&b, "  %-22s %s", name, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			fmt.Fprintf(&b, w.def, f.DefValue)
		}
		b.WriteString("\n")
	})
	fmt.Fprintf(&b, "  %-22s %s\n", "-h, --help", w.help)
	fmt.Fprintf(&b, "\n%s\n%s\n\n%s", w.example, strings.TrimRight(c.example, "\n"), w.exit)
	io.WriteString(e.stdout, b.String())
}

// wrap breaks s into lines of at most width characters at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		switch {
		case i == 0:
		case n+1+len(w) > width:
			b.WriteString("\n")
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}
