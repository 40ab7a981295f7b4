package ui

import (
	"context"
	"errors"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// sandboxPortTries is how many ports, from the chosen one on, the
// window's sandbox tries before it gives up.
const sandboxPortTries = 20

// sandboxes are the window's own sandboxes and what the banner says of
// them. They keep their state (codes, tokens) in memory only, so one
// started again knows none of the tokens issued before. Touched on the UI
// goroutine only.
type sandboxes struct {
	// running holds each sandbox by the address it listens on.
	running map[string]*sandbox.Sandbox
	// down is the address of a sandbox profile's server that refused a
	// connection, until a sandbox runs there again; ownDown says whether
	// the window's sandbox can serve that profile's app.
	down    string
	ownDown bool
	// fresh is the address of a sandbox started for a profile with
	// accounts, which must authorize again.
	fresh string
	// startErr is why starting the sandbox at down failed.
	startErr string
}

// sandboxPort is the port the window's sandbox tries first.
func (u *Window) sandboxPort() int {
	if p := u.settings.SandboxPort; p > 0 {
		return p
	}
	return storage.DefaultSandboxPort
}

// listenSandbox starts a sandbox on host at port or, when scan is set and
// that port is taken, at the next free one, skipping the demo app's
// callback port. It may block: call it in the background.
func listenSandbox(opts sandbox.Options, host string, port int, scan bool) (*sandbox.Sandbox, string, error) {
	tries, callback := 1, demoCallbackPort()
	if scan {
		tries = sandboxPortTries
	}
	var err error
	for p := port; p < port+tries && p <= 65535; p++ {
		if scan && p == callback {
			continue
		}
		sb := sandbox.New(opts)
		var base string
		if base, err = sb.Start(net.JoinHostPort(host, strconv.Itoa(p))); err == nil {
			return sb, base, nil
		}
		sb.Close()
	}
	return nil, "", err
}

// demoCallbackPort is the port of the demo app's redirect URI, where a
// login listens: the sandbox leaves it free.
func demoCallbackPort() int {
	u, err := url.Parse(sandbox.DemoRedirectURI)
	if err != nil {
		return 0
	}
	p, _ := strconv.Atoi(u.Port())
	return p
}

// addSandbox records sb, serving at base, as one of the window's; one
// started after the window closed is stopped at once.
func (u *Window) addSandbox(sb *sandbox.Sandbox, base string) {
	if u.ctx.Err() != nil {
		sb.Close()
		return
	}
	if u.sbx.running == nil {
		u.sbx.running = map[string]*sandbox.Sandbox{}
	}
	addr := hostPort(base)
	u.sbx.running[addr] = sb
	u.sandbox, u.sandboxURL = sb, base
	if u.sbx.down == addr {
		u.sbx.down, u.sbx.startErr = "", ""
		u.refreshBanner()
	}
}

// runningSandbox returns the base URL of the window's sandbox on one of
// the ports the Sandbox button would try, or "".
func (u *Window) runningSandbox() string {
	for p := u.sandboxPort(); p < u.sandboxPort()+sandboxPortTries; p++ {
		if sb, ok := u.sbx.running[net.JoinHostPort("127.0.0.1", strconv.Itoa(p))]; ok {
			return sb.URL()
		}
	}
	return ""
}

// closeSandboxes stops every sandbox of the window.
func (u *Window) closeSandboxes() {
	for addr, sb := range u.sbx.running {
		sb.Close()
		delete(u.sbx.running, addr)
	}
	u.sandbox, u.sandboxURL = nil, ""
}

// ownSandboxAddr returns the loopback address of p's server when the
// window's sandbox can serve p: a sandbox profile of one of the demo apps.
func ownSandboxAddr(p storage.Profile) (string, bool) {
	if p.Environment != storage.EnvSandbox || !slices.ContainsFunc(sandbox.DemoApps(),
		func(a sandbox.App) bool { return a.ClientKey == p.ClientKey }) {
		return "", false
	}
	addr := hostPort(p.Endpoint())
	host, port, err := net.SplitHostPort(addr)
	ip := net.ParseIP(host)
	if err != nil || port == "0" || host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return "", false
	}
	return addr, true
}

// hostPort returns the host:port a base URL names, the port filled in
// from its scheme.
func hostPort(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	if u.Port() != "" {
		return u.Host
	}
	port := "80"
	if strings.EqualFold(u.Scheme, "https") {
		port = "443"
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// sandboxOpened starts the window's sandbox on the port of a sandbox
// profile just opened, when none of the window's runs there: a sandbox
// profile then keeps working after the app restarts. A port taken by
// another program is left to it.
func (u *Window) sandboxOpened(c change) {
	if c != profileChanged && c != accountsChanged {
		return
	}
	p := u.session.profile
	if u.sbx.fresh != "" && (!u.session.active || c == accountsChanged || hostPort(p.Endpoint()) != u.sbx.fresh) {
		u.sbx.fresh = ""
		u.refreshBanner()
	}
	addr, own := ownSandboxAddr(p)
	if c != profileChanged || !u.session.active || !own || u.sbx.running[addr] != nil {
		return
	}
	u.startSandboxAt(addr, nil)
}

// startSandboxAt starts the window's sandbox at addr in the background;
// once it runs, a profile there with accounts is told to authorize again.
// then, when set, is told of a failure.
func (u *Window) startSandboxAt(addr string, then func(error)) {
	host, portText, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portText)
	opts := sandbox.Options{OnNote: u.log.addNote}
	u.background(nil, func(context.Context) func() {
		sb, base, err := listenSandbox(opts, host, port, false)
		return func() {
			if err != nil {
				if then != nil {
					then(err)
				}
				return
			}
			u.addSandbox(sb, base)
			p := u.session.profile
			if u.session.active && hostPort(p.Endpoint()) == addr && len(p.Accounts) > 0 {
				u.sbx.fresh = addr
				u.refreshBanner()
			}
		}
	})
}

// isDialFailure reports whether err is a connection that could not be
// made: nothing listens at the address, or it is not reachable.
func isDialFailure(err error) bool {
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}
