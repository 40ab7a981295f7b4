package auth

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestRelayPageTargetsLoopbackOnly(t *testing.T) {
	page, err := RelayPage("http://127.0.0.1:8791/callback")
	if err != nil {
		t.Fatal(err)
	}
	// Served as the developer would host it, fetched by a real HTTP client.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	for _, q := range []string{"?code=abc&state=xyz", "", "?code=abc&redirect=https://evil.example/"} {
		resp, err := http.Get(srv.URL + "/douyin/callback" + q)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		targets := regexp.MustCompile(`var target = "([^"]*)"`).FindAllStringSubmatch(string(body), -1)
		if len(targets) != 1 || targets[0][1] != "http://127.0.0.1:8791/callback" {
			t.Fatalf("relay target %q", targets)
		}
		if strings.Contains(string(body), "evil.example") {
			t.Fatal("the page reflects request parameters")
		}
		if !strings.Contains(string(body), `if (!src.get("state"))`) {
			t.Fatal("no state guard")
		}
		if strings.Contains(string(body), "src=\"http") || strings.Contains(string(body), "href=\"http") {
			t.Fatal("external resource in relay page")
		}
	}
}

func TestRelayPageRefusesNonLoopback(t *testing.T) {
	for _, target := range []string{"https://evil.example/cb", "http://0.0.0.0:80/cb", "http://127.0.0.1/cb", "http://127.0.0.1:0/cb", "javascript:alert(1)"} {
		if _, err := RelayPage(target); err == nil {
			t.Errorf("RelayPage(%q) accepted", target)
		}
	}
	if _, err := RelayPage("https://evil.example/cb"); !errors.Is(err, ErrNotLoopback) {
		t.Errorf("err = %v", err)
	}
}
