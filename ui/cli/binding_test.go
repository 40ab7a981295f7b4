package cli

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
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
		want(t, r, exitReauth)
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

// TestUnsavedTokenIsPrinted: a refresh token that could be kept in memory
// only is printed on standard output, the only copy left, and never on
// standard error; one the keyring holds is not printed at all.
func TestUnsavedTokenIsPrinted(t *testing.T) {
	const token = "rft.only-copy-0123456789"
	for _, stored := range []bool{false, true} {
		var out, errOut bytes.Buffer
		e := &env{stdout: &out, stderr: &errOut, lang: "en"}
		err := &auth.UnsavedError{Grant: auth.Grant{RefreshToken: token}, RefreshStored: stored, Err: errors.New("keyring locked")}
		if code := e.finish(err); code != exitError {
			t.Errorf("stored %v: exit %d", stored, code)
		}
		if strings.Contains(errOut.String(), token) {
			t.Errorf("stored %v: the token is on standard error:\n%s", stored, errOut.String())
		}
		if printed := out.String() == token+"\n"; printed == stored {
			t.Errorf("stored %v: standard output %q", stored, out.String())
		}
		if !strings.Contains(errOut.String(), "keyring locked") {
			t.Errorf("stored %v: standard error does not say why:\n%s", stored, errOut.String())
		}
	}
}
