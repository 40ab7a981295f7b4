package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// callScopes are the scopes of every user API of the catalogue.
const callScopes = "user_info,video.list.bind,video.data.bind,fans.list,following.list,data.external.user"

// apiSandbox starts a sandbox whose test app holds every capability of the
// catalogue, and adds profile name for it asking for scopes.
func apiSandbox(t *testing.T, name, scopes string) *sandbox.Sandbox {
	t.Helper()
	sb, base := startSandbox(t, sandbox.Options{Apps: []sandbox.App{{Name: "CLI Test App", ClientKey: testKey,
		ClientSecret: testSecret, RedirectURI: testRedirect,
		Scopes: append(sandbox.DefaultScopes(), sandbox.BillboardScope)}}})
	r := cli(t, testSecret+"\n", "profile", "add", name, "--client-key", testKey,
		"--base-url", base, "--redirect-uri", testRedirect, "--scopes", scopes)
	want(t, r, exitOK)
	return sb
}

// documents decodes the JSON documents of out, one after another.
func documents(t *testing.T, out string) []map[string]any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(out))
	var docs []map[string]any
	for {
		var m map[string]any
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			return docs
		}
		if err != nil {
			t.Fatalf("standard output is not JSON documents: %v\n%s", err, out)
		}
		docs = append(docs, m)
	}
}

func dataList(t *testing.T, doc map[string]any, key string) []any {
	t.Helper()
	d, _ := doc["data"].(map[string]any)
	l, ok := d[key].([]any)
	if !ok {
		t.Fatalf("no data.%s in %v", key, doc)
	}
	return l
}

