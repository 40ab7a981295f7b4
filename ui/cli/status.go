package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var _ = register(&command{
	name:    "status",
	usage:   "status [--profile NAME] [--json]",
	summary: "Show every account of every profile (or of one): token expiries, seconds left and renewals used, and the client tokens' expiries. Never shows a secret.",
	details: `Times are RFC 3339; seconds left are negative once a token has expired, and
null (JSON) or "unknown" when the expiry is not known, as for an imported
access token until a refresh. An imported account is marked so; one imported
with an access token only has no refresh token. --json prints:
  {"now": "...",
   "profiles": [{"name", "environment", "base_url", "client_key",
     "accounts": [{"open_id", "nickname", "scope",
       "access_expires_at", "access_seconds_left",
       "refresh_expires_at", "refresh_seconds_left",
       "renewals_used", "renewals_left", "imported", "access_only"}],
     "client_token": {"expires_at", "seconds_left"} or null,
     "stable_client_token": {"expires_at", "seconds_left"} or null}]}`,
	example: `  douyin-auth-desk status
  douyin-auth-desk status --profile demo --json | jq '.profiles[0].accounts[0].access_seconds_left'`,
	run: runStatus,
})

// statusReport is the JSON printed by status --json. Its shape is stable:
// fields are only ever added. It never holds a token or a secret.
type statusReport struct {
	Now      string          `json:"now"` // RFC 3339
	Profiles []profileStatus `json:"profiles"`
}

// profileStatus is one profile in statusReport.
type profileStatus struct {
	Name        string             `json:"name"`
	Environment string             `json:"environment"`
	BaseURL     string             `json:"base_url"`
	ClientKey   string             `json:"client_key"`
	Accounts    []accountStatus    `json:"accounts"`
	ClientToken *clientTokenStatus `json:"client_token"` // null when none is stored
	// StableClientToken is stable_client_token's, null when none is stored.
	StableClientToken *clientTokenStatus `json:"stable_client_token"`
}

// accountStatus is one authorized account in profileStatus. An expiry that
// is not known is null, with its seconds left.
type accountStatus struct {
	OpenID             string  `json:"open_id"`
	Nickname           string  `json:"nickname"`
	Scope              string  `json:"scope"`
	AccessExpiresAt    *string `json:"access_expires_at"`
	AccessSecondsLeft  *int64  `json:"access_seconds_left"`
	RefreshExpiresAt   *string `json:"refresh_expires_at"`
	RefreshSecondsLeft *int64  `json:"refresh_seconds_left"`
	RenewalsUsed       int     `json:"renewals_used"`
	RenewalsLeft       int     `json:"renewals_left"`
	Imported           bool    `json:"imported"`    // see auth.Account.Imported
	AccessOnly         bool    `json:"access_only"` // no refresh token: see auth.Account.AccessOnly
}

// clientTokenStatus is a stored client token's expiry.
type clientTokenStatus struct {
	ExpiresAt   string `json:"expires_at"`
	SecondsLeft int64  `json:"seconds_left"`
}

func runStatus(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	name := fs.String("profile", "", "show only the profile `NAME`")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := c.parse(e, fs, args); err != nil {
		return err
	}
	var ps []storage.Profile
	if *name != "" {
		_, p, err := e.loadProfile(*name)
		if err != nil {
			return err
		}
		ps = []storage.Profile{p}
	} else {
		st, err := e.openStore()
		if err != nil {
			return err
		}
		if ps, err = st.Profiles(); err != nil {
			return err
		}
	}
	at := now()
	s := buildStatus(ps, at)
	if *asJSON {
		return writeJSON(e.stdout, s)
	}
	if len(s.Profiles) == 0 {
		e.noProfiles()
		return nil
	}
	printStatus(e.stdout, ps, at)
	return nil
}

// buildStatus collects the status of profiles ps at time at.
func buildStatus(ps []storage.Profile, at time.Time) statusReport {
	s := statusReport{Now: at.Local().Format(time.RFC3339), Profiles: []profileStatus{}}
	for _, p := range ps {
		out := profileStatus{Name: p.Name, Environment: p.Environment, BaseURL: p.Endpoint(),
			ClientKey: p.ClientKey, Accounts: []accountStatus{}}
		for _, a := range p.Accounts {
			out.Accounts = append(out.Accounts, accountJSON(a, at))
		}
		out.ClientToken = clientTokenJSON(p.ClientToken, at)
		out.StableClientToken = clientTokenJSON(p.StableClientToken, at)
		s.Profiles = append(s.Profiles, out)
	}
	return s
}

