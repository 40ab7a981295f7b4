// Command winrelease makes the Windows release folder from the window build
// that `fyne package -os windows -release` writes:
//
//	douyin-auth-desk.exe                  the window build (GUI subsystem)
//	douyin-auth-desk.com                  the same program for the console
//	douyin-auth-desk-windows-amd64.zip    both, with README.txt
//
// The .com is the .exe with the PE header's subsystem set to console, as
// `editbin /SUBSYSTEM:CONSOLE` would make it: the same icon, version
// information and manifest. cmd.exe and PowerShell prefer it to the .exe when
// the command is typed without an extension, wait for it and show its
// output, which they do not do for a GUI-subsystem program.
//
// Usage: go run ./tools/winrelease WINDOW.exe README.txt OUTDIR
package main

import (
	"fmt"
	"os"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: winrelease WINDOW.exe README.txt OUTDIR")
		os.Exit(2)
	}
	if err := release(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "winrelease:", err)
		os.Exit(1)
	}
}
