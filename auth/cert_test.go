package auth

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoopbackTLS(t *testing.T) {
	dir := t.TempDir()
	cfg, err := LoopbackTLS(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(filepath.Join(dir, KeyFile))
	if err != nil {
		t.Fatal(err)
	}
	// Windows has no mode bits: the key is private through the per-user
	// ACL that the configuration directory under %AppData% inherits.
	if runtime.GOOS != "windows" && st.Mode().Perm() != 0o600 {
		t.Fatalf("key file mode %v", st.Mode())
	}
	again, err := LoopbackTLS(dir)
	if err != nil || !again.Certificates[0].Leaf.Equal(cfg.Certificates[0].Leaf) {
		t.Fatal("the certificate was not kept for reuse")
	}

	state := newState()
	s, err := ListenCallback("https://127.0.0.1:0/callback", state, CallbackOptions{TLS: cfg, Lang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	pool := x509.NewCertPool()
	pool.AddCert(cfg.Certificates[0].Leaf)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := c.Get(s.RedirectURI() + "?code=abcdefgh12&state=" + url.QueryEscape(state))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Authorization complete") {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if cb := <-s.Result(); cb.Code != "abcdefgh12" {
		t.Fatalf("callback %+v", cb)
	}
	if _, err := ListenCallback("https://127.0.0.1:0/callback", state, CallbackOptions{}); err == nil {
		t.Fatal("https without a certificate accepted")
	}
}

// TestLoopbackTLSReplacesPlantedLinks plants symbolic links where the key
// and certificate go: they are replaced, and what they point at is not
// written.
func TestLoopbackTLSReplacesPlantedLinks(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	for _, name := range []string{KeyFile, CertFile} {
		target := filepath.Join(outside, name)
		os.WriteFile(target, []byte("keep"), 0o600)
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("cannot make a symbolic link here: %v", err)
		}
	}
	if _, err := LoopbackTLS(dir); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{KeyFile, CertFile} {
		if b, _ := os.ReadFile(filepath.Join(outside, name)); string(b) != "keep" {
			t.Errorf("the link's target %s was written", name)
		}
		if st, err := os.Lstat(filepath.Join(dir, name)); err != nil || !st.Mode().IsRegular() {
			t.Errorf("%s is not a regular file: %v", name, err)
		}
	}
}
