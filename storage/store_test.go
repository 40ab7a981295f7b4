package storage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/zalando/go-keyring"
)

func TestProfileRoundTrip(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	if ps, err := s.Profiles(); err != nil || len(ps) != 0 {
		t.Fatalf("Profiles on a new store = %v, %v", ps, err)
	}
	want := Profile{
		Name:          "测试 app",
		Environment:   EnvCustom,
		BaseURL:       "http://127.0.0.1:9000/",
		ClientKey:     "awkey1",
		Scopes:        []string{"user_info", "trial.whitelist"},
		OptionalScope: "friend_relation,1",
		RedirectURI:   "https://example.com/cb",
		CallbackMode:  ModeRelay,
		RelayTarget:   "http://127.0.0.1:8792/relay",
	}
	if err := s.SaveProfile(want); err != nil {
		t.Fatal(err)
	}
	saveProfile(t, s, "b")
	saveProfile(t, s, "A")
	got, err := s.Profile(want.Name)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != want.Name || got.BaseURL != want.BaseURL || got.CallbackMode != ModeRelay ||
		!slices.Equal(got.Scopes, want.Scopes) || got.OptionalScope != want.OptionalScope ||
		got.RedirectURI != want.RedirectURI || got.ClientKey != want.ClientKey || got.Environment != EnvCustom {
		t.Errorf("Profile = %+v, want %+v", got, want)
	}
	if e := got.Endpoint(); e != "http://127.0.0.1:9000" {
		t.Errorf("Endpoint = %q", e)
	}
	ps, err := s.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"A", "b", "测试 app"}) {
		t.Errorf("Profiles names = %q, want sorted", names)
	}
	if ps[0].Environment != EnvDouyin || ps[0].CallbackMode != ModeLoopback {
		t.Errorf("defaults not filled in: %+v", ps[0])
	}
	if _, err := s.Profile("nope"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Profile(nope) error = %v, want ErrNoProfile", err)
	}
	// Another store on the same directory sees the same profiles.
	s2 := openStore(t, s.Dir(), newFakeKeyring())
	if ps2, _ := s2.Profiles(); len(ps2) != 3 {
		t.Errorf("second store sees %d profiles", len(ps2))
	}
}

func TestEndpoint(t *testing.T) {
	for _, c := range []struct {
		p    Profile
		want string
	}{
		{Profile{Environment: EnvDouyin, BaseURL: "http://ignored"}, auth.DefaultBaseURL},
		{Profile{}, auth.DefaultBaseURL},
		{Profile{Environment: EnvSandbox, BaseURL: "http://127.0.0.1:1234"}, "http://127.0.0.1:1234"},
		{Profile{Environment: EnvSandbox}, ""},
		{Profile{Environment: EnvCustom, BaseURL: "https://x.example/api//"}, "https://x.example/api"},
	} {
		if got := c.p.Endpoint(); got != c.want {
			t.Errorf("%+v.Endpoint() = %q, want %q", c.p, got, c.want)
		}
	}
}

func TestProfileValidation(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	for _, c := range []struct {
		p      Profile
		field  auth.Field
		reason auth.Reason
	}{
		{Profile{Name: ""}, "name", auth.ReasonEmpty},
		{Profile{Name: " a"}, "name", auth.ReasonUntrimmed},
		{Profile{Name: "a\n"}, "name", auth.ReasonUntrimmed},
		{Profile{Name: strings.Repeat("名", 65)}, "name", auth.ReasonTooLong},
		{Profile{Name: "a/b"}, "name", auth.ReasonSlash},
		{Profile{Name: "a\tb"}, "name", auth.ReasonControl},
		{Profile{Name: "a\x00b"}, "name", auth.ReasonControl},
		{Profile{Name: "a\u0085b"}, "name", auth.ReasonControl},
		{Profile{Name: "a\xffb"}, "name", auth.ReasonMalformed},
		{Profile{Name: "a", Environment: "prod"}, "environment", auth.ReasonUnknown},
		{Profile{Name: "a", CallbackMode: "push"}, "callback_mode", auth.ReasonUnknown},
		{Profile{Name: "a", Environment: EnvCustom}, "base_url", auth.ReasonEmpty},
		{Profile{Name: "a", Environment: EnvCustom, BaseURL: "ftp://x"}, "base_url", auth.ReasonMalformed},
		{Profile{Name: "a", Environment: EnvSandbox, BaseURL: "127.0.0.1:80"}, "base_url", auth.ReasonMalformed},
	} {
		err := s.SaveProfile(c.p)
		var fe *auth.FieldError
		if !errors.As(err, &fe) || fe.Field != c.field || fe.Reason != c.reason {
			t.Errorf("SaveProfile(%q, %q) error = %v, want %s %s", c.p.Name, c.p.Environment, err, c.field, c.reason)
			continue
		}
		if fe.Message("zh") == "" || fe.Message("zh") == fe.Message("en") {
			t.Errorf("bad messages for %v", err)
		}
	}
	if ps, _ := s.Profiles(); len(ps) != 0 {
		t.Errorf("invalid profiles were stored: %+v", ps)
	}
	if err := s.SaveProfile(Profile{Name: strings.Repeat("名", 64)}); err != nil {
		t.Errorf("64-character name rejected: %v", err)
	}
}

