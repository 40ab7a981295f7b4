package cli

import (
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
	check(cli(t, testSecret+"\n", "profile", "add", "ci", "--client-key", testKey, "--base-url", base), exitOK, "警告：", "$DOUYIN_CLIENT_SECRET")
	check(cli(t, "", "client-token", "--profile", "ci"), exitError, "应用密钥（client_secret）没有保存", "$DOUYIN_CLIENT_SECRET")
	check(cli(t, "", "refresh", "--profile", "ci"), exitReauth, "$DOUYIN_REFRESH_TOKEN")
}
