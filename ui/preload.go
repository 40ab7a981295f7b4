package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fontsLoading, once Preload ran, is closed when the fonts are loaded.
var fontsLoading chan struct{}

// preloaded is the window Preload created, which New takes.
var preloaded fyne.Window

// Preload readies the window while the store opens on another goroutine.
// It sets the app's icon and the window's theme, and has Fyne read the
// system's font index and parse the regular and bold faces in the
// background: a third of the time to the first frame. Monospaced text, for
// tokens, loads once the profile is read. It then creates the window,
// which starts GLFW. New takes that window and waits for the fonts before
// the first screen measures text, so that the fonts are never used from
// two goroutines at once. Call it once, on the main goroutine, right after
// creating a.
func Preload(a fyne.App) {
	a.SetIcon(appIcon)
	a.Settings().SetTheme(newTheme())
	done := make(chan struct{})
	fontsLoading = done
	go func() {
		defer close(done)
		for _, s := range []fyne.TextStyle{{}, {Bold: true}} {
			fyne.MeasureText("抖音 Douyin", theme.TextSize(), s)
		}
	}()
	preloaded = a.NewWindow("Douyin Auth Desk")
}

// waitForFonts returns once the fonts Preload loads are loaded, at once
// without Preload.
func waitForFonts() {
	if fontsLoading != nil {
		<-fontsLoading
	}
}