func TestSaveProfileKeepsAccountsAndClientToken(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	saveProfile(t, s, "p")
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u1", "act.1", "rft.1", 0)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: "clt.1", Obtained: t0, Expiry: t0.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	err := s.SaveProfile(Profile{
		Name: "p", ClientKey: "changed",
		Accounts:    []auth.Account{{OpenID: "intruder"}},
		ClientToken: &auth.ClientToken{Expiry: t0},
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.Profile("p")
	if err != nil {
		t.Fatal(err)
	}
	if p.ClientKey != "changed" {
		t.Errorf("ClientKey = %q", p.ClientKey)
	}
	if len(p.Accounts) != 1 || p.Accounts[0].OpenID != "u1" {
		t.Errorf("Accounts = %+v, want u1 only", p.Accounts)
	}
	if p.ClientToken == nil || !p.ClientToken.Expiry.Equal(t0.Add(2*time.Hour)) || p.ClientToken.Token != "" {
		t.Errorf("ClientToken = %+v", p.ClientToken)
	}
}

func TestSaveProfileKeepsStableClientToken(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	saveProfile(t, s, "p")
	if err := s.Tokens("p").SaveClientToken(auth.ClientToken{Token: "clt.s", Obtained: t0, Expiry: t0.Add(2 * time.Hour), Stable: true}); err != nil {
		t.Fatal(err)
	}
	p, _ := s.Profile("p")
	p.StableClientToken = &auth.ClientToken{Expiry: t0}
	if err := s.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	p, _ = s.Profile("p")
	if p.StableClientToken == nil || !p.StableClientToken.Expiry.Equal(t0.Add(2*time.Hour)) || p.ClientToken != nil {
		t.Errorf("StableClientToken = %+v, ClientToken = %+v", p.StableClientToken, p.ClientToken)
	}
}

// TestClientTokenConfirmation: the consent to fetch rotating client tokens
// on the real platform is asked of real-platform profiles only, kept across
// saves of the same app and dropped when the app or its server changes.
func TestClientTokenConfirmation(t *testing.T) {
	s := openStore(t, t.TempDir(), newFakeKeyring())
	real := Profile{Name: "real", ClientKey: "awreal", Environment: EnvDouyin, RedirectURI: "https://example.com/cb"}
	for _, p := range []Profile{
		real,
		{Name: "sb", ClientKey: "awsb", Environment: EnvSandbox, BaseURL: "http://127.0.0.1:8790", RedirectURI: "http://127.0.0.1:8910/cb"},
		{Name: "custom", ClientKey: "awc", Environment: EnvCustom, BaseURL: "https://proxy.example", RedirectURI: "https://example.com/cb"},
		{Name: "psb", ClientKey: "awp", Environment: EnvDouyinSandbox, RedirectURI: "https://example.com/cb"},
	} {
		p.ClientTokenConfirmed = true // ignored: only ConfirmClientToken sets it
		if err := s.SaveProfile(p); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Profile(p.Name)
		if want := p.Name == "real"; got.ClientTokenNeedsConfirmation() != want {
			t.Errorf("%s: needs confirmation %v, want %v", p.Name, !want, want)
		}
	}
	if err := s.ConfirmClientToken("nope"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("ConfirmClientToken on a missing profile = %v", err)
	}
	if err := s.ConfirmClientToken("real"); err != nil {
		t.Fatal(err)
	}
	needs := func() bool {
		t.Helper()
		p, err := s.Profile("real")
		if err != nil {
			t.Fatal(err)
		}
		return p.ClientTokenNeedsConfirmation()
	}
	if needs() {
		t.Fatal("asked again after the consent")
	}
	edited := real
	edited.Scopes = []string{"user_info", "video.list.bind"}
	if err := s.SaveProfile(edited); err != nil || needs() {
		t.Fatalf("a save of the same app dropped the consent (%v)", err)
	}
	edited.ClientKey = "awother"
	if err := s.SaveProfile(edited); err != nil || !needs() {
		t.Fatalf("the consent outlived a new client_key (%v)", err)
	}
}

