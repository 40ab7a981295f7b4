package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
)

// actionRow lays out a screen's buttons in one row, lead at the start and
// trail at the end, as an HBox with a spacer would; when the row is too
// narrow for them all it wraps them onto more rows, in order, so that no
// button is ever cut off in a small window.
func actionRow(lead []fyne.CanvasObject, trail ...fyne.CanvasObject) *fyne.Container {
	objs := append(append([]fyne.CanvasObject{}, lead...), trail...)
	return container.New(&wrapRow{lead: len(lead), rows: 1}, objs...)
}

// wrapRow is actionRow's layout. A layout cannot learn its width before it
// is asked for its height, so MinSize answers with the rows of the last
// Layout; the canvas lays the parent out again once that changes.
type wrapRow struct {
	lead int // the first lead objects sit at the start, the rest at the end
	rows int
}

// MinSize is as wide as the widest object, and as high as the rows the
// last Layout needed.
func (l *wrapRow) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for _, o := range objs {
		if o.Visible() {
			s := o.MinSize()
			w, h = max(w, s.Width), max(h, s.Height)
		}
	}
	if h == 0 {
		return fyne.Size{}
	}
	return fyne.NewSize(w, float32(l.rows)*h+float32(l.rows-1)*theme.Padding())
}

// Layout places the objects in one row when they fit, and wraps them
// otherwise.
func (l *wrapRow) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	var total, h float32
	visible := 0
	for _, o := range objs {
		if o.Visible() {
			s := o.MinSize()
			total += s.Width
			h = max(h, s.Height)
			visible++
		}
	}
	if visible == 0 {
		return
	}
	total += float32(visible-1) * pad
	if total <= size.Width {
		l.rows = 1
		l.oneRow(objs, size.Width, h)
		return
	}
	l.rows = l.wrap(objs, size.Width, h)
}

// oneRow places the lead objects from the start and the trail ones so that
// the last ends at width.
func (l *wrapRow) oneRow(objs []fyne.CanvasObject, width, h float32) {
	pad := theme.Padding()
	x := float32(0)
	for _, o := range objs[:l.lead] {
		if o.Visible() {
			place(o, x, 0, h)
			x += o.MinSize().Width + pad
		}
	}
	x = width
	for i := len(objs) - 1; i >= l.lead; i-- {
		if o := objs[i]; o.Visible() {
			x -= o.MinSize().Width
			place(o, x, 0, h)
			x -= pad
		}
	}
}

// wrap places the objects in order from the start, beginning a new row
// where the next one would pass width, and returns how many rows it used.
func (l *wrapRow) wrap(objs []fyne.CanvasObject, width, h float32) int {
	pad := theme.Padding()
	x, y, rows := float32(0), float32(0), 1
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		w := o.MinSize().Width
		if x > 0 && x+w > width {
			x, y = 0, y+h+pad
			rows++
		}
		place(o, x, y, h)
		x += w + pad
	}
	return rows
}

// place moves o to (x, y) at its minimum width and the row's height h.
func place(o fyne.CanvasObject, x, y, h float32) {
	o.Move(fyne.NewPos(x, y))
	o.Resize(fyne.NewSize(o.MinSize().Width, h))
}

// narrowTabs holds tabs at a minimum width of their widest screen rather
// than of their whole tab bar: the tabs put what does not fit in their
// overflow menu, but once laid out wide enough for every tab they ask for
// that width, and a window could then never be made narrower again.
func narrowTabs(tabs *container.AppTabs) *fyne.Container {
	return container.New(&tabsLayout{tabs: tabs}, tabs)
}

type tabsLayout struct{ tabs *container.AppTabs }

// narrowestBar is room for the selected tab and the overflow button.
const narrowestBar = 320

func (l *tabsLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	w := float32(narrowestBar)
	for _, it := range l.tabs.Items {
		w = max(w, it.Content.MinSize().Width)
	}
	return fyne.NewSize(min(w, l.tabs.MinSize().Width), l.tabs.MinSize().Height)
}

func (l *tabsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.Position{})
		o.Resize(size)
	}
}