// TestAPIsCommand: apis lists every API of the catalogue, as a table and
// as JSON.
func TestAPIsCommand(t *testing.T) {
	setup(t)
	r := cli(t, "", "apis")
	want(t, r, exitOK)
	for _, a := range auth.Catalog() {
		if !strings.Contains(r.stdout, a.Name) || !strings.Contains(r.stdout, a.Scope) || !strings.Contains(r.stdout, a.Path) {
			t.Errorf("apis lacks %s:\n%s", a.Name, r.stdout)
		}
	}
	if !strings.Contains(r.stdout, "cursor=0 count=10*") || !strings.Contains(r.stdout, "date_type=7*(7|15|30)") ||
		!strings.Contains(r.stdout, "client_token") || !strings.Contains(r.stderr, "call --profile NAME API") {
		t.Errorf("apis:\n%s", r)
	}
	r = cli(t, "", "apis", "--json")
	want(t, r, exitOK)
	var l apiList
	if err := json.Unmarshal([]byte(r.stdout), &l); err != nil || len(l.APIs) != len(auth.Catalog()) {
		t.Fatalf("apis --json: %v\n%s", err, r.stdout)
	}
	for _, a := range l.APIs {
		if a.Name == "video-list" && (!a.Pages || a.TokenIn != "header" || len(a.Params) != 2 || !a.Params[1].Required || a.Params[1].Default != "10") {
			t.Errorf("video-list: %+v", a)
		}
		if a.Name == "hot-videos" && (a.Token != "client_token" || a.OpenIDIn != "" || !strings.HasPrefix(a.Doc, "https://")) {
			t.Errorf("hot-videos: %+v", a)
		}
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	if r := cli(t, "", "apis"); !strings.Contains(r.stdout, "查询授权账号视频列表") || !strings.Contains(r.stderr, "调用") {
		t.Errorf("apis in Chinese:\n%s", r)
	}
}

// TestCallCommand calls the catalogue through the command line against the
// sandbox: pages, --all, --curl, a client-token API and a platform error.
func TestCallCommand(t *testing.T) {
	setup(t)
	sb := apiSandbox(t, "demo", callScopes)
	login(t, "demo", "")
	token := strings.TrimSpace(cli(t, "", "token", "--profile", "demo").stdout)

	r := cli(t, "", "call", "--profile", "demo", "video-list")
	want(t, r, exitOK)
	if docs := documents(t, r.stdout); len(docs) != 1 || len(dataList(t, docs[0], "list")) != 10 ||
		!strings.Contains(r.stderr, "cursor=10") {
		t.Errorf("video-list:\n%s", r)
	}

	r = cli(t, "", "call", "--profile", "demo", "--all", "fans-list", "count=20")
	want(t, r, exitOK)
	docs := documents(t, r.stdout)
	n := 0
	for _, d := range docs {
		n += len(dataList(t, d, "list"))
	}
	total := docs[0]["data"].(map[string]any)["total"].(float64)
	if len(docs) < 2 || n != int(total) || strings.Contains(r.stderr, "cursor=") {
		t.Errorf("--all: %d pages, %d fans of %v\n%s", len(docs), n, total, r.stderr)
	}

	r = cli(t, "", "call", "--profile", "demo", "--curl", "userinfo")
	want(t, r, exitOK)
	if !strings.Contains(r.stderr, "curl -X POST") || !strings.Contains(r.stderr, auth.Mask(token)) || strings.Contains(r.stdout+r.stderr, token) {
		t.Errorf("--curl:\n%s", r)
	}
	r = cli(t, "", "call", "--profile", "demo", "user-fans", "date_type=30")
	want(t, r, exitOK)
	if l := dataList(t, documents(t, r.stdout)[0], "result_list"); len(l) != 30 {
		t.Errorf("user-fans: %d days", len(l))
	}

	r = cli(t, "", "call", "--profile", "demo", "hot-videos")
	want(t, r, exitReauth)
	if r.stdout != "" || !strings.Contains(r.stderr, "client-token --profile demo --stable") {
		t.Errorf("hot-videos without a client token:\n%s", r)
	}
	want(t, cli(t, "", "client-token", "--profile", "demo", "--stable"), exitOK)
	r = cli(t, "", "call", "--profile", "demo", "hot-videos")
	want(t, r, exitOK)
	if l := dataList(t, documents(t, r.stdout)[0], "list"); len(l) == 0 {
		t.Errorf("hot-videos:\n%s", r)
	}

	sb.Inject(sandbox.Fault{Endpoint: sandbox.PathFansList, ErrorCode: 2190008})
	r = cli(t, "", "call", "--profile", "demo", "fans-list")
	want(t, r, exitError)
	if d := documents(t, r.stdout)[0]["data"].(map[string]any); d["error_code"] != float64(2190008) ||
		!strings.Contains(r.stderr, "platform error 2190008: access_token expired") {
		t.Errorf("a platform error:\n%s", r)
	}
}

// TestCallMissingScope: an account whose grant lacks the API's scope exits
// 3 without sending anything, saying how to ask for the scope.
func TestCallMissingScope(t *testing.T) {
	setup(t)
	sb := apiSandbox(t, "demo", "user_info")
	login(t, "demo", "")
	sb.Inject(sandbox.Fault{Endpoint: sandbox.PathVideoList, ErrorCode: 10001})
	r := cli(t, "", "call", "--profile", "demo", "video-list")
	want(t, r, exitReauth)
	for _, s := range []string{"lacks the scope video.list.bind", "nothing was sent", "--scopes user_info,video.list.bind", "login --profile demo"} {
		if !strings.Contains(r.stderr, s) {
			t.Errorf("lacks %q:\n%s", s, r)
		}
	}
	if r.stdout != "" || len(sb.Faults()) != 1 {
		t.Errorf("a call was sent:\n%s", r)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	r = cli(t, "", "call", "--profile", "demo", "fans-list")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "授权作用域（scope）fans.list") || !strings.Contains(r.stderr, "重新授权") {
		t.Errorf("in Chinese:\n%s", r)
	}
}

// TestCallUsage: what call cannot send is a usage error.
func TestCallUsage(t *testing.T) {
	setup(t)
	apiSandbox(t, "demo", callScopes)
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"call", "video-list"}, "--profile is required"},
		{[]string{"call", "--profile", "demo"}, "missing API"},
		{[]string{"call", "--profile", "demo", "nope"}, `unknown API "nope"; the catalogue has: userinfo, video-list`},
		{[]string{"call", "--profile", "demo", "video-list", "page=2"}, `video-list takes no parameter "page"; it takes: cursor=0 count=10*`},
		{[]string{"call", "--profile", "demo", "video-list", "count"}, `"count" is not KEY=VALUE`},
		{[]string{"call", "--profile", "demo", "video-list", "open_id=x"}, "open_id is filled in by call"},
		{[]string{"call", "--profile", "demo", "video-list", "count=1", "count=2"}, "count is given twice"},
		{[]string{"call", "--profile", "demo", "--account", "x", "hot-videos"}, "--account is not used"},
		{[]string{"call", "--profile", "demo", "video-list"}, `profile "demo" has no authorized account`},
		{[]string{"call", "--profile", "nope", "video-list"}, `no profile named "nope"`},
	} {
		r := cli(t, "", c.args...)
		if !strings.Contains(r.stderr, c.msg) || r.stdout != "" || (r.code != exitUsage && r.code != exitReauth) {
			t.Errorf("%v: want %q:\n%s", c.args, c.msg, r)
		}
	}
	login(t, "demo", "")
	r := cli(t, "", "call", "--profile", "demo", "user-fans", "date_type=8")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, `date_type has an unknown value "8"`) {
		t.Errorf("date_type=8:\n%s", r)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	r = cli(t, "", "call", "--profile", "demo", "video-list", "page=2")
	if !strings.Contains(r.stderr, `video-list 没有参数 "page"`) || !strings.Contains(r.stderr, "分页游标") {
		t.Errorf("in Chinese:\n%s", r)
	}
	t.Setenv("LANG", "en_US.UTF-8")
	r = cli(t, "", "call", "--help")
	want(t, r, exitOK)
	if !strings.Contains(r.stdout, "Usage: douyin-auth-desk call") || !strings.Contains(r.stdout, "--all") {
		t.Errorf("call --help:\n%s", r)
	}
}

