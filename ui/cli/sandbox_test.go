package cli

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestSandboxStrict runs the sandbox command with and without --strict and
// sends it an undocumented shape (GET) and the documented one (POST JSON) of
// client_token: the note goes to standard error either way, the GET is
// answered by default and refused with 405 under --strict.
func TestSandboxStrict(t *testing.T) {
	cases := []struct {
		args      []string
		getStatus int
		note      string
	}{
		{nil, http.StatusOK, "note: GET /oauth/client_token/ accepted; the platform documents POST with a JSON body\n"},
		{[]string{"--strict"}, http.StatusMethodNotAllowed, "note: GET /oauth/client_token/ refused; the platform documents POST with a JSON body\n"},
	}
	for _, c := range cases {
		t.Run(strings.Join(append([]string{"sandbox"}, c.args...), " "), func(t *testing.T) {
			setup(t)
			r := start(t, append([]string{"sandbox", "--addr", "127.0.0.1:0"}, c.args...)...)
			deadline := time.Now().Add(10 * time.Second)
			for !strings.Contains(r.stdout.String(), "profile_add: ") {
				if time.Now().After(deadline) {
					t.Fatalf("sandbox printed nothing:\n%s\n%s", r.stdout, r.stderr)
				}
				time.Sleep(20 * time.Millisecond)
			}
			out := r.stdout.String()
			base := field(t, out, "base_url")
			key, secret := field(t, out, "client_key"), field(t, out, "client_secret")
			call := func(req *http.Request) int {
				t.Helper()
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				b, _ := io.ReadAll(resp.Body)
				if resp.StatusCode == http.StatusOK && !strings.Contains(string(b), `"access_token":"clt.`) {
					t.Errorf("no client token in %s", b)
				}
				return resp.StatusCode
			}
			get, _ := http.NewRequest(http.MethodGet, base+"/oauth/client_token/?grant_type=client_credential&client_key="+key+"&client_secret="+secret, nil)
			if got := call(get); got != c.getStatus {
				t.Errorf("GET: status %d, want %d", got, c.getStatus)
			}
			r.waitFor(t, c.note)
			post, _ := http.NewRequest(http.MethodPost, base+"/oauth/client_token/",
				strings.NewReader(`{"grant_type":"client_credential","client_key":"`+key+`","client_secret":"`+secret+`"}`))
			post.Header.Set("Content-Type", "application/json")
			if got := call(post); got != http.StatusOK {
				t.Errorf("documented POST: status %d", got)
			}
			r.cancel()
			res := r.wait(t)
			want(t, res, exitOK)
			if n := strings.Count(res.stderr, "note: "); n != 1 {
				t.Errorf("%d notes, want 1:\n%s", n, res.stderr)
			}
		})
	}
}
