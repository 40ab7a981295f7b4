//go:build windows

package cli

import (
	"os"

	"golang.org/x/sys/windows"
)

// attachParentProcess is AttachConsole's ATTACH_PARENT_PROCESS.
const attachParentProcess = ^uint32(0)

var procAttachConsole = windows.NewLazySystemDLL("kernel32.dll").NewProc("AttachConsole")

// attachConsole gives the window build (a GUI-subsystem program, which
// Windows starts without a console) the console of the shell that started
// it, so that a command typed there prints its output. Handles that are
// already valid, redirected to a file or a pipe or set by a console build,
// are kept as they are.
func attachConsole() {
	std := []struct {
		id   uint32
		file **os.File
		name string
		flag int
	}{
		{windows.STD_INPUT_HANDLE, &os.Stdin, "CONIN$", os.O_RDWR},
		{windows.STD_OUTPUT_HANDLE, &os.Stdout, "CONOUT$", os.O_RDWR},
		{windows.STD_ERROR_HANDLE, &os.Stderr, "CONOUT$", os.O_RDWR},
	}
	missing := std[:0:0]
	for _, s := range std {
		if h, err := windows.GetStdHandle(s.id); err != nil || h == 0 || h == windows.InvalidHandle {
			missing = append(missing, s)
		}
	}
	if len(missing) == 0 {
		return
	}
	if ok, _, _ := procAttachConsole.Call(uintptr(attachParentProcess)); ok == 0 {
		return // started from Explorer or a shortcut: there is no console to print to
	}
	for _, s := range missing {
		f, err := os.OpenFile(s.name, s.flag, 0)
		if err != nil {
			continue
		}
		*s.file = f
		windows.SetStdHandle(s.id, windows.Handle(f.Fd()))
	}
}

// systemLanguage returns "zh" or "en" for the user's preferred display
// language, or "" when Windows does not say.
func systemLanguage() string {
	langs, err := windows.GetUserPreferredUILanguages(windows.MUI_LANGUAGE_NAME)
	if err != nil || len(langs) == 0 {
		return ""
	}
	return languageOf(langs[0])
}
