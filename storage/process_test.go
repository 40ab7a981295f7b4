package storage

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	helperDirEnv    = "DOUYIN_AUTH_DESK_TEST_HELPER_DIR"
	helperPrefixEnv = "DOUYIN_AUTH_DESK_TEST_HELPER_PREFIX"
	helperCount     = 40
)

// TestHelperProcess is not a test: TestConcurrentProcesses runs the test
// binary again with it to write profiles from another process.
func TestHelperProcess(t *testing.T) {
	dir := os.Getenv(helperDirEnv)
	if dir == "" {
		t.Skip("runs only as a child of TestConcurrentProcesses")
	}
	prefix := os.Getenv(helperPrefixEnv)
	// Only profiles.json is contended, so the secrets can stay in memory.
	s, err := OpenWith(dir, Memory())
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < helperCount; i++ {
		if err := s.SaveProfile(Profile{Name: fmt.Sprintf("%s-%02d", prefix, i), ClientKey: prefix}); err != nil {
			t.Fatal(err)
		}
		if i%10 == 0 {
			st := DefaultSettings()
			st.AutoRefreshBelow = time.Duration(i) * time.Minute
			if err := s.SaveSettings(st); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Profiles(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConcurrentProcesses writes profiles from two child processes and this
// one at the same time; none may be lost.
func TestConcurrentProcesses(t *testing.T) {
	if os.Getenv(helperDirEnv) != "" {
		t.Skip("in a child")
	}
	dir := t.TempDir()
	var wg sync.WaitGroup
	for _, prefix := range []string{"child1", "child2"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), helperDirEnv+"="+dir, helperPrefixEnv+"="+prefix)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: %v\n%s", prefix, err, out)
			}
		}()
	}
	s := openStore(t, dir, Memory())
	for i := 0; i < helperCount; i++ {
		if err := s.SaveProfile(Profile{Name: fmt.Sprintf("parent-%02d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()

	ps, err := s.Profiles()
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, p := range ps {
		count[strings.SplitN(p.Name, "-", 2)[0]]++
	}
	for _, who := range []string{"parent", "child1", "child2"} {
		if count[who] != helperCount {
			t.Errorf("%s: %d profiles, want %d", who, count[who], helperCount)
		}
	}
	if n := s.NoticeDetails(); len(n) != 1 || n[0].Kind != NoticeSessionOnly {
		t.Errorf("notices = %+v", n)
	}
}
