package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/pkg/browser"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
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
	usage:   "login --profile NAME [--no-browser] [--timeout D] [--relay-page FILE]",
	summary: "Authorize a user of the profile's app in the browser and store the tokens.",
	details: `The authorization URL is printed on standard error and opened in the browser.
When the profile's redirect URI is a loopback address, the callback is received
on this machine. A relay profile (profile add --callback relay) listens on its
relay target instead: the platform sends the browser to the registered https
redirect URI, where the relay page forwards code and state to the relay target.
--relay-page FILE writes that page to FILE; upload it to the redirect URI's
path before agreeing in the browser. The page stays valid as long as the relay
target does. In every case you may instead paste the address the browser was
sent to (or just the code) on standard input and press Enter; a line that
cannot be used is reported and the login keeps waiting. With the paste callback
mode and standard input at its end, the login gives up.

On success standard output shows open_id, nickname, scope, access_expires_at,
access_seconds_left, refresh_expires_at, refresh_seconds_left (RFC 3339 times),
renewals_used and renewals_left. No token is printed.`,
	example: `  douyin-auth-desk login --profile demo
  douyin-auth-desk login --profile prod --no-browser --timeout 5m
  douyin-auth-desk login --profile relayed --relay-page index.html   # then upload index.html`,
	run: runLogin,
})

// loginArgs are the flags of login.
type loginArgs struct {
	profile   string
	noBrowser bool
	timeout   time.Duration
	relayPage string // where to write the relay page, or ""
}

func runLogin(ctx context.Context, e *env, c *command, args []string) error {
	a, err := c.parseLogin(e, args)
	if err != nil {
		return err
	}
	st, p, flow, err := e.secretFlow(a.profile)
	if err != nil {
		return err
	}
	if err := c.writeRelayPage(e, p, a.relayPage); err != nil {
		return err
	}
	opts, err := loginOptions(st, p, a.timeout)
	if err != nil {
		return err
	}
	login, err := flow.Begin(opts)
	if err != nil {
		return err
	}
	defer login.Cancel()
	e.announce(p, login, opts.Listen, a.relayPage != "")
	if !a.noBrowser {
		e.browse(login.URL)
	}
	g, err := e.await(ctx, p, login, opts.Listen)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "Authorized.")
	printGrant(e.stdout, g)
	return nil
}

// parseLogin reads login's flags.
func (c *command) parseLogin(e *env, args []string) (loginArgs, error) {
	fs := c.flags()
	noBrowser := fs.Bool("no-browser", false, "do not open the browser; only print the URL")
	timeout := fs.Duration("timeout", auth.CodeLifetime, "give up after this `duration`")
	relayPage := fs.String("relay-page", "", "write the relay page of a relay profile to `FILE`, to upload to the redirect URI")
	name, err := c.parseProfile(e, fs, args)
	if err != nil {
		return loginArgs{}, err
	}
	if *timeout <= 0 {
		return loginArgs{}, c.usagef("--timeout must be positive, e.g. 10m")
	}
	return loginArgs{profile: name, noBrowser: *noBrowser, timeout: *timeout, relayPage: *relayPage}, nil
}

// writeRelayPage writes the relay page of p to file, when one is named.
func (c *command) writeRelayPage(e *env, p storage.Profile, file string) error {
	if file == "" {
		return nil
	}
	if p.CallbackMode != storage.ModeRelay {
		return c.usagef("--relay-page needs a profile in relay mode; profile %q receives the callback by %s", p.Name, p.CallbackMode)
	}
	page, err := auth.RelayPage(p.RelayTarget)
	if err == nil {
		err = os.WriteFile(file, page, 0o644)
	}
	if err != nil {
		return &hintError{msg: "cannot write the relay page", err: err}
	}
	fmt.Fprintf(e.stderr, "Relay page written to %s: upload it to %s\n", sanitize(file), sanitize(p.RedirectURI))
	return nil
}

// loginOptions returns how a login of p receives its callback, and when it
// gives up.
func loginOptions(st *storage.Store, p storage.Profile, timeout time.Duration) (auth.LoginOptions, error) {
	opts, err := st.LoginOptions(p)
	if err != nil {
		return auth.LoginOptions{}, err
	}
	pageLang, set := localeLang()
	if !set {
		pageLang = "" // the browser pages follow the browser's language
	}
	opts.Timeout, opts.Lang = timeout, pageLang
	return opts, nil
}

// announce tells the user where to authorize and how the callback comes
// back: to the loopback server, through the relay page, or by pasting.
func (e *env) announce(p storage.Profile, login *auth.Login, listening, pageWritten bool) {
	w := e.stderr
	fmt.Fprintf(w, "Open this address in a browser to authorize %q:\n\n  %s\n\n", p.Name, sanitize(login.URL))
	if !listening {
		fmt.Fprintf(w, "After agreeing, the browser goes to %s.\n", sanitize(login.RedirectURI))
		fmt.Fprintf(w, "Paste that full address (or just the code) here and press Enter (until %s).\n", login.Deadline.Format("15:04:05"))
		return
	}
	if p.CallbackMode == storage.ModeRelay {
		fmt.Fprintf(w, "After agreeing, the browser goes to %s, where the relay page forwards the callback to %s.\n",
			sanitize(login.RedirectURI), sanitize(login.CallbackURI))
		if !pageWritten {
			fmt.Fprintf(w, "The relay page must be uploaded to %s; write it with --relay-page FILE.\n", sanitize(login.RedirectURI))
		}
	}
	fmt.Fprintf(w, "Waiting for the callback on %s until %s.\n", sanitize(login.CallbackURI), login.Deadline.Format("15:04:05"))
	fmt.Fprintln(w, "If the browser cannot reach it, paste the address it was sent to (or the code) here and press Enter.")
}

// browse opens url in the user's browser, or says to open it by hand.
func (e *env) browse(url string) {
	if err := openBrowser(url); err != nil {
		fmt.Fprintln(e.stderr, "Could not open the browser; open the address above yourself.")
	}
}

// await waits until the login receives or is pasted its callback and
// exchanges the code.
func (e *env) await(ctx context.Context, p storage.Profile, login *auth.Login, listening bool) (auth.Grant, error) {
	done := make(chan struct{})
	defer close(done)
	go e.readPastes(login, listening, done)
	g, err := login.Wait(ctx)
	switch {
	case err == nil:
		return g, nil
	case errors.Is(err, auth.ErrCancelled) && !listening:
		return g, &hintError{msg: "standard input ended before a redirected address or code was pasted",
			hint: fmt.Sprintf("Run %s login --profile %s again and paste the address the browser was sent to.", progName, p.Name)}
	}
	return g, withHint(err, p.Name)
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
