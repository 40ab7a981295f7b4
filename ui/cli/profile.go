package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// Defaults of profile add.
const (
	DefaultScopes      = "user_info,renew_refresh_token"
	DefaultRedirectURI = "http://127.0.0.1:8791/callback"
)

// SecretEnv names the environment variable profile add takes the
// client_secret from before reading stdin.
const SecretEnv = "DOUYIN_CLIENT_SECRET"

var _ = register(&command{
	name:    "profile add",
	usage:   "profile add NAME --client-key K [--scopes a,b] [--redirect-uri URI] [--base-url URL]",
	summary: "Add an app profile. The client_secret is taken from $DOUYIN_CLIENT_SECRET, or else read as one line from standard input, and is kept in the system keyring.",
	details: `The environment follows from --base-url: the default https://open.douyin.com is
the real platform ("douyin"), a loopback address is the sandbox ("sandbox"),
anything else is "custom". The callback is captured on this machine when the
redirect URI is a loopback address ("loopback"); otherwise login asks you to
paste the redirected URL ("paste"). An existing profile is not replaced.`,
	example: `  echo sandbox-demo-secret-0001 | douyin-auth-desk profile add demo \
      --client-key awsandboxdemo0001 --base-url http://127.0.0.1:8790
  DOUYIN_CLIENT_SECRET=... douyin-auth-desk profile add prod --client-key aw123 \
      --redirect-uri https://example.com/douyin/callback --scopes user_info,trial.whitelist`,
	run: runProfileAdd,
})

func runProfileAdd(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	key := fs.String("client-key", "", "the app's `client_key` (required)")
	scopes := fs.String("scopes", DefaultScopes, "comma-separated `scopes` to ask for")
	redirect := fs.String("redirect-uri", DefaultRedirectURI, "the redirect `URI` registered for the app")
	base := fs.String("base-url", storage.DefaultBaseURL, "the platform's base `URL`")
	pos, err := c.parse(e, fs, args, "NAME")
	if err != nil {
		return err
	}
	name := pos[0]
	if err := storage.ValidateName(name); err != nil {
		return err
	}
	if *key == "" {
		return c.usagef("--client-key is required")
	}
	env, baseURL, err := environment(*base)
	if err != nil {
		return c.usagef("%v", err)
	}
	app := auth.Credentials{ClientKey: *key, Scopes: splitScopes(*scopes), RedirectURI: *redirect}

	st, err := e.openStore()
	if err != nil {
		return err
	}
	if _, err := st.Profile(name); err == nil {
		return c.usagef("profile %q already exists; remove it first with: %s profile remove %s", name, progName, name)
	} else if !errors.Is(err, storage.ErrNoProfile) {
		return err
	}

	secret, err := e.readSecret()
	if err != nil {
		return err
	}
	app.ClientSecret = secret
	if err := app.Validate(); err != nil {
		return err
	}

	mode := storage.ModePaste
	if auth.IsLoopbackRedirect(app.RedirectURI) {
		mode = storage.ModeLoopback
	}
	p := storage.Profile{
		Name:         name,
		Environment:  env,
		BaseURL:      baseURL,
		ClientKey:    app.ClientKey,
		Scopes:       app.Scopes,
		RedirectURI:  app.RedirectURI,
		CallbackMode: mode,
	}
	if err := st.SaveProfile(p); err != nil {
		return err
	}
	if err := st.SetSecret(name, secret); err != nil {
		_ = st.DeleteProfile(name)
		return &hintError{msg: "cannot store the client_secret", err: err}
	}
	printProfile(e.stdout, p)
	fmt.Fprintf(e.stderr, "Profile %q added. Authorize a user with: %s login --profile %s\n", name, progName, name)
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
}

// readSecret takes the client_secret from $DOUYIN_CLIENT_SECRET or one line
// of stdin. Only the line ending is removed; App.Validate reports other
// white space.
func (e *env) readSecret() (string, error) {
	if s, ok := os.LookupEnv(SecretEnv); ok && s != "" {
		return s, nil
	}
	prompted := isTerminal(e.stdin)
	if prompted {
		fmt.Fprint(e.stderr, "client_secret (input is shown; set $"+SecretEnv+" to avoid typing it): ")
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
// EnvDouyin (stored without a base URL), a loopback address EnvSandbox and
// anything else EnvCustom.
func environment(base string) (env, baseURL string, err error) {
	b := strings.TrimRight(strings.TrimSpace(base), "/")
	if b == "" || b == storage.DefaultBaseURL {
		return storage.EnvDouyin, "", nil
	}
	u, perr := url.Parse(b)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", "", fmt.Errorf("--base-url %q is not an http(s) address such as http://127.0.0.1:8790", base)
	}
	if auth.IsLoopbackRedirect(b) {
		return storage.EnvSandbox, b, nil
	}
	return storage.EnvCustom, b, nil
}

// splitScopes splits a comma-separated scope list, trimming spaces. Empty
// items are kept so that App.Validate reports them.
func splitScopes(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

var _ = register(&command{
	name:    "profile list",
	usage:   "profile list [--json]",
	summary: "List the app profiles with their environment, base URL, client_key and accounts. Never shows a secret.",
	details: `--json prints
  {"profiles":[{"name","environment","base_url","client_key","scopes":[...],
    "optional_scope","redirect_uri","callback_mode","accounts":["open_id",...]}]}`,
	example: `  douyin-auth-desk profile list
  douyin-auth-desk profile list --json | jq -r '.profiles[].name'`,
	run: runProfileList,
})

// ProfileList is the JSON printed by profile list --json.
type ProfileList struct {
	Profiles []ProfileEntry `json:"profiles"`
}

// ProfileEntry is one profile in ProfileList.
type ProfileEntry struct {
	Name          string   `json:"name"`
	Environment   string   `json:"environment"`
	BaseURL       string   `json:"base_url"`
	ClientKey     string   `json:"client_key"`
	Scopes        []string `json:"scopes"`
	OptionalScope string   `json:"optional_scope"`
	RedirectURI   string   `json:"redirect_uri"`
	CallbackMode  string   `json:"callback_mode"`
	Accounts      []string `json:"accounts"` // open_ids
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
	out := ProfileList{Profiles: []ProfileEntry{}}
	for _, p := range ps {
		ids := []string{}
		for _, a := range p.Accounts {
			ids = append(ids, a.OpenID)
		}
		scopes := p.Scopes
		if scopes == nil {
			scopes = []string{}
		}
		out.Profiles = append(out.Profiles, ProfileEntry{
			Name: p.Name, Environment: p.Environment, BaseURL: p.Endpoint(), ClientKey: p.ClientKey,
			Scopes: scopes, OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI,
			CallbackMode: p.CallbackMode, Accounts: ids,
		})
	}
	if *asJSON {
		return writeJSON(e.stdout, out)
	}
	if len(out.Profiles) == 0 {
		fmt.Fprintf(e.stderr, "No profiles yet. Add one with: %s profile add NAME --client-key K\n", progName)
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
