package cli

import (
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// englishSentence is four English words in a row: a sentence, where
// commands, flags and identifiers (douyin-auth-desk profile remove demo)
// are not.
var englishSentence = regexp.MustCompile(`(^|[^-\w./$])[A-Za-z]{2,}( [A-Za-z]{2,}){3}($|[^-\w])`)

// TestChineseMessages runs failing commands under a Chinese locale: every
// line they write on stderr is Chinese, with no English sentence.
func TestChineseMessages(t *testing.T) {
	for s, sentence := range map[string]bool{
		"警告：the system keyring is not available":                                                         true,
		"This system has no keyring, so":                                                                 true,
		"请先删除：douyin-auth-desk profile remove demo":                                                      false,
		"用法：douyin-auth-desk import --profile NAME (--refresh-token | --access-token --open-id OPEN_ID)": false,
	} {
		if englishSentence.MatchString(s) != sentence {
			t.Fatalf("englishSentence on %q: %v", s, !sentence)
		}
	}
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	g := serverGrant(t, base, "")
	addProfile(t, "demo", base)
	t.Setenv("LANG", "zh_CN.UTF-8")
	check := func(r result, code int, wants ...string) {
		t.Helper()
		want(t, r, code)
		for _, w := range wants {
			if !strings.Contains(r.stderr, w) {
				t.Errorf("stderr lacks %q:\n%s", w, r)
			}
		}
		for _, line := range strings.Split(strings.TrimSpace(r.stderr), "\n") {
			if !strings.ContainsFunc(line, func(c rune) bool { return unicode.Is(unicode.Han, c) }) || englishSentence.MatchString(line) {
				t.Errorf("not Chinese: %q\n%s", line, r)
			}
		}
	}
	check(cli(t, "", "status", "--profile", "nope"), exitUsage, `没有名为 "nope" 的配置`, "查看已有的配置")
	check(cli(t, "", "token", "--profile", "demo"), exitReauth, "还没有已授权的账号", "重新授权")
	check(cli(t, "", "verify", "--profile", "demo", "--account", "_000Nobody"), exitReauth, "没有账号")
	check(cli(t, "", "token", "--profile", "demo", "--client"), exitError, "没有 client_token", "获取：")
	check(cli(t, "", "token", "--profile", "demo", "--stable"), exitUsage, "只能与 --client 一起使用")
	check(cli(t, g.RefreshToken, "import", "--profile", "demo", "--refresh-token", "rft.onargv"), exitUsage, "只从标准输入读取")
	check(cli(t, "", "import", "--profile", "demo", "--refresh-token"), exitUsage, "标准输入中没有 refresh_token")
	check(cli(t, g.RefreshToken, "import", "--profile", "demo", "--access-token"), exitUsage, "需要 --open-id")
	check(cli(t, g.AccessToken, "import", "--profile", "demo", "--access-token", "--open-id", bobOpenID), exitError, "不属于 open_id")
	check(cli(t, testSecret+"\n", "profile", "add", "demo", "--client-key", testKey), exitUsage, `配置 "demo" 已存在`)

	r := cli(t, g.RefreshToken, "import", "--profile", "demo", "--refresh-token")
	check(r, exitOK, "已导入")
	check(cli(t, "", "renew", "--profile", "demo"), exitUsage, "是导入的", "--yes")

	noKeyring(t)
	check(cli(t, testSecret+"\n", "profile", "add", "ci", "--client-key", testKey, "--base-url", base), exitOK, "警告：", "$DOUYIN_CLIENT_SECRET",
		"应用密钥（client_secret）和调用凭证只保存在内存中")
	check(cli(t, "", "client-token", "--profile", "ci"), exitError, "应用密钥（client_secret）没有保存", "$DOUYIN_CLIENT_SECRET")
	check(cli(t, "", "refresh", "--profile", "ci"), exitReauth, "$DOUYIN_REFRESH_TOKEN")
}

// notChinese returns the lines of out that are not Chinese: a line without
// a Han character, or with an English sentence. Blank lines, and lines that
// are only an address, are not sentences and pass.
func notChinese(out string) []string {
	var bad []string
	for _, line := range strings.Split(out, "\n") {
		s := strings.TrimSpace(line)
		if s == "" || !strings.ContainsRune(s, ' ') && strings.Contains(s, "://") {
			continue
		}
		han := strings.ContainsFunc(s, func(c rune) bool { return unicode.Is(unicode.Han, c) })
		if !han || englishSentence.MatchString(s) {
			bad = append(bad, line)
		}
	}
	return bad
}

// checkZH fails the test unless r exited with code, its stderr holds each
// of wants and every line of it is Chinese.
func checkZH(t *testing.T, r result, code int, wants ...string) {
	t.Helper()
	want(t, r, code)
	for _, w := range wants {
		if !strings.Contains(r.stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, r)
		}
	}
	if bad := notChinese(r.stderr); len(bad) > 0 {
		t.Errorf("not Chinese: %q\n%s", bad, r)
	}
}

