package localeenv

import (
	"os"
	"testing"
)

func TestNormalize(t *testing.T) {
	cases := []struct {
		env      map[string]string
		language string
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "C.utf8"}, "en"},
		{map[string]string{"LC_ALL": "POSIX.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "C.UTF-8"}, "en"},
		// Fyne reads these well already.
		{map[string]string{"LANG": "C"}, ""},
		{map[string]string{"LANG": "POSIX"}, ""},
		{map[string]string{}, ""},
		{map[string]string{"LANG": "zh_CN.UTF-8"}, ""},
		{map[string]string{"LC_ALL": "en_US.UTF-8", "LANG": "C.UTF-8"}, ""},
		// A LANGUAGE the user set is kept.
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}, "zh_CN"},
	}
	for _, c := range cases {
		for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"} {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
		for k, v := range c.env {
			t.Setenv(k, v)
		}
		Normalize()
		if got := os.Getenv("LANGUAGE"); got != c.language {
			t.Errorf("%v: LANGUAGE = %q, want %q", c.env, got, c.language)
		}
	}
}
