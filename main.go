// Command douyin-auth-desk runs the Douyin Open Platform OAuth flow on the
// desktop. With no arguments it opens the window; with a subcommand it is
// the command line (see douyin-auth-desk --help).
package main

import (
	"fmt"
	"os"

	"fyne.io/fyne/v2/app"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
	"github.com/douyinauthdesk/douyin-auth-desk/ui"
	"github.com/douyinauthdesk/douyin-auth-desk/ui/cli"
	// Before Fyne's lang reads the locale: see the package.
	_ "github.com/douyinauthdesk/douyin-auth-desk/ui/localeenv"
)

// appID is the application's unique identifier.
const appID = "io.github.douyinauthdesk"

func main() {
	if len(os.Args) > 1 {
		os.Exit(cli.Main(os.Args[1:]))
	}
	a := app.NewWithID(appID)
	// The store reads its directory while Preload starts GLFW; its keyring
	// is probed in the background once the window is up (ui.New).
	opened := make(chan error, 1)
	var st *storage.Store
	go func() {
		var err error
		st, err = storage.Open("")
		opened <- err
	}()
	ui.Preload(a)
	if err := <-opened; err != nil {
		fmt.Fprintln(os.Stderr, "douyin-auth-desk:", err)
		os.Exit(1)
	}
	ui.New(a, st).ShowAndRun()
}