// accountJSON returns the status of account a at time at.
func accountJSON(a auth.Account, at time.Time) accountStatus {
	as := accountStatus{OpenID: a.OpenID, Nickname: a.Nickname, Scope: a.Scope,
		RenewalsUsed: a.Renewals, RenewalsLeft: a.RenewalsLeft(), Imported: a.Imported, AccessOnly: a.AccessOnly}
	as.AccessExpiresAt, as.AccessSecondsLeft = expiryJSON(a.AccessExpiry, at)
	as.RefreshExpiresAt, as.RefreshSecondsLeft = expiryJSON(a.RefreshExpiry, at)
	return as
}

// clientTokenJSON returns the expiry of t, nil when t or its expiry is not
// known.
func clientTokenJSON(t *auth.ClientToken, at time.Time) *clientTokenStatus {
	if t == nil || t.Expiry.IsZero() {
		return nil
	}
	return &clientTokenStatus{ExpiresAt: formatTime(t.Expiry), SecondsLeft: secondsLeft(t.Expiry, at)}
}

// expiryJSON returns the expiry and the seconds left, both nil when t is
// not known.
func expiryJSON(t, at time.Time) (*string, *int64) {
	if t.IsZero() {
		return nil, nil
	}
	s, n := formatTime(t), secondsLeft(t, at)
	return &s, &n
}

// printStatus writes the status as text.
func printStatus(w io.Writer, ps []storage.Profile, at time.Time) {
	for i, p := range ps {
		if i > 0 {
			fmt.Fprintln(w)
		}
		name := sanitize(p.Name)
		fmt.Fprintf(w, "profile: %s (%s, %s, client_key %s)\n", name, sanitize(p.Environment), sanitize(p.Endpoint()), sanitize(p.ClientKey))
		if len(p.Accounts) == 0 {
			fmt.Fprintf(w, "  no accounts (authorize one with: %s login --profile %s)\n", progName, name)
		}
		for _, a := range p.Accounts {
			printAccount(w, a, at)
		}
		if t := p.ClientToken; t != nil && !t.Expiry.IsZero() {
			fmt.Fprintf(w, "  client token:    %s\n", describeExpiry(t.Expiry, at))
		} else {
			fmt.Fprintln(w, "  client token:    none")
		}
		if t := p.StableClientToken; t != nil && !t.Expiry.IsZero() {
			fmt.Fprintf(w, "  stable client token: %s\n", describeExpiry(t.Expiry, at))
		}
	}
}

// printAccount writes the status of account a as text.
func printAccount(w io.Writer, a auth.Account, at time.Time) {
	fmt.Fprintf(w, "  account: %s", sanitize(a.OpenID))
	if a.Nickname != "" {
		fmt.Fprintf(w, " (%s)", sanitize(a.Nickname))
	}
	if a.Imported {
		fmt.Fprint(w, " [imported]")
	}
	fmt.Fprintln(w)
	if a.Scope != "" {
		fmt.Fprintf(w, "    scope:         %s\n", sanitize(a.Scope))
	}
	access := describeExpiry(a.AccessExpiry, at)
	if !a.AccessExpiryKnown() && a.Imported && !a.AccessOnly {
		access += " (imported; a refresh tells it)"
	}
	fmt.Fprintf(w, "    access token:  %s\n", access)
	if a.AccessOnly {
		fmt.Fprintln(w, "    refresh token: none (an imported access token only: it cannot be refreshed)")
		return
	}
	fmt.Fprintf(w, "    refresh token: %s\n", describeExpiry(a.RefreshExpiry, at))
	fmt.Fprintf(w, "    renewals:      %d of %d used\n", a.Renewals, auth.MaxRenewals)
}

// describeExpiry renders an expiry with the time left, or "expired" and how
// long ago.
func describeExpiry(t, at time.Time) string {
	if t.IsZero() {
		return "expiry unknown"
	}
	n := secondsLeft(t, at)
	if n <= 0 {
		return fmt.Sprintf("expired %s (%ds left, %s ago)", formatTime(t), n, humanDuration(-n))
	}
	return fmt.Sprintf("expires %s (%ds left, %s)", formatTime(t), n, humanDuration(n))
}

// humanDuration renders a number of seconds with its two largest units,
// e.g. "14d 23h", "5h 3m" or "42s".
func humanDuration(sec int64) string {
	d, h, m, s := sec/86400, sec%86400/3600, sec%3600/60, sec%60
	switch {
	case d > 0:
		return fmt.Sprintf("%dd %dh", d, h)
	case h > 0:
		return fmt.Sprintf("%dh %dm", h, m)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}
