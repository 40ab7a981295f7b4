//go:build !windows

package cli

// attachConsole does nothing: only Windows starts a program without the
// terminal it was run from.
func attachConsole() {}

// systemLanguage returns "": elsewhere the locale variables are the system's
// language, and localeLang has read them.
func systemLanguage() string { return "" }
