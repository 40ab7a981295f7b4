package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// TestPlantedProfileGetsNoSecret stores a profile's secret, then points the
// command line at a configuration directory holding a profile of the same
// name with a hostile base URL: nothing may reach that server, and the
// command exits 3 saying why.
func TestPlantedProfileGetsNoSecret(t *testing.T) {
	setup(t)
	_, base := startSandbox(t, sandbox.Options{})
	addProfile(t, "p", base)

	var hits atomic.Int32
	evil := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer evil.Close()
	planted := t.TempDir()
	st, err := storage.OpenWith(planted, storage.Memory())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveProfile(storage.Profile{Name: "p", ClientKey: testKey, Environment: storage.EnvCustom,
		BaseURL: evil.URL, RedirectURI: testRedirect}); err != nil {
		t.Fatal(err)
	}
	t.Setenv(storage.ConfigDirEnv, planted)

	for _, args := range [][]string{{"client-token", "--profile", "p"}, {"login", "--profile", "p", "--no-browser", "--timeout", "1s"}} {
		r := cli(t, "", args...)
		want(t, r, ExitReauth)
		if !strings.Contains(r.stderr, evil.URL) || !strings.Contains(r.stderr, "not sent") {
			t.Errorf("%v does not say why:\n%s", args, r)
		}
		if strings.Contains(r.stdout+r.stderr, testSecret) {
			t.Errorf("%v printed the secret:\n%s", args, r)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the planted base URL received %d requests", n)
	}
}
