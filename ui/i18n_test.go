package ui

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestLanguageSwitchChangesVisibleText(t *testing.T) {
	u, _, _ := newTestApp(t)
	test.Type(u.creds.name, "kept-across-languages")
	if u.tabs.Items[0].Text != "1 · Credentials" || u.creds.sandboxBtn.Text != "Sandbox (offline)" {
		t.Fatalf("English: %q %q", u.tabs.Items[0].Text, u.creds.sandboxBtn.Text)
	}
	// The rebuild starts background reads; their answers take the lock the
	// UI goroutine would hold.
	u.do(func() { u.setView.language.SetSelected("中文") })
	u.wait()
	if u.tabs.Items[0].Text != "1 · 应用信息" || u.creds.sandboxBtn.Text != "沙盒（离线）" || currentLang() != "zh" {
		t.Fatalf("Chinese: %q %q", u.tabs.Items[0].Text, u.creds.sandboxBtn.Text)
	}
	if u.creds.name.Text != "kept-across-languages" {
		t.Fatalf("the form was lost: %q", u.creds.name.Text)
	}
	if s, _ := u.st.Settings(); s.Language != languageChinese {
		t.Fatalf("language not saved: %q", s.Language)
	}
	// auth errors follow the language.
	if got := u.creds.pending.Text; got != "还需处理：client_key 不能为空" {
		t.Fatalf("error in Chinese: %q", got)
	}
	u.do(func() { u.setView.language.SetSelected("English") })
	u.wait()
	if u.tabs.Items[2].Text != "3 · Tokens" || currentLang() != "en" {
		t.Fatalf("back to English: %q", u.tabs.Items[2].Text)
	}
}

func TestSessionOnlyBanner(t *testing.T) {
	u, _, _ := newTestApp(t)
	if u.st.SessionOnly() != (len(u.banner.Objects) > 0) {
		t.Fatalf("banner shown %d, session only %v", len(u.banner.Objects), u.st.SessionOnly())
	}
}

var literal = regexp.MustCompile(`lang\.L\(("(?:[^"\\]|\\.)*")`)

// Every string passed to lang.L has an English and a Chinese entry.
func TestTranslationsComplete(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	ids := map[string]bool{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllSubmatch(src, -1) {
			s, err := strconv.Unquote(string(m[1]))
			if err != nil {
				t.Fatal(err)
			}
			ids[s] = true
		}
	}
	if len(ids) < 50 {
		t.Fatalf("only %d strings found", len(ids))
	}
	for _, name := range []string{"en.json", "zh.json"} {
		data, err := translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(name, err)
		}
		for id := range ids {
			if m[id] == "" {
				t.Errorf("%s lacks %q", name, id)
			}
		}
		for id := range m {
			if !ids[id] && id != "meta.lang" {
				t.Errorf("%s has unused %q", name, id)
			}
		}
	}
}

