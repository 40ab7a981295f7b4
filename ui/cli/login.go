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
	fmt.Fprintln(e.stderr, e.text("Authorized.", "授权成功。"))
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
		return loginArgs{}, c.usageText("--timeout must be positive, e.g. 10m", "--timeout 必须大于零，例如 10m")
	}
	return loginArgs{profile: name, noBrowser: *noBrowser, timeout: *timeout, relayPage: *relayPage}, nil
}

// writeRelayPage writes the relay page of p to file, when one is named.
func (c *command) writeRelayPage(e *env, p storage.Profile, file string) error {
	if file == "" {
		return nil
	}
	if p.CallbackMode != storage.ModeRelay {
		return c.usageText(fmt.Sprintf("--relay-page needs a profile in relay mode; profile %q receives the callback by %s", p.Name, p.CallbackMode),
			fmt.Sprintf("--relay-page 只用于中转（relay）模式的配置；配置 %q 接收回调的方式是 %s", p.Name, p.CallbackMode))
	}
	page, err := auth.RelayPage(p.RelayTarget)
	if err == nil {
		err = os.WriteFile(file, page, 0o644)
	}
	if err != nil {
		return &hintError{msg: e.text("cannot write the relay page", "无法写入中转页"), err: err}
	}
	fmt.Fprintln(e.stderr, e.text(fmt.Sprintf("Relay page written to %s: upload it to %s", sanitize(file), sanitize(p.RedirectURI)),
		fmt.Sprintf("中转页已写入 %s：请把它上传到 %s", sanitize(file), sanitize(p.RedirectURI))))
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
	redirect, until := sanitize(login.RedirectURI), login.Deadline.Format("15:04:05")
	fmt.Fprintf(w, e.text("Open this address in a browser to authorize %q:\n\n  %s\n\n", "在浏览器中打开这个地址，为配置 %q 授权：\n\n  %s\n\n"),
		p.Name, sanitize(login.URL))
	if !listening {
		fmt.Fprintf(w, e.text("After agreeing, the browser goes to %s.\n", "同意授权后，浏览器会跳转到 %s。\n"), redirect)
		fmt.Fprintf(w, e.text("Paste that full address (or just the code) here and press Enter (until %s).\n",
			"请把跳转后的完整地址（或只粘贴授权码）粘贴到这里并按回车（%s 前有效）。\n"), until)
		return
	}
	if p.CallbackMode == storage.ModeRelay {
		fmt.Fprintf(w, e.text("After agreeing, the browser goes to %s, where the relay page forwards the callback to %s.\n",
			"同意授权后，浏览器会跳转到 %s，由那里的中转页把回调转交到 %s。\n"), redirect, sanitize(login.CallbackURI))
		if !pageWritten {
			fmt.Fprintf(w, e.text("The relay page must be uploaded to %s; write it with --relay-page FILE.\n",
				"中转页必须上传到 %s；用 --relay-page FILE 生成它。\n"), redirect)
		}
	}
	fmt.Fprintf(w, e.text("Waiting for the callback on %s until %s.\n", "正在 %s 等待回调，直到 %s。\n"), sanitize(login.CallbackURI), until)
	fmt.Fprintln(w, e.text("If the browser cannot reach it, paste the address it was sent to (or the code) here and press Enter.",
		"如果浏览器无法访问它，请把浏览器跳转到的地址（或只粘贴授权码）粘贴到这里并按回车。"))
}

// browse opens url in the user's browser, or says to open it by hand.
func (e *env) browse(url string) {
	if err := openBrowser(url); err != nil {
		fmt.Fprintln(e.stderr, e.text("Could not open the browser; open the address above yourself.", "无法打开浏览器：请自行打开上面的地址。"))
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
		return g, &hintError{
			msg: e.text("standard input ended before a redirected address or code was pasted",
				"标准输入已结束，还没有粘贴跳转后的地址或授权码"),
			hint: e.text(fmt.Sprintf("Run %s login --profile %s again and paste the address the browser was sent to.", progName, p.Name),
				fmt.Sprintf("请重新运行 %s login --profile %s，并粘贴浏览器跳转到的地址。", progName, p.Name))}
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
		fmt.Fprintln(e.stderr, e.text("Paste the full address the browser was sent to (or the code) and press Enter; still waiting.",
			"请粘贴浏览器跳转到的完整地址（或只粘贴授权码）并按回车；仍在等待。"))
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