// TestChineseUsageErrors: the usage errors of the command line as a whole,
// of parsing flags and arguments, of profile, call and sandbox, and the
// usage lines after them, are all Chinese under a Chinese locale.
func TestChineseUsageErrors(t *testing.T) {
	setup(t)
	apiSandbox(t, "demo", callScopes)
	t.Setenv("LANG", "zh_CN.UTF-8")
	missing := filepath.Join(t.TempDir(), "none.json")
	empty := filepath.Join(t.TempDir(), "empty.json")
	if err := os.WriteFile(empty, []byte("[]"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args  []string
		wants []string
	}{
		{nil, []string{"没有给出命令", "用法：douyin-auth-desk COMMAND [flags]（douyin-auth-desk --help 列出全部命令）"}},
		{[]string{"frobnicate"}, []string{`没有命令 "frobnicate"`, "列出全部命令"}},
		{[]string{"help", "frobnicate"}, []string{`没有命令 "frobnicate"`}},
		{[]string{"profile"}, []string{"profile 需要子命令：add、list 或 remove", "用法：douyin-auth-desk profile add|list|remove"}},
		{[]string{"profile", "rename"}, []string{`没有 profile 子命令 "rename"`, "profile --help 查看详细说明"}},
		{[]string{"profile", "add"}, []string{"缺少 NAME", "用法：douyin-auth-desk profile add NAME", "查看详细说明。"}},
		{[]string{"profile", "list", "extra"}, []string{`多余的参数 "extra"`}},
		{[]string{"login"}, []string{"必须提供 --profile"}},
		{[]string{"status", "--bogus"}, []string{"没有参数 --bogus"}},
		{[]string{"verify", "--profile"}, []string{"参数 --profile 需要一个值"}},
		{[]string{"login", "--profile", "demo", "--timeout", "soon"}, []string{`参数 --timeout 的值 "soon" 无效（格式不对）`}},
		{[]string{"apis", "--json=maybe"}, []string{`参数 --json 的值 "maybe" 无效`}},
		{[]string{"login", "--profile", "demo", "--timeout", "-1s"}, []string{"--timeout 必须大于零"}},
		{[]string{"login", "--profile", "demo", "--relay-page", "p.html"}, []string{"--relay-page 只用于中转（relay）模式的配置"}},
		{[]string{"sandbox", "--addr", "8790"}, []string{`--addr "8790" 不是 host:port 形式`}},
		{[]string{"sandbox", "--addr", "0.0.0.0:8790"}, []string{"不是本机回环地址"}},
		{[]string{"sandbox", "--addr", "127.0.0.1:0", "--access-ttl", "-5m"}, []string{"有效期不能为负数"}},
		{[]string{"sandbox", "--addr", "127.0.0.1:0", "--apps", missing}, []string{"--apps 文件 " + missing + " 不存在"}},
		{[]string{"sandbox", "--addr", "127.0.0.1:0", "--apps", empty}, []string{"中没有任何应用"}},
		{[]string{"call", "video-list"}, []string{"必须提供 --profile"}},
		{[]string{"call", "--profile", "demo"}, []string{"缺少 API（查看：douyin-auth-desk apis）"}},
		{[]string{"call", "--profile", "demo", "nope"}, []string{`没有名为 "nope" 的 API`}},
		{[]string{"call", "--profile", "demo", "video-list", "page=2"}, []string{`video-list 没有参数 "page"`, "分页游标", "用法：douyin-auth-desk call"}},
		{[]string{"call", "--profile", "demo", "video-list", "count"}, []string{`"count" 不是 KEY=VALUE 形式`}},
		{[]string{"call", "--profile", "demo", "video-list", "open_id=x"}, []string{"open_id 由 call 自动填写"}},
		{[]string{"call", "--profile", "demo", "video-list", "count=1", "count=2"}, []string{"count 重复给出"}},
		{[]string{"call", "--profile", "demo", "--account", "x", "hot-videos"}, []string{"不需要 --account"}},
	} {
		checkZH(t, cli(t, "", c.args...), exitUsage, c.wants...)
	}
	// An address in use.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	checkZH(t, cli(t, "", "sandbox", "--addr", ln.Addr().String()), exitError, "无法启动沙盒："+ln.Addr().String()+" 已被占用", "请用 --addr 换一个地址")
}

// TestChineseLogin: what login says while it waits, when it succeeds and
// when it cannot go on is Chinese under a Chinese locale.
func TestChineseLogin(t *testing.T) {
	setup(t)
	sb, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "demo", base)
	want(t, cli(t, pasteSecret+"\n", "profile", "add", "web", "--client-key", pasteKey, "--base-url", base,
		"--redirect-uri", pasteURI), exitOK)
	addRelayProfile(t, sb, "relayed", base)
	t.Setenv("LANG", "zh_CN.UTF-8")

	// Loopback: the announcement, and success.
	r := login(t, "demo", "")
	checkZH(t, r, exitOK, "在浏览器中打开这个地址，为配置 \"demo\" 授权：", "正在 http://127.0.0.1:", "等待回调，直到",
		"如果浏览器无法访问它", "授权成功。")

	// Paste: the browser cannot be opened, a line that is no callback is
	// reported, and standard input ends.
	r = cli(t, "what do I paste?\n", "login", "--profile", "web")
	checkZH(t, r, exitError, "同意授权后，浏览器会跳转到 "+pasteURI+"。", "（或只粘贴授权码）粘贴到这里并按回车",
		"无法打开浏览器：请自行打开上面的地址。", "仍在等待。", "标准输入已结束，还没有粘贴跳转后的地址或授权码",
		"请重新运行 douyin-auth-desk login --profile web")

	// Relay: the page cannot be written where a directory is; then it is.
	dir := t.TempDir()
	checkZH(t, cli(t, "", "login", "--profile", "relayed", "--relay-page", dir), exitError, "无法写入中转页：")
	page := filepath.Join(dir, "index.html")
	lr := start(t, "login", "--profile", "relayed", "--no-browser", "--timeout", "30s", "--relay-page", page)
	lr.authorizeURL(t)
	lr.waitFor(t, "正在 ")
	lr.cancel()
	checkZH(t, lr.wait(t), exitError, "中转页已写入 "+page+"：请把它上传到 "+relayURI, "由那里的中转页把回调转交到", "已中断")
}

