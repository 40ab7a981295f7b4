package ui

import (
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestProfileListShowsSandboxHealth lists a demo sandbox profile whose
// sandbox is stopped, and a sandbox profile of another program on a dead
// port: each says so, the first that opening it starts it. Opening the
// first starts its sandbox, and the list then says it runs, and marks it as
// the open profile in words.
func TestProfileListShowsSandboxHealth(t *testing.T) {
	st, port := sandboxStore(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	storeDemoProfile(t, st, "demo", base, false)
	dead := "127.0.0.1:" + strconv.Itoa(freePort(t))
	if err := st.SaveProfile(storage.Profile{Name: "foreign", Environment: storage.EnvSandbox, BaseURL: "http://" + dead,
		ClientKey: "awforeign", RedirectURI: "http://127.0.0.1:9/cb"}); err != nil {
		t.Fatal(err)
	}
	storeSettings(t, st, func(s *storage.Settings) { s.SandboxPort = port; s.LastProfile = "foreign" })
	u, _, _ := newTestAppWith(t, st)
	u.do(func() { u.show(tabProfiles) })
	row := func(name string) string {
		t.Helper()
		var text string
		u.do(func() {
			for i, p := range u.profiles.profiles {
				if p.Name == name {
					text, _ = u.profiles.describe(p)
					text = u.profiles.profiles[i].Name + " " + text
				}
			}
		})
		return text
	}
	if r := row("demo"); !strings.Contains(r, "sandbox stopped: opening the profile starts it") {
		t.Fatalf("demo row %q", r)
	}
	if r := row("foreign"); !strings.Contains(r, "sandbox at "+dead+" not running") {
		t.Fatalf("foreign row %q", r)
	}
	u.do(func() {
		for i, p := range u.profiles.profiles {
			if p.Name == "demo" {
				u.profiles.list.Select(i)
			}
		}
		test.Tap(u.profiles.openBtn)
	})
	u.wait()
	if r := row("demo"); !strings.Contains(r, "sandbox running") {
		t.Fatalf("demo row after opening %q", r)
	}
	if text := labelText(u.profiles.list); !strings.Contains(text, "demo  ● open now") {
		t.Fatalf("the open profile is not marked in words:\n%s", text)
	}
}
