package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var _ = register(&command{
	name:    "profile add",
	usage:   "profile add NAME --client-key K [--scopes a,b] [--redirect-uri URI] [--base-url URL] [--callback MODE] [--relay-target URL]",
	summary: "Add an app profile. The client_secret is taken from $DOUYIN_CLIENT_SECRET, or else read as one line from standard input, and is kept in the system keyring.",
	details: `The environment follows from --base-url: the default https://open.douyin.com is
the real platform ("douyin"), https://open-sandbox.douyin.com the platform's
sandbox host ("douyin-sandbox"; documented for mini-apps, unverified for web
apps), a loopback address is the sandbox ("sandbox"), and anything else is
"custom".

--callback says how login receives the callback:
  loopback  on this machine, at the loopback redirect URI
  paste     you paste the address the browser was sent to
  relay     the platform redirects to the registered https URI, where a relay
            page (login --relay-page FILE writes it) forwards code and state
            to --relay-target: a loopback URL with a fixed port, such as
            ` + auth.DefaultRelayTarget + `, on which login listens
Without --callback it is loopback for a loopback redirect URI and paste
otherwise. An existing profile is not replaced.`,
	example: `  echo sandbox-demo-secret-0001 | douyin-auth-desk profile add demo \
      --client-key awsandboxdemo0001 --base-url http://127.0.0.1:8790
  DOUYIN_CLIENT_SECRET=... douyin-auth-desk profile add prod --client-key aw123 \
      --redirect-uri https://example.com/douyin/callback --scopes user_info,trial.whitelist
  DOUYIN_CLIENT_SECRET=... douyin-auth-desk profile add relayed --client-key aw123 \
      --redirect-uri https://example.com/douyin/callback \
      --callback relay --relay-target ` + auth.DefaultRelayTarget,
	run: runProfileAdd,
})

func runProfileAdd(ctx context.Context, e *env, c *command, args []string) error {
	p, err := c.parseProfileAdd(e, args)
	if err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	if _, err := st.Profile(p.Name); err == nil {
		return c.usageText(fmt.Sprintf("profile %q already exists; remove it first with: %s profile remove %s", p.Name, progName, p.Name),
			fmt.Sprintf("配置 %q 已存在；请先删除：%s profile remove %s", p.Name, progName, p.Name))
	} else if !errors.Is(err, storage.ErrNoProfile) {
		return err
	}
	secret, err := e.readSecret()
	if err != nil {
		return err
	}
	if err := p.Credentials(secret).Validate(); err != nil {
		return err
	}
	if err := saveProfile(st, p, secret); err != nil {
		return err
	}
	printProfile(e.stdout, p)
	if p.InsecureRedirect() {
		e.warn(e.text("the real platform needs an https redirect URI registered in the console; http works in the sandbox only.",
			"真实平台要求在控制台登记 https 回调地址；http 只适用于沙盒。"))
	}
	if st.SessionOnly() {
		// A login would keep its tokens no longer than the secret.
		e.note(e.text(fmt.Sprintf("without a keyring the client_secret was not kept: the commands that need it take it from $%s, and an account's tokens from $%s",
			secretEnv, refreshTokenEnv),
			fmt.Sprintf("没有钥匙串，应用密钥（client_secret）未保存：需要它的命令从 $%s 读取，账号的调用凭证从 $%s 读取",
				secretEnv, refreshTokenEnv)))
		fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Profile %q added.", p.Name), fmt.Sprintf("已添加配置 %q。", p.Name)))
		return nil
	}
	fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Profile %q added. Authorize a user with: %s login --profile %s", p.Name, progName, p.Name),
		fmt.Sprintf("已添加配置 %q。授权用户：%s login --profile %s", p.Name, progName, p.Name)))
	return nil
}

