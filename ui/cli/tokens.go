package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

const accountDetails = `--account may be left out when the profile has exactly one account; with
several, the command fails with exit status 2 and lists their open_ids.`

var _ = register(&command{
	name:    "refresh",
	usage:   "refresh --profile NAME [--account OPEN_ID]",
	summary: "Get a new access token with the account's refresh token (the refresh token's own expiry does not change) and store it.",
	details: accountDetails + `

Standard output shows open_id, scope, access_expires_at, access_seconds_left,
refresh_expires_at, refresh_seconds_left, renewals_used and renewals_left.
An expired refresh token (10010) exits with status 3: authorize again.`,
	example: `  douyin-auth-desk refresh --profile demo`,
	run:     runRefresh,
})

var _ = register(&command{
	name:    "renew",
	usage:   "renew --profile NAME [--account OPEN_ID]",
	summary: "Replace the account's refresh token with a new one of full lifetime and store it. Needs the renew_refresh_token scope; the platform allows 5 renewals.",
	details: accountDetails + `

Standard output is as for refresh. The renewal limit (10020) and an expired
refresh token (10010) exit with status 3: authorize again.`,
	example: `  douyin-auth-desk renew --profile demo --account _000SandboxAliceOpenID0000000000001`,
	run:     runRenew,
})

var _ = register(&command{
	name:    "verify",
	usage:   "verify --profile NAME [--account OPEN_ID]",
	summary: "Check that the account's access token works by calling the platform's userinfo endpoint, and store the nickname it returns.",
	details: accountDetails + `

Standard output shows open_id, union_id, nickname and "verified: yes".
A failure shows the platform's error code and what to do (often: refresh).`,
	example: `  douyin-auth-desk verify --profile demo || douyin-auth-desk refresh --profile demo`,
	run:     runVerify,
})

var _ = register(&command{
	name:    "token",
	usage:   "token --profile NAME [--account OPEN_ID] [--client [--stable]]",
	summary: "Print a stored token and a newline, nothing else: the account's access token, or with --client the app's client token (with --stable its stable one). Meant for $(...) in scripts.",
	details: accountDetails + `

This is the only command that prints a secret. It contacts nothing: an
expired access token fails (run refresh; exit status 3 when the refresh token
has expired too) and a missing or expired client token fails (run
client-token, or client-token --stable).`,
	example: `  curl -H "access-token: $(douyin-auth-desk token --profile demo)" ...
  douyin-auth-desk token --profile demo --client
  douyin-auth-desk token --profile demo --client --stable`,
	run: runToken,
})

// parseAccount parses the --profile and --account flags, with any flags the
// command added to fs, and checks that --profile was given.
func (e *env) parseAccount(c *command, fs *flag.FlagSet, args []string) (profile, account string, err error) {
	a := fs.String("account", "", "the account's `OPEN_ID` (may be left out with one account)")
	profile, err = c.parseProfile(e, fs, args)
	return profile, *a, err
}

func runRefresh(ctx context.Context, e *env, c *command, args []string) error {
	return e.grantCommand(ctx, c, args, func(f *auth.Flow, id string) (auth.Grant, error) {
		return f.Refresh(ctx, id)
	})
}

func runRenew(ctx context.Context, e *env, c *command, args []string) error {
	return e.grantCommand(ctx, c, args, func(f *auth.Flow, id string) (auth.Grant, error) {
		return f.Renew(ctx, id)
	})
}

// grantCommand runs a flow step that produces a new grant for one account.
func (e *env) grantCommand(ctx context.Context, c *command, args []string, step func(*auth.Flow, string) (auth.Grant, error)) error {
	flow, p, id, err := e.accountFlow(c, args)
	if err != nil {
		return err
	}
	g, err := step(flow, id)
	if err != nil {
		return withHint(err, p.Name)
	}
	printGrant(e.stdout, g)
	return nil
}

// accountFlow parses --profile and --account and returns the profile's flow
// and the chosen account's open_id.
func (e *env) accountFlow(c *command, args []string) (*auth.Flow, storage.Profile, string, error) {
	name, given, err := e.parseAccount(c, c.flags(), args)
	if err != nil {
		return nil, storage.Profile{}, "", err
	}
	st, p, err := e.loadProfile(name)
	if err != nil {
		return nil, storage.Profile{}, "", err
	}
	id, err := c.account(p, given)
	if err != nil {
		return nil, storage.Profile{}, "", err
	}
	flow, err := e.flow(st, p, false)
	return flow, p, id, err
}

func runVerify(ctx context.Context, e *env, c *command, args []string) error {
	flow, p, id, err := e.accountFlow(c, args)
	if err != nil {
		return err
	}
	g, err := flow.Verify(ctx, id)
	if err != nil {
		return withHint(err, p.Name)
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
	tokens := st.Tokens(p.Name)
	at := now()
	switch {
	case *client && given != "":
		return c.usagef("--client and --account cannot be used together")
	case *stable && !*client:
		return c.usagef("--stable is used with --client only")
	case *client:
		return printClientToken(e.stdout, tokens, p.Name, *stable, at)
	}
	id, err := c.account(p, given)
	if err != nil {
		return err
	}
	g, err := tokens.Grant(id)
	if err != nil {
		return withHint(err, p.Name)
	}
	if !g.AccessExpiry.IsZero() && !at.Before(g.AccessExpiry) {
		if !g.RefreshExpiry.IsZero() && !at.Before(g.RefreshExpiry) {
			return &hintError{msg: fmt.Sprintf("the access and refresh tokens of %s expired (refresh token at %s)", id, formatTime(g.RefreshExpiry)),
				hint: reauthHint(p.Name), code: exitReauth}
		}
		return &hintError{msg: fmt.Sprintf("the access token of %s expired at %s", id, formatTime(g.AccessExpiry)),
			hint: fmt.Sprintf("Get a new one with: %s refresh --profile %s --account %s", progName, p.Name, id)}
	}
	if g.AccessToken == "" {
		return &hintError{msg: fmt.Sprintf("no access token is stored for %s", id),
			hint: fmt.Sprintf("Get one with: %s refresh --profile %s --account %s", progName, p.Name, id)}
	}
	fmt.Fprintln(e.stdout, g.AccessToken)
	return nil
}
