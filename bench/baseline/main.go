// Command baseline is the lower bound the benchmarks compare the app with: a
// bare Fyne window whose one label is updated every second.
package main

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("io.github.douyinauthdesk.baseline")
	w := a.NewWindow("Baseline")
	l := widget.NewLabel(time.Now().Format(time.TimeOnly))
	w.SetContent(l)
	w.Resize(fyne.NewSize(980, 720))
	go func() {
		for t := range time.Tick(time.Second) {
			fyne.Do(func() { l.SetText(t.Format(time.TimeOnly)) })
		}
	}()
	w.ShowAndRun()
}
