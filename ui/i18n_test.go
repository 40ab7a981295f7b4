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

	"fyne.io/fyne/v2/test"
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
	if u.tabs.Items[0].Text != "1 · 凭据" || u.creds.sandboxBtn.Text != "沙盒（离线）" || currentLang() != "zh" {
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