// TestCallErrorExits: the errors call meets before sending get the exit
// status and the hint that fit them, as finish writes them.
func TestCallErrorExits(t *testing.T) {
	p := storage.Profile{Name: "demo", Scopes: []string{"user_info"}}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, c := range []struct {
		err  error
		code int
		hint string
	}{
		{&auth.MissingScopeError{API: "fans-list", Scope: "fans.list", OpenID: "o1", Granted: "user_info"}, exitReauth, "login --profile demo"},
		{auth.ErrNoClientToken, exitReauth, "client-token --profile demo --stable"},
		{&auth.TokenError{Auth: auth.AuthClient, Expiry: at}, exitReauth, "client-token --profile demo --stable"},
		{&auth.TokenError{Auth: auth.AuthUser, OpenID: "o1", Expiry: at}, exitError, "refresh --profile demo --account o1"},
		{&auth.TokenError{Auth: auth.AuthUser, OpenID: "o1", Expiry: at, RefreshExpired: true}, exitReauth, "Authorize again with: douyin-auth-desk login --profile demo (or import"},
		{&auth.TokenError{Auth: auth.AuthUser, OpenID: "o1"}, exitReauth, "Authorize again with: douyin-auth-desk login --profile demo (or import"},
		{auth.ErrNoAccount, exitReauth, "login --profile demo"},
		{&auth.PlatformError{Code: 2190004}, exitError, ""},
	} {
		var out bytes.Buffer
		e := &env{stdout: &out, stderr: &out, lang: "en"}
		code := e.finish(e.callError(c.err, p))
		if code != c.code || !strings.Contains(out.String(), c.hint) {
			t.Errorf("%v: exit %d, want %d with %q:\n%s", c.err, code, c.code, c.hint, out.String())
		}
	}
}

