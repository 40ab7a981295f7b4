package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// fontsLoading, once Preload ran, is closed when the fonts are loaded.
var fontsLoading chan struct{}

// preloaded is the window Preload created, which New takes.
var preloaded fyne.Window

// Preload sets the window's theme on a and has Fyne, in the background,
// read the system's font index and parse the faces of the first screen's
// regular and bold text: a third of the time to the first frame, which
// then passes while the store opens and GLFW starts. Monospaced text, for
// tokens, comes once the profile is read. New waits for it before the first
// screen measures text, so that the fonts are never used from two
// goroutines at once. It then creates the window, which starts GLFW: the
// store can open meanwhile, on another goroutine. Call it once, on the
// main goroutine, right after creating a.
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
