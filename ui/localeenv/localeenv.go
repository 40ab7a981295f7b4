// Package localeenv makes a C or POSIX locale with a charset (C.UTF-8, the
// default of containers and CI) read as English before Fyne reads it: Fyne's
// lang package takes "C" for a language and prints "Error parsing user
// locale C" at every start.
//
// main imports it for that side effect. It imports only the standard library
// and sorts before Fyne's locale dependencies (github.com/jeandeaual,
// github.com/nicksnyder), so Go, which initializes packages in import-path
// order once their imports are ready, runs its init before Fyne's lang.
package localeenv

import (
	"os"
	"strings"
)

func init() { Normalize() }

// Normalize sets LANGUAGE to "en" when the locale in force (the first of
// LC_ALL, LC_MESSAGES and LANG that is set) is C or POSIX with a charset and
// LANGUAGE is unset. The charset stays as it is for this process and the
// programs it starts; gettext ignores LANGUAGE under a C locale.
func Normalize() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		s := os.Getenv(v)
		if s == "" {
			continue
		}
		if strings.HasPrefix(s, "C.") || strings.HasPrefix(s, "POSIX.") {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
