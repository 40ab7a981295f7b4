package ui

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// toServer sends every request to the server at base, whatever its host.
type toServer struct{ base *url.URL }

func (s toServer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host, r.Host = s.base.Scheme, s.base.Host, ""
	return http.DefaultTransport.RoundTrip(r)
}

// loggedPaths returns the paths of the requests in the HTTP log.
func loggedPaths(u *Window) []string {
	var paths []string
	for _, e := range u.log.snapshot() {
		if p, err := url.Parse(e.URL); err == nil {
			paths = append(paths, p.Path)
		}
	}
	return paths
}

// In the sandbox, Test credentials fetches a client token with the form's
// key and secret and stores nothing; a wrong secret is explained.
func TestCredentialsTestInTheSandbox(t *testing.T) {
	u, _, st := newTestApp(t)
	_, base := startSandbox(t)
	v := u.creds
	if !v.testBtn.Disabled() {
		t.Fatal("Test credentials is enabled without credentials")
	}
	fillCredentials(u, base)
	test.Tap(v.testBtn)
	u.wait()
	if !v.testResult.Visible() || v.testResult.Importance != widget.SuccessImportance ||
		!strings.Contains(v.testResult.Text, "issued a client_token (not stored)") {
		t.Fatalf("result %q", v.testResult.Text)
	}
	if paths := loggedPaths(u); !slices.Equal(paths, []string{auth.PathClientToken}) {
		t.Fatalf("requests %q", paths)
	}
	if ps, _ := st.Profiles(); len(ps) != 0 {
		t.Fatalf("the test stored %+v", ps)
	}
	v.clientSecret.SetText("wrong-secret-0001")
	test.Tap(v.testBtn)
	u.wait()
	if v.testResult.Importance != widget.DangerImportance || !strings.HasPrefix(v.testResult.Text, "Credentials test failed: ") ||
		!strings.Contains(v.testResult.Text, "client_secret") {
		t.Fatalf("result %q", v.testResult.Text)
	}
}

// On the platform, Test credentials asks for the stable client token and
// never for a rotating one, which would end the one the app's server holds.
// It needs client_key and client_secret only.
func TestCredentialsTestOnThePlatformUsesTheStableToken(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	target, _ := url.Parse(base)
	u.httpClient = &http.Client{Transport: toServer{target}}
	v := u.creds
	v.environment.SetSelectedIndex(slices.Index(environments, storage.EnvDouyin))
	test.Type(v.clientKey, testApp.ClientKey)
	test.Type(v.clientSecret, testApp.ClientSecret)
	if v.testBtn.Disabled() || !v.saveBtn.Disabled() {
		t.Fatalf("Test credentials disabled %v, Save disabled %v", v.testBtn.Disabled(), v.saveBtn.Disabled())
	}
	test.Tap(v.testBtn)
	u.wait()
	if paths := loggedPaths(u); !slices.Equal(paths, []string{auth.PathStableClientToken}) {
		t.Fatalf("requests %q", paths)
	}
	if e := u.log.snapshot()[0]; !strings.HasPrefix(e.URL, auth.DefaultBaseURL) {
		t.Fatalf("request to %q", e.URL)
	}
	if !strings.Contains(v.testResult.Text, "issued a stable_client_token") {
		t.Fatalf("result %q", v.testResult.Text)
	}
}