// zhTranslations reads zh.json.
func zhTranslations(t *testing.T) map[string]string {
	t.Helper()
	data, err := translations.ReadFile("translations/zh.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// oldTerms are words the Chinese window no longer uses, for the terms of
// Douyin's console.
var oldTerms = regexp.MustCompile(`令牌|凭据|应答|权限|删除账号|客户端密钥|(^|[^权])回调地址`)

// codeLike matches what Chinese text keeps as it is: template fields, URLs,
// host names and command lines.
var codeLike = regexp.MustCompile(`\{\{[^}]*\}\}|https?://[^\s，。；：（）“”]*[^\s.,;:?!，。；：（）“”]|[\w-]+(\.[\w-]+)+|sandbox --\w+`)

// halfWidthInChinese finds ASCII sentence punctuation beside Chinese text, or
// ending a Chinese value: "已保存." or "权限: user_info" rather than "已保存。"
// and "授权作用域：user_info". Code-like parts count as Latin.
var halfWidthInChinese = regexp.MustCompile(`[\p{Han}：，。；（）“”][,.:;?!()]|[,.:;?!()] ?\p{Han}|[,.:;?!]$`)

// chinesePunctuationProblem returns the half-width punctuation of the
// Chinese value v, or "".
func chinesePunctuationProblem(v string) string {
	if !regexp.MustCompile(`\p{Han}`).MatchString(v) {
		return ""
	}
	return halfWidthInChinese.FindString(codeLike.ReplaceAllString(v, "x"))
}

func TestChinesePunctuationCheck(t *testing.T) {
	for v, bad := range map[string]bool{
		"已保存。":          false,
		"已保存.":          true,
		"已授权：{{.Who}}。": false,
		"已授权：{{.Who}}.": true,
		"权限: user_info": true,
		"沙盒（离线）":        false,
		"沙盒(离线)":        true,
		"平台地址 https://open.douyin.com/x?a=1.":     true,
		"打开 https://open.douyin.com/x?a=1。":       false,
		"抖音沙盒主机（open-sandbox.douyin.com；文档用于小程序）": false,
		"沙盒接受了（sandbox --strict 会拒绝它们）：":          false,
		"粘贴 code, 或完整地址":                          true,
		"user_info,renew_refresh_token":           false,
		"Sandbox (offline)":                       false,
	} {
		if got := chinesePunctuationProblem(v) != ""; got != bad {
			t.Errorf("%q: found %v, want %v", v, got, bad)
		}
	}
}

// The Chinese window speaks as Douyin's console does: its terms, and
// full-width punctuation in Chinese sentences.
func TestChineseGlossary(t *testing.T) {
	zh := zhTranslations(t)
	for k, v := range zh {
		if m := oldTerms.FindString(v); m != "" {
			t.Errorf("%q: %q uses %q", k, v, m)
		}
		if rest := codeLike.ReplaceAllString(v, ""); strings.Contains(strings.ToLower(rest), "sandbox") {
			t.Errorf("%q: %q says sandbox, not 沙盒", k, v)
		}
		if p := chinesePunctuationProblem(v); p != "" {
			t.Errorf("%q: %q has half-width punctuation %q", k, v, p)
		}
	}
	for k, want := range map[string]string{
		"1 · Credentials":  "应用信息",
		"3 · Tokens":       "调用凭证",
		"Access token":     "access_token（用户授权调用凭证）",
		"Client token":     "client_token（应用级调用凭证，无需用户授权）",
		"Scopes":           "授权作用域（scope）",
		"Optional scopes":  "可选作用域（optionalScope）",
		"Redirect URI":     "授权回调地址（redirect_uri）",
		"Forget account":   "移除此授权账号（仅本机）",
		"Response body":    "响应体",
		"Refresh":          "刷新 access_token",
		"Test credentials": "应用信息",
		"Enter the client_key and client_secret from the developer console (Console › My apps › Website apps › App info), or try the offline sandbox.": "控制台 › 我的应用 › 网站应用 › 应用信息",
	} {
		if !strings.Contains(zh[k], want) {
			t.Errorf("%q: %q lacks %q", k, zh[k], want)
		}
	}
}

// TestFyneStringsMatchFyne checks that the copies of Fyne's own strings
// equal those of the Fyne version in go.mod.
func TestFyneStringsMatchFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "fyne.io/fyne/v2").Output()
	if err != nil {
		t.Skipf("go list cannot find the fyne module: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "lang", "translations")
	for ours, theirs := range map[string]string{"en.json": "base.en.json", "zh.json": "base.zh_Hans.json"} {
		var a, b map[string]any
		data, err := fyneStrings.ReadFile("fynestrings/" + ours)
		if err == nil {
			err = json.Unmarshal(data, &a)
		}
		if err != nil {
			t.Fatal(ours, err)
		}
		data, err = os.ReadFile(filepath.Join(dir, theirs))
		if err == nil {
			err = json.Unmarshal(data, &b)
		}
		if err != nil {
			t.Fatal(theirs, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("fynestrings/%s differs from Fyne's %s: copy it again", ours, theirs)
		}
	}
}

// A token's title and its invalid mark are bold in both languages: the
// theme's faces hold the app's Chinese in bold too.
func TestTokenRowLabelsBold(t *testing.T) {
	u, _, _ := newTestApp(t)
	for _, title := range []string{"Access token", "access_token（用户授权调用凭证）"} {
		r := newTokenRow(u, title, time.Hour, accessLife)
		head := r.content.(*fyne.Container).Objects[0].(*fyne.Container)
		if l := head.Objects[0].(*widget.Label); l.Text != title || !l.TextStyle.Bold {
			t.Errorf("title %q: bold %v", l.Text, l.TextStyle.Bold)
		}
		if f := u.fyne.Settings().Theme().Font(fyne.TextStyle{Bold: true}); f != wideBold {
			t.Errorf("bold text is drawn with %s", f.Name())
		}
	}
	r := newTokenRow(u, "x", time.Hour, accessLife)
	r.set("act.0123456789abcdef", u.now(), u.now().Add(time.Hour))
	r.markInvalid(10010)
	if !r.invalid.TextStyle.Bold {
		t.Errorf("invalid mark %q is not bold", r.invalid.Text)
	}
}
