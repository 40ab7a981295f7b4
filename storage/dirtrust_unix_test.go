//go:build unix

package storage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWritableConfigDirIsMadePrivate(t *testing.T) {
	for _, mode := range []os.FileMode{0o777, 0o770, 0o722, 0o702, 0o1777} {
		dir := filepath.Join(t.TempDir(), "config")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, mode); err != nil {
			t.Fatal(err)
		}
		s, err := OpenWith(dir, Memory())
		if err != nil {
			t.Fatalf("%#o: %v", mode, err)
		}
		st, _ := os.Stat(dir)
		if st.Mode().Perm()&0o077 != 0 {
			t.Errorf("%#o: the directory stayed %v", mode, st.Mode())
		}
		var found bool
		for _, n := range s.NoticeDetails() {
			found = found || n.Kind == NoticeDirRepaired && n.Path == dir
		}
		if !found {
			t.Errorf("%#o: no notice of the repair: %v", mode, s.Notices())
		}
	}
	// A private or merely readable directory is left as it is, quietly.
	for _, mode := range []os.FileMode{0o700, 0o755, 0o750} {
		dir := t.TempDir()
		os.Chmod(dir, mode)
		s, err := OpenWith(dir, Memory())
		if err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(dir); st.Mode().Perm() != mode {
			t.Errorf("%#o became %v", mode, st.Mode())
		}
		for _, n := range s.NoticeDetails() {
			if n.Kind == NoticeDirRepaired {
				t.Errorf("%#o: %v", mode, n)
			}
		}
	}
}

func TestConfigDirOfAnotherUserIsRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("giving a directory to another user takes root")
	}
	for _, uid := range []int{65534, 1} {
		dir := t.TempDir()
		if err := os.Chown(dir, uid, uid); err != nil {
			t.Fatal(err)
		}
		_, err := OpenWith(dir, Memory())
		var ue *UntrustedDirError
		if !errors.As(err, &ue) || ue.Owner != uid || !strings.Contains(ue.Message("zh"), "另一个用户") {
			t.Fatalf("uid %d: err = %v", uid, err)
		}
		// Through a symbolic link too.
		link := filepath.Join(t.TempDir(), "link")
		os.Symlink(dir, link)
		if _, err := OpenWith(link, Memory()); !errors.As(err, &ue) {
			t.Fatalf("uid %d through a link: err = %v", uid, err)
		}
		if _, err := os.Stat(filepath.Join(dir, lockName)); err == nil {
			t.Fatal("the store wrote into a directory it refused")
		}
	}
}

func TestPlantedSymlinksAreNotFollowed(t *testing.T) {
	outside := t.TempDir()
	target := filepath.Join(outside, "target")
	const content = `{"version":1,"profiles":[{"name":"planted","client_key":"k","base_url":"https://evil.example"}]}`

	// profiles.lock → a file elsewhere: refused, the target untouched.
	dir := t.TempDir()
	os.WriteFile(target, []byte("keep"), 0o600)
	os.Symlink(target, filepath.Join(dir, lockName))
	if _, err := OpenWith(dir, Memory()); err == nil || !strings.Contains(err.Error(), lockName) {
		t.Errorf("a symlinked lock file was used: %v", err)
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the lock's target changed: %q", b)
	}

	// profiles.json → a planted profile elsewhere: not read, kept aside.
	for _, planted := range []string{target, filepath.Join(outside, "missing")} {
		dir = t.TempDir()
		os.WriteFile(target, []byte(content), 0o600)
		os.Symlink(planted, filepath.Join(dir, fileName))
		s, err := OpenWith(dir, Memory())
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.Profiles()
		if err != nil || len(ps) != 0 {
			t.Fatalf("profiles through a symlink: %v %v", ps, err)
		}
		var aside string
		for _, n := range s.NoticeDetails() {
			if n.Kind == NoticeSymlink {
				aside = n.Path
			}
		}
		if st, err := os.Lstat(aside); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was not kept aside: %q %v", aside, err)
		}
		if err := s.SaveProfile(Profile{Name: "mine", ClientKey: "awmine"}); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(target); string(b) != content {
			t.Fatalf("the planted file was written: %s", b)
		}
		if st, _ := os.Lstat(filepath.Join(dir, fileName)); st.Mode()&os.ModeSymlink != 0 {
			t.Fatal("profiles.json is still a link")
		}
	}
}