func TestSecret(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	if err := s.SetSecret("p", "x"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("SetSecret on a missing profile: %v", err)
	}
	saveProfile(t, s, "p")
	if _, err := s.Secret("p"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Secret before SetSecret: %v", err)
	}
	if err := s.SetSecret("p", "cs-1"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("p"); v != "cs-1" || err != nil {
		t.Errorf("Secret = %q, %v", v, err)
	}
	if sealed(kr.value("profile/p/client_secret")) != "cs-1" {
		t.Errorf("keyring keys = %q", kr.keys())
	}
	if err := s.SetSecret("p", strings.Repeat("s", MaxSecretSize+1)); !errors.Is(err, ErrSecretTooLarge) {
		t.Errorf("oversized secret: %v", err)
	}
	if err := s.SetSecret("p", strings.Repeat("s", MaxSecretSize)); err != nil {
		t.Errorf("secret of MaxSecretSize: %v", err)
	}
	if err := s.SetSecret("p", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret("p"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Secret after clearing: %v", err)
	}
	if len(kr.keys()) != 0 {
		t.Errorf("keyring keys after clearing = %q", kr.keys())
	}
}

func TestNoSecretInFiles(t *testing.T) {
	kr := newFakeKeyring()
	dir := t.TempDir()
	s := openStore(t, dir, kr)
	saveProfile(t, s, "p")
	secrets := []string{"cs-Secret-0001", "act.Access-0001", "rft.Refresh-0001", "act.Access-0002", "rft.Refresh-0002", "clt.Client-0001", "act.Other", "rft.Other"}
	if err := s.SetSecret("p", secrets[0]); err != nil {
		t.Fatal(err)
	}
	ts := s.Tokens("p")
	for _, g := range []auth.Grant{
		grant("u1", secrets[1], secrets[2], 0),
		grant("u1", secrets[3], secrets[4], 1),
		grant("u2", secrets[6], secrets[7], 0),
	} {
		if err := ts.SaveGrant(g); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.SaveClientToken(auth.ClientToken{Token: secrets[5], Obtained: t0, Expiry: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(DefaultSettings()); err != nil {
		t.Fatal(err)
	}
	files := allFiles(t, dir)
	if _, ok := files[fileName]; !ok {
		t.Fatalf("no %s among %v", fileName, files)
	}
	for name, b := range files {
		for _, sec := range secrets {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s contains the secret %q", name, sec)
			}
		}
	}
	// Every current secret is in the keyring.
	stored := map[string]bool{}
	for _, k := range kr.keys() {
		stored[sealed(kr.value(k))] = true
	}
	for _, sec := range []string{secrets[0], secrets[3], secrets[4], secrets[5], secrets[6], secrets[7]} {
		if !stored[sec] {
			t.Errorf("keyring lacks %q", sec)
		}
	}
	if stored[secrets[2]] {
		t.Errorf("keyring still holds the replaced refresh token")
	}
}

func TestFileAndDirModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	dir := filepath.Join(t.TempDir(), "a", "cfg")
	s := openStore(t, dir, newFakeKeyring())
	saveProfile(t, s, "p")
	for name, want := range map[string]fs.FileMode{
		dir:                          0o700 | fs.ModeDir,
		filepath.Join(dir, fileName): 0o600,
		filepath.Join(dir, lockName): 0o600,
	} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s mode = %v, want %v", name, fi.Mode(), want)
		}
	}
	// No temporary files are left behind.
	if files := allFiles(t, dir); len(files) != 2 {
		t.Errorf("files in the directory: %d", len(files))
	}
}

func TestConfigDirEnv(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "from-env")
	t.Setenv(ConfigDirEnv, dir)
	if d, err := DefaultDir(); d != dir || err != nil {
		t.Errorf("DefaultDir = %q, %v; want %q", d, err, dir)
	}
	s := openStore(t, "", newFakeKeyring())
	if s.Dir() != dir {
		t.Errorf("Dir = %q, want %q", s.Dir(), dir)
	}
	saveProfile(t, s, "p")
	if _, err := os.Stat(filepath.Join(dir, fileName)); err != nil {
		t.Error(err)
	}

	t.Setenv(ConfigDirEnv, "")
	t.Setenv("XDG_CONFIG_HOME", "/xdg")
	t.Setenv("HOME", "/home/someone")
	d, err := DefaultDir()
	if err != nil || filepath.Base(d) != "douyin-auth-desk" {
		t.Errorf("DefaultDir without %s = %q, %v", ConfigDirEnv, d, err)
	}
	if runtime.GOOS == "linux" && d != "/xdg/douyin-auth-desk" {
		t.Errorf("DefaultDir = %q, want /xdg/douyin-auth-desk", d)
	}
}