// TestCallEnvironmentRoute: where the keyring holds no tokens for the
// account, call takes the access token in $DOUYIN_ACCESS_TOKEN (for the
// account --account names) or refreshes the refresh token in
// $DOUYIN_REFRESH_TOKEN, stores nothing, and the keyring's account still
// comes first where there is one.
func TestCallEnvironmentRoute(t *testing.T) {
	setup(t)
	apiSandbox(t, "server", callScopes)
	login(t, "server", "")
	st, err := storage.Open("")
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.Tokens("server").Grant(aliceOpenID)
	if err != nil {
		t.Fatal(err)
	}
	p, err := st.Profile("server")
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv(storage.ConfigDirEnv)

	// The keyring's account wins over the environment.
	t.Setenv(accessTokenEnv, "act.from-the-environment")
	r := cli(t, "", "call", "--profile", "server", "video-list")
	if r.code != exitOK || strings.Contains(r.stderr, "note:") {
		t.Errorf("call of a stored account with the environment set:\n%s", r)
	}

	noKeyring(t)
	r = cli(t, testSecret+"\n", "profile", "add", "ci", "--client-key", testKey, "--base-url", p.BaseURL,
		"--redirect-uri", testRedirect, "--scopes", callScopes)
	want(t, r, exitOK)
	t.Setenv(accessTokenEnv, "")
	r = cli(t, "", "call", "--profile", "ci", "video-list")
	want(t, r, exitReauth)
	if !strings.Contains(r.stderr, "$DOUYIN_REFRESH_TOKEN") || r.stdout != "" {
		t.Errorf("call without an account:\n%s", r)
	}

	t.Setenv(accessTokenEnv, g.AccessToken)
	r = cli(t, "", "call", "--profile", "ci", "video-list")
	want(t, r, exitUsage)
	if !strings.Contains(r.stderr, "--account OPEN_ID is needed with the access token in $DOUYIN_ACCESS_TOKEN") {
		t.Errorf("$DOUYIN_ACCESS_TOKEN without --account:\n%s", r)
	}
	r = cli(t, "", "call", "--profile", "ci", "--account", aliceOpenID, "--curl", "video-list", "count=3")
	want(t, r, exitOK)
	if docs := documents(t, r.stdout); len(docs) != 1 || len(dataList(t, docs[0], "list")) != 3 ||
		!strings.Contains(r.stderr, "comes from $DOUYIN_ACCESS_TOKEN") || strings.Contains(r.stdout+r.stderr, g.AccessToken) {
		t.Errorf("call with $DOUYIN_ACCESS_TOKEN:\n%s", r)
	}
	r = cli(t, "", "call", "--profile", "ci", "--account", bobOpenID, "video-list")
	want(t, r, exitError)
	if !strings.Contains(r.stderr, "28001015") || r.stdout != "" {
		t.Errorf("$DOUYIN_ACCESS_TOKEN as another user:\n%s", r)
	}

	t.Setenv(accessTokenEnv, "")
	t.Setenv(refreshTokenEnv, g.RefreshToken)
	r = cli(t, "", "call", "--profile", "ci", "fans-list")
	want(t, r, exitOK)
	if docs := documents(t, r.stdout); len(docs) != 1 || len(dataList(t, docs[0], "list")) == 0 ||
		!strings.Contains(r.stderr, "comes from $DOUYIN_REFRESH_TOKEN") {
		t.Errorf("call with $DOUYIN_REFRESH_TOKEN:\n%s", r)
	}
	checkNoSecrets(t, dir, g.RefreshToken, g.AccessToken, testSecret)
	if ids := storedAccounts(t, "ci"); len(ids) != 0 {
		t.Errorf("the environment route stored %q", ids)
	}
}

// TestCallDemoProfile: on a profile of the sandbox's own demo app, as the
// README sets it up, the client-token API answers once a stable client
// token is fetched.
func TestCallDemoProfile(t *testing.T) {
	setup(t)
	sb := sandbox.New(sandbox.Options{})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	want(t, cli(t, sandbox.DemoClientSecret+"\n", "profile", "add", "demo", "--client-key", sandbox.DemoClientKey, "--base-url", base), exitOK)
	want(t, cli(t, "", "client-token", "--profile", "demo", "--stable"), exitOK)
	r := cli(t, "", "call", "--profile", "demo", "hot-videos")
	want(t, r, exitOK)
	if l := dataList(t, documents(t, r.stdout)[0], "list"); len(l) == 0 {
		t.Errorf("hot-videos on the demo profile:\n%s", r)
	}
}
