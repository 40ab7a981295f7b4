package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/pkg/browser"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// openBrowser opens the authorization page in the user's browser. Tests
// replace it.
var openBrowser = func(url string) error {
	quietBrowser.Do(func() {
		// The opener's own output would mix with the command's results.
		browser.Stdout, browser.Stderr = io.Discard, io.Discard
	})
	return browser.OpenURL(url)
}

var quietBrowser sync.Once

var _ = register(&command{
	name:    "login",
	usage:   "login --profile NAME [--no-browser] [--timeout D]",
	summary: "Authorize a user of the profile's app in the browser and store the tokens.",
	details: `The authorization URL is printed on standard error and opened in the browser.
When the profile's redirect URI is a loopback address, the callback is received
on this machine. In every case you may instead paste the address the browser
was sent to (or just the code) on standard input and press Enter; a line that
cannot be used is reported and the login keeps waiting. With the paste callback
mode and standard input at its end, the login gives up.

On success standard output shows open_id, nickname, scope, access_expires_at,
access_seconds_left, refresh_expires_at, refresh_seconds_left (RFC 3339 times),
renewals_used and renewals_left. No token is printed.`,
	example: `  douyin-auth-desk login --profile demo
  douyin-auth-desk login --profile prod --no-browser --timeout 5m`,
	run: runLogin,
})

func runLogin(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	name := fs.String("profile", "", "the profile `NAME` (required)")
	noBrowser := fs.Bool("no-browser", false, "do not open the browser; only print the URL")
	timeout := fs.Duration("timeout", auth.CodeLifetime, "give up after this `duration`")
	if _, err := c.parse(e, fs, args); err != nil {
		return err
	}
	if *name == "" {
		return c.usagef("--profile is required")
	}
	if *timeout <= 0 {
		return c.usagef("--timeout must be positive, e.g. 10m")
	}
	st, p, err := e.loadProfile(*name)
	if err != nil {
		return err
	}
	flow, err := e.flow(st, p, true)
	if err != nil {
		return err
	}
	opts, err := st.LoginOptions(p)
	if err != nil {
		return err
	}
	listen := opts.Listen
	pageLang, set := localeLang()
	if !set {
		pageLang = "" // the browser pages follow the browser's language
	}
	opts.Timeout, opts.Lang = *timeout, pageLang
	login, err := flow.Begin(opts)
	if err != nil {
		return err
	}
	defer login.Cancel()

	w := e.stderr
	fmt.Fprintf(w, "Open this address in a browser to authorize %q:\n\n  %s\n\n", p.Name, sanitize(login.URL))
	if listen {
		fmt.Fprintf(w, "Waiting for the callback on %s until %s.\n", sanitize(login.RedirectURI), login.Deadline.Format("15:04:05"))
		fmt.Fprintln(w, "If the browser cannot reach it, paste the address it was sent to (or the code) here and press Enter.")
	} else {
		fmt.Fprintf(w, "After agreeing, the browser goes to %s.\n", sanitize(login.RedirectURI))
		fmt.Fprintf(w, "Paste that full address (or just the code) here and press Enter (until %s).\n", login.Deadline.Format("15:04:05"))
	}
	if !*noBrowser {
		if err := openBrowser(login.URL); err != nil {
			fmt.Fprintln(w, "Could not open the browser; open the address above yourself.")
		}
	}

	done := make(chan struct{})
	defer close(done)
	go e.readPastes(login, listen, done)

	g, err := login.Wait(ctx)
	if err != nil {
		if errors.Is(err, auth.ErrCancelled) && !listen {
			return &hintError{msg: "standard input ended before a redirected address or code was pasted",
				hint: fmt.Sprintf("Run %s login --profile %s again and paste the address the browser was sent to.", progName, p.Name)}
		}
		return withHint(err, p.Name)
	}
	fmt.Fprintln(w, "Authorized.")
	printGrant(e.stdout, g)
	return nil
}

// The notice for a pasted bare code, whose state nothing checks.
const (
	stateUncheckedEN = "warning: the state could not be checked: only the code was pasted, so nothing shows it came from this authorization. Paste the whole address from the browser to have it checked."
	stateUncheckedZH = "警告：无法校验 state：只粘贴了授权码，无法确认它来自这次授权。粘贴浏览器中的完整地址即可校验。"
)

// readPastes feeds every non-empty line of stdin to the login until one is
// accepted or done is closed. When stdin ends and nothing else can deliver
// the callback, it cancels the login.
func (e *env) readPastes(login *auth.Login, listening bool, done <-chan struct{}) {
	sc := bufio.NewScanner(e.stdin)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		select {
		case <-done:
			return
		default:
		}
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		err := login.Paste(line)
		if err == nil && login.StateUnchecked() {
			fmt.Fprintln(e.stderr, e.text(stateUncheckedEN, stateUncheckedZH))
		}
		if err == nil || errors.Is(err, auth.ErrCodeUsed) {
			return
		}
		e.printError(progName, e.message(err))
		fmt.Fprintln(e.stderr, "Paste the full address the browser was sent to (or the code) and press Enter; still waiting.")
	}
	select {
	case <-done:
		return
	default:
	}
	if !listening {
		login.Cancel()
	}
}