var bakName = regexp.MustCompile(`^profiles\.json\.\d{8}T\d{6}Z(-\d+)?\.bak$`)

func TestCorruptFileKeptAside(t *testing.T) {
	for _, c := range []struct {
		name, content string
		kind          NoticeKind
		version       int
	}{
		{"garbage", "{not json", NoticeCorrupt, 0},
		{"empty", "", NoticeCorrupt, 0},
		{"array", "[1,2]", NoticeCorrupt, 0},
		{"no version", `{"profiles":[]}`, NoticeCorrupt, 0},
		{"bad profile", `{"version":1,"profiles":[{"name":"a/b"}]}`, NoticeCorrupt, 0},
		{"bad settings", `{"version":1,"settings":{"language":5}}`, NoticeCorrupt, 0},
		{"future", `{"version":2,"profiles":[{"name":"from-the-future"}],"new_field":true}`, NoticeFutureVersion, 2},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, fileName)
			if err := os.WriteFile(path, []byte(c.content), 0o600); err != nil {
				t.Fatal(err)
			}
			s := openStore(t, dir, newFakeKeyring())
			ns := s.NoticeDetails()
			if len(ns) != 1 || ns[0].Kind != c.kind || ns[0].Version != c.version {
				t.Fatalf("notices = %+v", ns)
			}
			if !bakName.MatchString(filepath.Base(ns[0].Path)) || filepath.Dir(ns[0].Path) != dir {
				t.Errorf("kept aside as %q", ns[0].Path)
			}
			if got := readFileString(t, ns[0].Path); got != c.content {
				t.Errorf("kept-aside content = %q, want %q", got, c.content)
			}
			msgs := s.Notices()
			if len(msgs) != 1 || !strings.Contains(msgs[0], ns[0].Path) {
				t.Errorf("Notices = %q", msgs)
			}
			if ps, err := s.Profiles(); err != nil || len(ps) != 0 {
				t.Errorf("Profiles = %v, %v", ps, err)
			}
			saveProfile(t, s, "fresh")
			if got := readFileString(t, ns[0].Path); got != c.content {
				t.Errorf("kept-aside file changed")
			}
			if ps, _ := s.Profiles(); len(ps) != 1 {
				t.Errorf("Profiles after a fresh start = %+v", ps)
			}
		})
	}
}

func TestCorruptionFoundLater(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, newFakeKeyring())
	saveProfile(t, s, "p")
	for i := 0; i < 2; i++ {
		if err := os.WriteFile(filepath.Join(dir, fileName), []byte("junk"), 0o600); err != nil {
			t.Fatal(err)
		}
		if ps, err := s.Profiles(); err != nil || len(ps) != 0 {
			t.Fatalf("Profiles = %v, %v", ps, err)
		}
	}
	ns := s.NoticeDetails()
	if len(ns) != 2 || ns[0].Path == ns[1].Path {
		t.Fatalf("notices = %+v", ns)
	}
	for _, n := range ns {
		if readFileString(t, n.Path) != "junk" {
			t.Errorf("%s lost its content", n.Path)
		}
	}
}

