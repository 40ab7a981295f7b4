package cli

import (
	"strings"
	"testing"
)

// TestProfileAddWarnsOfAnHTTPRedirectOnThePlatform: the real platform
// needs an https redirect URI; the sandbox does not.
func TestProfileAddWarnsOfAnHTTPRedirectOnThePlatform(t *testing.T) {
	setup(t)
	for _, c := range []struct {
		name, base, redirect string
		warn                 bool
	}{
		{"real-http", "https://open.douyin.com", "http://127.0.0.1:8910/cb", true},
		{"real-https", "https://open.douyin.com", "https://app.example.com/cb#top", false},
		{"sandbox-http", "http://127.0.0.1:8790", "http://127.0.0.1:8910/cb", false},
	} {
		r := cli(t, testSecret+"\n", "profile", "add", c.name, "--client-key", testKey, "--base-url", c.base, "--redirect-uri", c.redirect)
		want(t, r, exitOK)
		if got := strings.Contains(r.stderr, "https redirect URI"); got != c.warn {
			t.Errorf("%s: warning %v:\n%s", c.name, got, r)
		}
	}
}

func TestProfileAddPlatformSandboxHost(t *testing.T) {
	setup(t)
	r := cli(t, testSecret+"\n", "profile", "add", "ps", "--client-key", testKey,
		"--base-url", "https://open-sandbox.douyin.com/", "--redirect-uri", "https://app.example.com/cb")
	want(t, r, exitOK)
	if field(t, r.stdout, "environment") != "douyin-sandbox" {
		t.Fatalf("profile add:\n%s", r)
	}
}