// parseProfileAdd reads the arguments of profile add into the profile to
// add. Its values are checked by the credentials and the store.
func (c *command) parseProfileAdd(e *env, args []string) (storage.Profile, error) {
	fs := c.flags()
	key := fs.String("client-key", "", "the app's `client_key` (required)")
	scopes := fs.String("scopes", auth.DefaultScopes, "comma-separated `scopes` to ask for")
	redirect := fs.String("redirect-uri", sandbox.DemoRedirectURI, "the redirect `URI` registered for the app")
	base := fs.String("base-url", auth.DefaultBaseURL, "the platform's base `URL`")
	callback := fs.String("callback", "", "the callback `mode` of login: loopback, paste or relay (default loopback for a loopback redirect URI, else paste)")
	relayTarget := fs.String("relay-target", "", "the loopback `URL` the relay page forwards to (required with --callback relay)")
	pos, err := c.parse(e, fs, args, "NAME")
	if err != nil {
		return storage.Profile{}, err
	}
	if err := storage.ValidateName(pos[0]); err != nil {
		return storage.Profile{}, err
	}
	if *key == "" {
		return storage.Profile{}, c.usageText("--client-key is required", "必须提供 --client-key")
	}
	env, baseURL, ok := environment(*base)
	if !ok {
		return storage.Profile{}, c.usageText(fmt.Sprintf("--base-url %q is not an http(s) address such as http://127.0.0.1:8790", *base),
			fmt.Sprintf("--base-url %q 不是 http(s) 地址（例如 http://127.0.0.1:8790）", *base))
	}
	mode, err := c.callbackMode(*callback, *relayTarget, *redirect)
	if err != nil {
		return storage.Profile{}, err
	}
	return storage.Profile{Name: pos[0], Environment: env, BaseURL: baseURL, ClientKey: *key,
		Scopes: auth.SplitScopes(*scopes), RedirectURI: *redirect, CallbackMode: mode, RelayTarget: *relayTarget}, nil
}

// callbackMode returns the callback mode that --callback names, or without
// it the one that suits the redirect URI, and checks that --relay-target
// is given in relay mode and only there.
func (c *command) callbackMode(mode, relayTarget, redirectURI string) (string, error) {
	switch mode {
	case "":
		mode = storage.ModePaste
		if auth.IsLoopbackRedirect(redirectURI) {
			mode = storage.ModeLoopback
		}
	case storage.ModeLoopback, storage.ModePaste:
	case storage.ModeRelay:
		if relayTarget == "" {
			return "", c.usageText(fmt.Sprintf("--callback relay needs --relay-target, a loopback URL with a fixed port such as %s", auth.DefaultRelayTarget),
				fmt.Sprintf("--callback relay 需要 --relay-target：一个端口固定的本机地址，例如 %s", auth.DefaultRelayTarget))
		}
		return mode, nil
	default:
		return "", c.usageText(fmt.Sprintf("--callback %q is not loopback, paste or relay", mode),
			fmt.Sprintf("--callback %q 不是 loopback、paste 或 relay", mode))
	}
	if relayTarget != "" {
		return "", c.usageText("--relay-target is used with --callback relay only", "--relay-target 只能与 --callback relay 一起使用")
	}
	return mode, nil
}

// saveProfile stores p and its client_secret, or neither.
func saveProfile(st *storage.Store, p storage.Profile, secret string) error {
	if err := st.SaveProfile(p); err != nil {
		var fe *auth.FieldError
		if errors.As(err, &fe) && fe.Field == auth.FieldRelayTarget {
			return &hintError{err: err,
				hint:   "The relay target must be an http(s) loopback URL with a fixed port, such as " + auth.DefaultRelayTarget + ".",
				hintZH: "中转目标必须是端口固定的 http(s) 本机地址，例如 " + auth.DefaultRelayTarget + "。"}
		}
		return err
	}
	if err := st.SetSecret(p.Name, secret); err != nil {
		_ = st.DeleteProfile(p.Name)
		return &hintError{msg: "cannot store the client_secret", msgZH: "无法保存应用密钥（client_secret）", err: err}
	}
	return nil
}

// printProfile writes the "name: value" lines of profile p.
func printProfile(w io.Writer, p storage.Profile) {
	printField(w, "profile", p.Name)
	printField(w, "environment", p.Environment)
	printField(w, "base_url", p.Endpoint())
	printField(w, "client_key", p.ClientKey)
	printField(w, "scopes", strings.Join(p.Scopes, ","))
	printField(w, "redirect_uri", p.RedirectURI)
	printField(w, "callback_mode", p.CallbackMode)
	if p.RelayTarget != "" {
		printField(w, "relay_target", p.RelayTarget)
	}
}