func TestSettings(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, newFakeKeyring())
	st, err := s.Settings()
	if err != nil || st != DefaultSettings() {
		t.Errorf("Settings on a new store = %+v, %v", st, err)
	}
	if d := DefaultSettings(); d.NotifyAccessBefore != 24*time.Hour || d.NotifyRefreshBefore != 72*time.Hour || d.AutoRefreshBelow != 0 {
		t.Errorf("DefaultSettings = %+v", d)
	}
	want := Settings{Language: "zh", NotifyAccessBefore: time.Hour, NotifyRefreshBefore: 0, AutoRefreshBelow: 2 * time.Hour, KeepInTray: true}
	if err := s.SaveSettings(want); err != nil {
		t.Fatal(err)
	}
	if st, _ := openStore(t, dir, newFakeKeyring()).Settings(); st != want {
		t.Errorf("Settings = %+v, want %+v", st, want)
	}
	for _, bad := range []Settings{{Language: "fr"}, {NotifyAccessBefore: -1}, {AutoRefreshBelow: -time.Hour}} {
		var fe *auth.FieldError
		if err := s.SaveSettings(bad); !errors.As(err, &fe) {
			t.Errorf("SaveSettings(%+v) = %v", bad, err)
		}
	}
	// Fields missing from the file take their defaults.
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte(`{"version":1,"profiles":[],"settings":{"language":"en"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	st, _ = s.Settings()
	if st.Language != "en" || st.NotifyAccessBefore != 24*time.Hour || st.NotifyRefreshBefore != 72*time.Hour {
		t.Errorf("Settings = %+v", st)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	dir := t.TempDir()
	shared := openStore(t, dir, newFakeKeyring())
	var wg sync.WaitGroup
	const n = 50
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := shared
			if w%2 == 1 {
				// A second store on the same directory, as another
				// window of the program would have.
				var err error
				if s, err = OpenWith(dir, Memory()); err != nil {
					t.Error(err)
					return
				}
			}
			for i := 0; i < n; i++ {
				name := fmt.Sprintf("w%d-%02d", w, i)
				if err := s.SaveProfile(Profile{Name: name}); err != nil {
					t.Error(err)
					return
				}
				if _, err := s.Profiles(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	ps, err := shared.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 4*n {
		t.Errorf("%d profiles, want %d", len(ps), 4*n)
	}
	if ns := shared.Notices(); len(ns) != 0 {
		t.Errorf("notices: %q", ns)
	}
}

func TestDeleteAccountAndProfile(t *testing.T) {
	kr := newFakeKeyring()
	s := openStore(t, t.TempDir(), kr)
	for _, p := range []string{"p", "q"} {
		saveProfile(t, s, p)
		if err := s.SetSecret(p, "cs-"+p); err != nil {
			t.Fatal(err)
		}
		ts := s.Tokens(p)
		for _, g := range []auth.Grant{grant("u1", "a1", "r1", 0), grant("u1", "a2", "r2", 1), grant("u2", "a3", "r3", 0)} {
			if err := ts.SaveGrant(g); err != nil {
				t.Fatal(err)
			}
		}
		if err := ts.SaveClientToken(auth.ClientToken{Token: "clt-" + p}); err != nil {
			t.Fatal(err)
		}
		if err := ts.SaveClientToken(auth.ClientToken{Token: "clt-stable-" + p, Stable: true}); err != nil {
			t.Fatal(err)
		}
	}
	profileKeys := func(p string) []string {
		var ks []string
		for _, k := range kr.keys() {
			if strings.HasPrefix(k, "profile/"+p+"/") {
				ks = append(ks, k)
			}
		}
		return ks
	}
	wantP := []string{
		"profile/p/account/u1/access_token",
		"profile/p/account/u1/refresh_token/2",
		"profile/p/account/u2/access_token",
		"profile/p/account/u2/refresh_token/1",
		"profile/p/client_secret",
		"profile/p/client_token",
		"profile/p/client_token_stable",
	}
	if got := profileKeys("p"); !slices.Equal(got, wantP) {
		t.Fatalf("keys = %q, want %q", got, wantP)
	}

	if err := s.DeleteAccount("p", "nobody"); !errors.Is(err, auth.ErrNoAccount) {
		t.Errorf("DeleteAccount(nobody) = %v", err)
	}
	if err := s.DeleteAccount("x", "u1"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("DeleteAccount(x, u1) = %v", err)
	}
	// A keyring that cannot delete keeps the account.
	kr.setFault(func(op, key string) error {
		if op == "delete" {
			return errInjected
		}
		return nil
	})
	if err := s.DeleteAccount("p", "u1"); !errors.Is(err, errInjected) {
		t.Errorf("DeleteAccount with a failing keyring = %v", err)
	}
	if _, err := s.Tokens("p").Grant("u1"); err != nil {
		t.Errorf("account lost after a failed delete: %v", err)
	}
	kr.setFault(nil)

	if err := s.DeleteAccount("p", "u1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Tokens("p").Grant("u1"); !errors.Is(err, auth.ErrNoAccount) {
		t.Errorf("Grant after DeleteAccount = %v", err)
	}
	if got := profileKeys("p"); !slices.Equal(got, slices.Delete(slices.Clone(wantP), 0, 2)) {
		t.Errorf("keys after DeleteAccount = %q", got)
	}
	p, _ := s.Profile("p")
	if len(p.Accounts) != 1 || p.Accounts[0].OpenID != "u2" {
		t.Errorf("Accounts = %+v", p.Accounts)
	}

	if err := s.DeleteProfile("p"); err != nil {
		t.Fatal(err)
	}
	if got := profileKeys("p"); len(got) != 0 {
		t.Errorf("keys after DeleteProfile = %q", got)
	}
	if _, err := s.Profile("p"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("Profile after DeleteProfile = %v", err)
	}
	if err := s.DeleteProfile("p"); !errors.Is(err, ErrNoProfile) {
		t.Errorf("second DeleteProfile = %v", err)
	}
	if len(profileKeys("q")) != 7 {
		t.Errorf("other profile's keys touched: %q", kr.keys())
	}
}

func TestForgetEverything(t *testing.T) {
	kr := newFakeKeyring()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, fileName), []byte("junk"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, dir, kr)
	for _, p := range []string{"p", "q"} {
		saveProfile(t, s, p)
		if err := s.SetSecret(p, "cs"); err != nil {
			t.Fatal(err)
		}
		if err := s.Tokens(p).SaveGrant(grant("u", "a", "r", 0)); err != nil {
			t.Fatal(err)
		}
		if err := s.Tokens(p).SaveClientToken(auth.ClientToken{Token: "c"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SaveSettings(Settings{Language: "en"}); err != nil {
		t.Fatal(err)
	}
	if len(kr.keys()) != 8 {
		t.Fatalf("keys = %q", kr.keys())
	}

	kr.setFault(func(op, key string) error {
		if op == "delete" && strings.HasPrefix(key, "profile/q/") {
			return errInjected
		}
		return nil
	})
	if err := s.ForgetEverything(); !errors.Is(err, errInjected) {
		t.Fatalf("ForgetEverything with a failing keyring = %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, fileName)); err != nil {
		t.Errorf("file removed although keys remain: %v", err)
	}
	kr.setFault(nil)

	if err := s.ForgetEverything(); err != nil {
		t.Fatal(err)
	}
	if ks := kr.keys(); len(ks) != 0 {
		t.Errorf("keys left = %q", ks)
	}
	for name := range allFiles(t, dir) {
		if name != lockName {
			t.Errorf("file left: %s", name)
		}
	}
	if ps, _ := s.Profiles(); len(ps) != 0 {
		t.Errorf("profiles left: %+v", ps)
	}
	if st, _ := s.Settings(); st != DefaultSettings() {
		t.Errorf("settings left: %+v", st)
	}
}

// TestKeyringMock runs the store on go-keyring's mock provider through Open.
func TestKeyringMock(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.SessionOnly() || len(s.Notices()) != 0 {
		t.Fatalf("SessionOnly = %v, notices %q", s.SessionOnly(), s.Notices())
	}
	saveProfile(t, s, "p")
	if err := s.SetSecret("p", "cs"); err != nil {
		t.Fatal(err)
	}
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u", "a1", "r1", 0)); err != nil {
		t.Fatal(err)
	}
	if err := ts.SaveGrant(grant("u", "a2", "r2", 1)); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"profile/p/client_secret":             "cs",
		"profile/p/account/u/access_token":    "a2",
		"profile/p/account/u/refresh_token/2": "r2",
	} {
		if v, err := keyring.Get(ServiceName, key); sealed(v) != want || err != nil {
			t.Errorf("keyring %s = %q, %v; want %q", key, v, err, want)
		}
	}
	if _, err := keyring.Get(ServiceName, "profile/p/account/u/refresh_token/1"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("old refresh token still in the keyring: %v", err)
	}
	if _, err := keyring.Get(ServiceName, probeKey()); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("probe entry left: %v", err)
	}
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if g, err := s2.Tokens("p").Grant("u"); err != nil || g.RefreshToken != "r2" || g.AccessToken != "a2" {
		t.Errorf("Grant = %+v, %v", g, err)
	}
	if err := s2.ForgetEverything(); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"profile/p/client_secret", "profile/p/account/u/access_token", "profile/p/account/u/refresh_token/2"} {
		if _, err := keyring.Get(ServiceName, key); !errors.Is(err, keyring.ErrNotFound) {
			t.Errorf("%s left after ForgetEverything: %v", key, err)
		}
	}
}

// TestKeyringProbedWhenFirstNeeded opens a store and reads its profiles and
// settings without a call to the keyring; the first secret probes it, and
// so does SessionOnly, once.
func TestKeyringProbedWhenFirstNeeded(t *testing.T) {
	dir, kr := t.TempDir(), newFakeKeyring()
	s := openStore(t, dir, kr)
	saveProfile(t, s, "p")
	kr.mu.Lock()
	kr.calls = nil
	kr.mu.Unlock()
	calls := func() []string {
		kr.mu.Lock()
		defer kr.mu.Unlock()
		return slices.Clone(kr.calls)
	}

	s, err := OpenWith(dir, kr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Profiles(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Settings(); err != nil {
		t.Fatal(err)
	}
	if so, known := s.SessionOnlyKnown(); so || known {
		t.Fatalf("SessionOnlyKnown before any secret = %v, %v", so, known)
	}
	if c := calls(); len(c) != 0 {
		t.Fatalf("opening and reading the file called the keyring: %q", c)
	}
	if _, err := s.Secret("p"); !errors.Is(err, ErrNoSecret) {
		t.Fatalf("Secret = %v", err)
	}
	want := []string{"set " + probeKey(), "get " + probeKey(), "delete " + probeKey(), "get " + secretKey("p")}
	if c := calls(); !slices.Equal(c, want) {
		t.Fatalf("calls = %q, want %q", c, want)
	}
	if so, known := s.SessionOnlyKnown(); so || !known || s.SessionOnly() {
		t.Fatalf("SessionOnlyKnown = %v, %v", so, known)
	}
	if c := calls(); len(c) != len(want) {
		t.Fatalf("probed twice: %q", c)
	}
}

func TestSessionOnlyWithoutKeyring(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown: no Secret Service"))
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !s.SessionOnly() {
		t.Fatal("SessionOnly = false with a failing keyring")
	}
	ns := s.NoticeDetails()
	if len(ns) != 1 || ns[0].Kind != NoticeSessionOnly || !strings.Contains(ns[0].Detail, "no Secret Service") {
		t.Fatalf("notices = %+v", ns)
	}
	if msg := s.Notices()[0]; !strings.Contains(msg, "memory") {
		t.Errorf("notice message = %q", msg)
	}
	saveProfile(t, s, "p")
	if err := s.SetSecret("p", "cs-session"); err != nil {
		t.Fatal(err)
	}
	if v, err := s.Secret("p"); v != "cs-session" || err != nil {
		t.Errorf("Secret = %q, %v", v, err)
	}
	ts := s.Tokens("p")
	if err := ts.SaveGrant(grant("u", "act.session", "rft.session", 0)); err != nil {
		t.Fatal(err)
	}
	if g, err := ts.Grant("u"); err != nil || g.RefreshToken != "rft.session" {
		t.Errorf("Grant = %+v, %v", g, err)
	}
	for name, b := range allFiles(t, dir) {
		for _, sec := range []string{"cs-session", "act.session", "rft.session"} {
			if bytes.Contains(b, []byte(sec)) {
				t.Errorf("%s holds %q: no plaintext fallback allowed", name, sec)
			}
		}
	}

	// The next session has the metadata but not the secrets.
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s2.Secret("p"); !errors.Is(err, ErrNoSecret) {
		t.Errorf("Secret in a new session = %v", err)
	}
	_, err = s2.Tokens("p").Grant("u")
	if !errors.Is(err, auth.ErrNoAccount) || !errors.Is(err, ErrSecretNotFound) {
		t.Errorf("Grant in a new session = %v", err)
	}
	if p, _ := s2.Profile("p"); len(p.Accounts) != 1 {
		t.Errorf("account metadata lost: %+v", p)
	}

	// With the keyring back, the store uses it again.
	keyring.MockInit()
	s3, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s3.SessionOnly() || len(s3.Notices()) != 0 {
		t.Errorf("SessionOnly = %v, notices %q", s3.SessionOnly(), s3.Notices())
	}
}

func TestOpenWithMemoryIsSessionOnly(t *testing.T) {
	for _, sec := range []Secrets{Memory(), nil} {
		s := openStore(t, t.TempDir(), sec)
		if !s.SessionOnly() || len(s.NoticeDetails()) != 1 || s.NoticeDetails()[0].Kind != NoticeSessionOnly {
			t.Errorf("OpenWith(%T): SessionOnly = %v, notices %+v", sec, s.SessionOnly(), s.NoticeDetails())
		}
	}
}

func TestNoticeMessages(t *testing.T) {
	for _, n := range []Notice{
		{Kind: NoticeCorrupt, Path: "/x/profiles.json.1.bak", Detail: "unexpected EOF"},
		{Kind: NoticeFutureVersion, Path: "/x/profiles.json.1.bak", Version: 3},
		{Kind: NoticeSessionOnly, Detail: "no dbus"},
	} {
		en, zh := n.Message("en"), n.Message("zh-CN")
		if en == zh || en != n.String() || en == "" {
			t.Errorf("messages of %+v: %q / %q", n, en, zh)
		}
		if n.Path != "" && (!strings.Contains(en, n.Path) || !strings.Contains(zh, n.Path)) {
			t.Errorf("path missing from %q / %q", en, zh)
		}
	}
}

// TestFileFormat pins down the documented layout of profiles.json.
func TestFileFormat(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir, newFakeKeyring())
	saveProfile(t, s, "p")
	if err := s.Tokens("p").SaveGrant(grant("u", "a", "r", 0)); err != nil {
		t.Fatal(err)
	}
	var f struct {
		Version  int               `json:"version"`
		Profiles []json.RawMessage `json:"profiles"`
		Settings *json.RawMessage  `json:"settings"`
	}
	if err := json.Unmarshal([]byte(readFileString(t, filepath.Join(dir, fileName))), &f); err != nil {
		t.Fatal(err)
	}
	if f.Version != 1 || len(f.Profiles) != 1 {
		t.Errorf("file = %+v", f)
	}
}

func TestRelayTarget(t *testing.T) {
	s := openStore(t, t.TempDir(), Memory())
	base := Profile{Name: "relay", ClientKey: "k", Scopes: []string{"user_info"},
		RedirectURI: "https://example.com/cb", CallbackMode: ModeRelay}
	for _, target := range []string{"", "https://example.com/cb", "http://127.0.0.1:0/cb", "http://127.0.0.1/cb"} {
		p := base
		p.RelayTarget = target
		var fe *auth.FieldError
		if err := s.SaveProfile(p); !errors.As(err, &fe) || fe.Field != "relay_target" {
			t.Errorf("relay target %q: %v", target, err)
		}
	}
	p := base
	p.RelayTarget = "http://127.0.0.1:8792/relay"
	if err := s.SaveProfile(p); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Profile("relay"); err != nil || got.RelayTarget != p.RelayTarget {
		t.Fatalf("stored %+v, %v", got, err)
	}
	set := DefaultSettings()
	set.LastProfile = "relay"
	if err := s.SaveSettings(set); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Settings(); got.LastProfile != "relay" {
		t.Fatalf("last profile %q", got.LastProfile)
	}
}

func TestFieldErrorNamesTheProfileName(t *testing.T) {
	err := ValidateName("")
	var fe *auth.FieldError
	if !errors.As(err, &fe) || fe.Message("en") != "profile name must not be empty" || fe.Message("zh") != "配置名称 不能为空" {
		t.Fatalf("%#v", err)
	}
	if got := (&auth.FieldError{Field: auth.FieldBaseURL, Reason: auth.ReasonEmpty}).Message("en"); got != "base_url must not be empty" {
		t.Fatal(got)
	}
}

func TestProfileApp(t *testing.T) {
	p := Profile{ClientKey: "k", Scopes: []string{"user_info"}, OptionalScope: "fans.list,1", RedirectURI: "https://example.com/cb"}
	a := p.Credentials("s3cret")
	if a.ClientKey != "k" || a.ClientSecret != "s3cret" || len(a.Scopes) != 1 || a.OptionalScope != "fans.list,1" || a.RedirectURI != p.RedirectURI {
		t.Fatalf("App = %+v", a)
	}
}
