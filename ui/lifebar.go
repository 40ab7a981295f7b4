package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The platform's lifetimes of its tokens, which a life bar measures against
// when a token's own obtained time is unknown.
const (
	accessLife  = 15 * 24 * time.Hour
	refreshLife = 30 * 24 * time.Hour
	clientLife  = 2 * time.Hour
)

// lifeSteps is how finely a life bar shows the life left: it redraws only
// when the share left crosses one of these steps or its colour changes, so
// a month-long token costs no frame a second.
const lifeSteps = 400

// lifeBar shows how much of a token's life is left, in the colour of its
// countdown: green, then orange, then red near the end.
type lifeBar struct {
	widget.BaseWidget
	step int // of lifeSteps left
	imp  widget.Importance
}

func newLifeBar() *lifeBar {
	b := &lifeBar{imp: widget.LowImportance}
	b.ExtendBaseWidget(b)
	return b
}

// set shows left of life, in the colour of imp; it reports whether the bar
// changed. A zero life shows an empty bar.
func (b *lifeBar) set(left, life time.Duration, imp widget.Importance) bool {
	step := 0
	if life > 0 && left > 0 {
		step = int(min(float64(left)/float64(life), 1)*lifeSteps + 0.5)
	}
	if step == b.step && imp == b.imp {
		return false
	}
	b.step, b.imp = step, imp
	b.Refresh()
	return true
}

// share is the part of the life left, 0 to 1.
func (b *lifeBar) share() float32 { return float32(b.step) / lifeSteps }

func (b *lifeBar) CreateRenderer() fyne.WidgetRenderer {
	r := &lifeBarRenderer{b: b, track: canvas.NewRectangle(color.Transparent), fill: canvas.NewRectangle(color.Transparent)}
	r.track.CornerRadius, r.fill.CornerRadius = 2, 2
	r.Refresh()
	return r
}

type lifeBarRenderer struct {
	b           *lifeBar
	track, fill *canvas.Rectangle
}

func (r *lifeBarRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	r.fill.Resize(fyne.NewSize(size.Width*r.b.share(), size.Height))
}

func (r *lifeBarRenderer) MinSize() fyne.Size { return fyne.NewSize(48, 6) }

func (r *lifeBarRenderer) Refresh() {
	th, v := r.b.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	r.track.FillColor = th.Color(theme.ColorNameInputBackground, v)
	r.fill.FillColor = th.Color(lifeColor(r.b.imp), v)
	r.Layout(r.b.Size())
	r.track.Refresh()
	r.fill.Refresh()
}

func (r *lifeBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.fill} }
func (r *lifeBarRenderer) Destroy()                     {}

// lifeColor is the colour a countdown of importance imp is drawn in.
func lifeColor(imp widget.Importance) fyne.ThemeColorName {
	switch imp {
	case widget.SuccessImportance:
		return theme.ColorNameSuccess
	case widget.WarningImportance:
		return theme.ColorNameWarning
	case widget.DangerImportance:
		return theme.ColorNameError
	}
	return theme.ColorNameDisabled
}