// TestChineseSandbox: the sandbox command's own lines on standard error
// are Chinese under a Chinese locale, and its results on standard output
// stay the same.
func TestChineseSandbox(t *testing.T) {
	setup(t)
	t.Setenv("LANG", "zh_CN.UTF-8")
	r := start(t, "sandbox", "--addr", "127.0.0.1:0", "--strict")
	r.waitFor(t, "按 Ctrl+C 停止。")
	r.cancel()
	res := r.wait(t)
	checkZH(t, res, exitOK, "沙盒运行在 http://127.0.0.1:", "应用密钥（client_secret）从标准输入读取", "严格模式：", "沙盒已停止。")
	if field(t, res.stdout, "client_key") != sandbox.DemoClientKey || !strings.Contains(res.stdout, "profile_add: ") {
		t.Errorf("standard output:\n%s", res.stdout)
	}
}

// TestChineseHelp: the help of apis and call is Chinese under a Chinese
// locale, flags and exit statuses included; in English it stays English.
func TestChineseHelp(t *testing.T) {
	setup(t)
	t.Setenv("LANG", "zh_CN.UTF-8")
	for name, wants := range map[string][]string{
		"apis": {"列出 call 可以调用的 OpenAPI", "--json                 输出 JSON", "--json 输出："},
		"call": {"用配置保存的调用凭证调用目录中的 OpenAPI", "--profile NAME         配置名称 NAME（必填）",
			"--account OPEN_ID      账号的 OPEN_ID", "$DOUYIN_ACCESS_TOKEN", "--all 自动翻页"},
	} {
		r := cli(t, "", name, "--help")
		want(t, r, exitOK)
		for _, w := range append(wants, "用法：douyin-auth-desk "+name, "参数：", "-h, --help             显示本帮助", "示例：", "退出状态：", "3  需要授权") {
			if !strings.Contains(r.stdout, w) {
				t.Errorf("%s --help lacks %q:\n%s", name, w, r.stdout)
			}
		}
		for _, line := range strings.Split(r.stdout, "\n") {
			if englishSentence.MatchString(line) {
				t.Errorf("%s --help: an English sentence: %q", name, line)
			}
		}
	}
	t.Setenv("LANG", "en_US.UTF-8")
	if r := cli(t, "", "call", "--help"); !strings.Contains(r.stdout, "Flags:") || strings.Contains(r.stdout, "参数：") {
		t.Errorf("call --help in English:\n%s", r.stdout)
	}
}