// readSecret takes the client_secret from $DOUYIN_CLIENT_SECRET or one line
// of stdin. Only the line ending is removed; App.Validate reports other
// white space.
func (e *env) readSecret() (string, error) {
	if s, ok := os.LookupEnv(secretEnv); ok && s != "" {
		return s, nil
	}
	prompted := isTerminal(e.stdin)
	if prompted {
		fmt.Fprint(e.stderr, e.text("client_secret (input is shown; set $"+secretEnv+" to avoid typing it): ",
			"应用密钥 client_secret（输入内容可见；设置 $"+secretEnv+" 可免去输入）："))
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		if prompted {
			fmt.Fprintln(e.stderr)
		}
		return "", nil // empty: Validate says so
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// environment classifies a base URL: the platform's own address is
// EnvDouyin and its sandbox host EnvDouyinSandbox (both stored without a
// base URL), a loopback address EnvSandbox and anything else EnvCustom. It
// reports false for a base URL that is not an http(s) address.
func environment(base string) (env, baseURL string, ok bool) {
	b := strings.TrimRight(strings.TrimSpace(base), "/")
	if b == "" || b == auth.DefaultBaseURL {
		return storage.EnvDouyin, "", true
	}
	if b == auth.PlatformSandboxURL {
		return storage.EnvDouyinSandbox, "", true
	}
	if storage.ValidateBaseURL(b) != nil {
		return "", "", false
	}
	if auth.IsLoopbackRedirect(b) {
		return storage.EnvSandbox, b, true
	}
	return storage.EnvCustom, b, true
}

var _ = register(&command{
	name:    "profile list",
	usage:   "profile list [--json]",
	summary: "List the app profiles with their environment, base URL, client_key and accounts. Never shows a secret.",
	details: `--json prints
  {"profiles":[{"name","environment","base_url","client_key","scopes":[...],
    "optional_scope","redirect_uri","callback_mode","relay_target" (relay mode
    only),"accounts":["open_id",...]}]}`,
	example: `  douyin-auth-desk profile list
  douyin-auth-desk profile list --json | jq -r '.profiles[].name'`,
	run: runProfileList,
})

// profileList is the JSON printed by profile list --json.
type profileList struct {
	Profiles []profileEntry `json:"profiles"`
}

// profileEntry is one profile in profileList.
type profileEntry struct {
	Name          string   `json:"name"`
	Environment   string   `json:"environment"`
	BaseURL       string   `json:"base_url"`
	ClientKey     string   `json:"client_key"`
	Scopes        []string `json:"scopes"`
	OptionalScope string   `json:"optional_scope"`
	RedirectURI   string   `json:"redirect_uri"`
	CallbackMode  string   `json:"callback_mode"`
	RelayTarget   string   `json:"relay_target,omitempty"` // with callback_mode relay
	Accounts      []string `json:"accounts"`               // open_ids
}

func runProfileList(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := c.parse(e, fs, args); err != nil {
		return err
	}
	st, err := e.openStore()
	if err != nil {
		return err
	}
	ps, err := st.Profiles()
	if err != nil {
		return err
	}
	out := profileList{Profiles: []profileEntry{}}
	for _, p := range ps {
		ids := []string{}
		for _, a := range p.Accounts {
			ids = append(ids, a.OpenID)
		}
		scopes := p.Scopes
		if scopes == nil {
			scopes = []string{}
		}
		out.Profiles = append(out.Profiles, profileEntry{
			Name: p.Name, Environment: p.Environment, BaseURL: p.Endpoint(), ClientKey: p.ClientKey,
			Scopes: scopes, OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI,
			CallbackMode: p.CallbackMode, RelayTarget: p.RelayTarget, Accounts: ids,
		})
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	if len(out.Profiles) == 0 {
		e.noProfiles()
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tENVIRONMENT\tBASE URL\tCLIENT KEY\tCALLBACK\tACCOUNTS")
	for _, p := range out.Profiles {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\n", sanitize(p.Name), sanitize(p.Environment), sanitize(p.BaseURL),
			sanitize(p.ClientKey), sanitize(p.CallbackMode), len(p.Accounts))
	}
	return tw.Flush()
}

var _ = register(&command{
	name:    "profile remove",
	usage:   "profile remove NAME",
	summary: "Remove an app profile with its client_secret, accounts and tokens.",
	example: `  douyin-auth-desk profile remove demo`,
	run:     runProfileRemove,
})

func runProfileRemove(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	pos, err := c.parse(e, fs, args, "NAME")
	if err != nil {
		return err
	}
	st, _, err := e.loadProfile(pos[0])
	if err != nil {
		return err
	}
	if err := st.DeleteProfile(pos[0]); err != nil {
		return err
	}
	printField(e.stdout, "removed", pos[0])
	return nil
}

// noProfiles tells, on stderr, that there are no profiles and how to add one.
func (e *env) noProfiles() {
	fmt.Fprintln(e.stderr, e.text("No profiles yet. Add one with: ", "还没有配置。添加：")+progName+" profile add NAME --client-key K")
}

// isTerminal reports whether r is an interactive character device (not
// /dev/null), where a prompt makes sense.
func isTerminal(r any) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	if null, err := os.Stat(os.DevNull); err == nil && os.SameFile(fi, null) {
		return false
	}
	return true
}
