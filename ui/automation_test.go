//go:build automation

package ui

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// call sends one request to the control API of u.
func call(t *testing.T, u *App, method, target string) (int, string) {
	t.Helper()
	rec := httptest.NewRecorder()
	u.automationHandler().ServeHTTP(rec, httptest.NewRequest(method, target, nil))
	return rec.Code, rec.Body.String()
}

func tap(t *testing.T, u *App, label string) int {
	t.Helper()
	code, _ := call(t, u, http.MethodPost, "/tap?label="+url.QueryEscape(label))
	return code
}

func state(t *testing.T, u *App) automationState {
	t.Helper()
	code, body := call(t, u, http.MethodGet, "/state")
	var s automationState
	if err := json.Unmarshal([]byte(body), &s); code != http.StatusOK || err != nil {
		t.Fatalf("/state: %d %q %v", code, body, err)
	}
	return s
}

func textLines(t *testing.T, u *App) []string {
	t.Helper()
	code, body := call(t, u, http.MethodGet, "/text")
	if code != http.StatusOK {
		t.Fatalf("/text: %d", code)
	}
	return strings.Split(strings.TrimSpace(body), "\n")
}

func TestAutomationDrivesTheSandboxFlow(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)

	lines := textLines(t, u)
	for _, want := range []string{"1 · Credentials", "Sandbox (offline)", "Save and authorize", "Profile name"} {
		if !slices.Contains(lines, want) {
			t.Fatalf("/text lacks %q:\n%s", want, strings.Join(lines, "\n"))
		}
	}
	if slices.Contains(lines, "Start authorization") {
		t.Fatal("/text shows a button of a hidden tab")
	}
	if code, _ := call(t, u, http.MethodGet, "/tap?label=Save"); code != http.StatusMethodNotAllowed {
		t.Fatalf("GET /tap: %d", code)
	}
	if code := tap(t, u, "No such button"); code != http.StatusNotFound {
		t.Fatalf("unknown label: %d", code)
	}
	// A button of a tab not shown cannot be tapped.
	if code := tap(t, u, "Start authorization"); code != http.StatusNotFound {
		t.Fatalf("hidden tab's button: %d", code)
	}
	if code, _ := call(t, u, http.MethodPost, "/tab?index=1"); code != http.StatusOK || state(t, u).Tab != 1 {
		t.Fatalf("/tab: %d", code)
	}
	if code := tap(t, u, "Start authorization"); code != http.StatusConflict {
		t.Fatalf("disabled button: %d", code)
	}
	if code, _ := call(t, u, http.MethodPost, "/tab?index=9"); code != http.StatusBadRequest {
		t.Fatalf("/tab out of range: %d", code)
	}
	call(t, u, http.MethodPost, "/tab?index=0")

	// The Sandbox button is inside a border container in the first tab.
	if code := tap(t, u, "Sandbox (offline)"); code != http.StatusOK {
		t.Fatalf("tap Sandbox: %d", code)
	}
	u.wait()
	if u.sandbox == nil {
		t.Fatal("the sandbox did not start")
	}
	// The rest runs on the test's own sandbox, whose app accepts any
	// loopback port.
	u.do(func() {
		u.creds.name.SetText("")
		u.creds.baseURL.SetText("")
		u.creds.clientKey.SetText("")
		u.creds.clientSecret.SetText("")
		u.creds.redirectURI.SetText("")
		fillCredentials(u, base)
	})
	if code := tap(t, u, "Save and authorize"); code != http.StatusOK {
		t.Fatalf("tap Save and authorize: %d", code)
	}
	u.wait()
	if s := state(t, u); s.Tab != tabAuthorize || s.Profile != "ui-test" || s.Accounts != 0 || s.Waiting {
		t.Fatalf("after saving: %+v", s)
	}
	u.openURL = automationBrowser
	if code := tap(t, u, "Start authorization"); code != http.StatusOK {
		t.Fatalf("tap Start authorization: %d", code)
	}
	u.wait()
	if s := state(t, u); s.Tab != tabTokens || s.Accounts != 1 || s.Waiting || s.Busy {
		t.Fatalf("after authorizing: %+v; %q %q", s, u.authz.status.Text, u.authz.errLabel.Text)
	}
	// Refresh sits in a card in a scroll in the selected tab.
	if code := tap(t, u, "Refresh"); code != http.StatusOK {
		t.Fatalf("tap Refresh: %d", code)
	}
	u.wait()
	if !slices.Contains(textLines(t, u), "Access token refreshed.") {
		t.Fatalf("no refresh note: %q", u.tokens.cards[0].errLabel.Text)
	}
	if lines := textLines(t, u); slices.Contains(lines, testApp.ClientSecret) {
		t.Fatal("/text shows the client secret")
	}

	// A dialog takes the taps: the card's and the dialog's button share
	// their label.
	if code := tap(t, u, "Forget account"); code != http.StatusOK {
		t.Fatalf("tap Forget account: %d", code)
	}
	if code := tap(t, u, "Verify"); code != http.StatusNotFound {
		t.Fatalf("a button behind the dialog was tapped: %d", code)
	}
	if code := tap(t, u, "Forget account"); code != http.StatusOK {
		t.Fatalf("confirm: %d", code)
	}
	u.wait()
	if s := state(t, u); s.Accounts != 0 {
		t.Fatalf("after forgetting: %+v", s)
	}

	if code, _ := call(t, u, http.MethodPost, "/lang?l=zh"); code != http.StatusOK {
		t.Fatalf("/lang: %d", code)
	}
	u.wait()
	if !slices.Contains(textLines(t, u), "1 · 凭据") {
		t.Fatal("no Chinese text after /lang?l=zh")
	}
	if code, _ := call(t, u, http.MethodPost, "/lang?l=fr"); code != http.StatusBadRequest {
		t.Fatalf("/lang?l=fr: %d", code)
	}
	call(t, u, http.MethodPost, "/lang?l=en")
	u.wait()
}

func TestAutomationListensOnLoopbackOnly(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "localhost:0", "example.com:80", "127.0.0.1"} {
		if l, err := listenLoopback(addr); err == nil {
			l.Close()
			t.Errorf("%s accepted", addr)
		}
	}
	l, err := listenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
}
