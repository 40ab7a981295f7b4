package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// defaultSandboxAddr is where the sandbox listens by default.
const defaultSandboxAddr = "127.0.0.1:8790"

var _ = register(&command{
	name:    "sandbox",
	usage:   "sandbox [--addr 127.0.0.1:8790] [--access-ttl D] [--refresh-ttl D] [--client-ttl D] [--apps FILE] [--strict]",
	summary: "Run a local emulator of the Douyin Open Platform's OAuth endpoints until interrupted (Ctrl+C).",
	details: `It listens on a loopback address only. On start standard output shows, one
"name: value" per line, the base_url to pass as --base-url to 'profile add' and,
for each app, its client_key, client_secret, redirect_uri and scopes, then a
ready-made 'profile add' line. Without --apps it serves two demo apps whose
redirect URI is http://127.0.0.1:8791/callback. --apps reads a JSON array such as
  [{"name":"My App","client_key":"awmyapp","client_secret":"s3cret",
    "redirect_uri":"http://127.0.0.1:0/callback","scopes":["user_info"]}]
(port 0 in a redirect URI accepts any port). Shorter token lifetimes help to
try refreshing and expiry, e.g. --access-ttl 2m.

The sandbox answers the request shapes widely used clients send besides the
documented one (POST with a form body; JSON for client_token): GET with a
query string, JSON or multipart/form-data bodies, userinfo's token in a
header, paths without the trailing slash. Standard error shows a "note:" line
for each such call, and GET /_sandbox/notes lists the recent ones. --strict
refuses them instead, as the platform would: a conformance check of your own
backend.`,
	example: `  douyin-auth-desk sandbox --access-ttl 5m --refresh-ttl 1h`,
	run:     runSandbox,
})

func runSandbox(ctx context.Context, e *env, c *command, args []string) error {
	fs := c.flags()
	addr := fs.String("addr", defaultSandboxAddr, "loopback `address` to listen on (port 0 picks a free one)")
	accessTTL := fs.Duration("access-ttl", 0, "access token lifetime (default 15 days)")
	refreshTTL := fs.Duration("refresh-ttl", 0, "refresh token lifetime (default 30 days)")
	clientTTL := fs.Duration("client-ttl", 0, "client token lifetime (default 2 hours)")
	appsFile := fs.String("apps", "", "JSON `file` with the apps to register instead of the demo apps")
	strict := fs.Bool("strict", false, "refuse the request shapes the platform does not document")
	if _, err := c.parse(e, fs, args); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(*addr)
	if err != nil {
		return c.usageText(fmt.Sprintf("--addr %q is not host:port", *addr), fmt.Sprintf("--addr %q 不是 host:port 形式", *addr))
	}
	if !isLoopback(host) {
		return c.usageText(fmt.Sprintf("--addr %q is not a loopback address; the sandbox listens on 127.0.0.1, [::1] or localhost only", *addr),
			fmt.Sprintf("--addr %q 不是本机回环地址；沙盒只在 127.0.0.1、[::1] 或 localhost 上监听", *addr))
	}
	if *accessTTL < 0 || *refreshTTL < 0 || *clientTTL < 0 {
		return c.usageText("token lifetimes must not be negative", "调用凭证的有效期不能为负数")
	}
	opts := sandbox.Options{AccessTTL: *accessTTL, RefreshTTL: *refreshTTL, ClientTTL: *clientTTL, Strict: *strict,
		OnNote: func(n sandbox.Note) { e.note(n.Text) }}
	if *appsFile != "" {
		if opts.Apps, err = c.loadApps(*appsFile); err != nil {
			return err
		}
	}
	sb := sandbox.New(opts)
	base, err := sb.Start(*addr)
	if err != nil {
		return e.sandboxStartError(*addr, err)
	}
	defer sb.Close()
	summary := sb.Summary()
	if !strings.Contains(summary, "base_url: ") {
		fmt.Fprintf(e.stdout, "base_url: %s\n", base)
	}
	fmt.Fprint(e.stdout, sanitizeLines(summary))
	key := "CLIENT_KEY"
	if apps := sb.Apps(); len(apps) > 0 {
		key = sanitize(apps[0].ClientKey)
	}
	fmt.Fprintf(e.stdout, "profile_add: %s profile add sandbox --base-url %s --client-key %s\n", progName, base, key)
	fmt.Fprintln(e.stderr, e.text(
		fmt.Sprintf("Sandbox running at %s. Pass --base-url %s to 'profile add'; the client_secret goes on standard input. Press Ctrl+C to stop.", base, base),
		fmt.Sprintf("沙盒运行在 %s。把 --base-url %s 传给 'profile add'；应用密钥（client_secret）从标准输入读取。按 Ctrl+C 停止。", base, base)))
	if *strict {
		fmt.Fprintln(e.stderr, e.text("Strict: request shapes the platform does not document are refused.", "严格模式：拒绝平台文档以外的请求形式。"))
	}
	<-ctx.Done()
	fmt.Fprintln(e.stderr, e.text("Sandbox stopped.", "沙盒已停止。"))
	return nil
}

// sandboxStartError explains why the sandbox could not listen on addr.
func (e *env) sandboxStartError(addr string, err error) error {
	h := &hintError{msg: e.text("cannot start the sandbox", "无法启动沙盒"), err: err,
		hint: e.text("Choose another address with --addr, e.g. --addr 127.0.0.1:0", "请用 --addr 换一个地址，例如 --addr 127.0.0.1:0")}
	if auth.AddrInUse(err) {
		h.msg, h.err = e.text(fmt.Sprintf("cannot start the sandbox: %s is in use", addr), fmt.Sprintf("无法启动沙盒：%s 已被占用", addr)), nil
	}
	return h
}

// loadApps reads the apps of the --apps file. The reasons it gives are
// the system's and the JSON decoder's, in English.
func (c *command) loadApps(file string) ([]sandbox.App, error) {
	f, err := os.Open(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, c.usageText(fmt.Sprintf("--apps: %v", err), fmt.Sprintf("--apps 文件 %s 不存在", file))
	case err != nil:
		return nil, c.usageText(fmt.Sprintf("--apps: %v", err), fmt.Sprintf("无法读取 --apps 文件：%v", err))
	}
	defer f.Close()
	apps, err := sandbox.LoadApps(f)
	if err != nil {
		return nil, c.usageText(fmt.Sprintf("--apps %s: %v", file, err), fmt.Sprintf("--apps %s 不是有效的应用列表：%v", file, err))
	}
	if len(apps) == 0 {
		return nil, c.usageText(fmt.Sprintf("--apps %s lists no app", file), fmt.Sprintf("--apps %s 中没有任何应用", file))
	}
	return apps, nil
}

// isLoopback reports whether host names the loopback interface.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
