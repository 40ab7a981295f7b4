package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// smallWindow is the smallest window the screens must work in.
var smallWindow = fyne.NewSize(640, 480)

// TestEveryScreenFitsASmallWindow shows each step of an authorized profile,
// in both languages, in a 640×480 window: the window's minimum size must
// allow it, and every button must lie within the window's width (rows wrap;
// what is below the fold scrolls).
func TestEveryScreenFitsASmallWindow(t *testing.T) {
	u, _, _ := newTestApp(t)
	_, base := startSandbox(t)
	authorize(t, u, base)
	for _, language := range []string{languageEnglish, languageChinese} {
		u.do(func() { u.setLanguage(language) })
		for tab := range u.tabs.Items {
			u.do(func() {
				u.show(tab)
				min := layOut(u.win, smallWindow)
				if min.Width > smallWindow.Width || min.Height > smallWindow.Height {
					t.Errorf("%s, tab %d: the window cannot be smaller than %v", language, tab, min)
				}
				for _, b := range cutOff(u.win.Content(), smallWindow.Width) {
					t.Errorf("%s, tab %d: button %q is cut off", language, tab, b)
				}
			})
		}
	}
}

// layOut resizes w to size and lays it out until the minimum sizes settle,
// as the canvas does frame after frame; it returns the content's minimum.
func layOut(w fyne.Window, size fyne.Size) fyne.Size {
	var min fyne.Size
	for range 3 {
		w.Resize(size.Add(fyne.NewSize(1, 1)))
		w.Resize(size)
		min = w.Content().MinSize()
	}
	return min
}

// cutOff returns the visible buttons under o that reach past width, or
// start before the window's edge. Buttons in a horizontal scroller count
// as reachable.
func cutOff(o fyne.CanvasObject, width float32) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if o == nil || !o.Visible() {
			return
		}
		if s, ok := o.(*container.Scroll); ok && s.Direction != container.ScrollVerticalOnly {
			return
		}
		if b, ok := o.(*widget.Button); ok {
			pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
			if pos.X < 0 || pos.X+b.Size().Width > width+0.5 || b.Size().Width < b.MinSize().Width-0.5 {
				out = append(out, fmt.Sprintf("%s at x=%.0f, %.0f wide", b.Text, pos.X, b.Size().Width))
			}
			return
		}
		for _, c := range drawn(o) {
			walk(c)
		}
	}
	walk(o)
	return out
}

// TestScopeMenuStaysInsideTheWindow opens the scope picker of a small
// window: the menu, wider than its button at the right edge, must open
// inside the window, and picking an entry adds its scope once.
func TestScopeMenuStaysInsideTheWindow(t *testing.T) {
	u, _, _ := newTestApp(t)
	v := u.creds
	u.do(func() {
		u.show(tabCredentials)
		layOut(u.win, smallWindow)
		test.Tap(v.scopePicker)
	})
	pop := v.scopePopUp
	if pop == nil || !pop.Visible() {
		t.Fatal("the scope menu did not open")
	}
	if x := pop.Position().X + pop.Size().Width; pop.Position().X < 0 || x > smallWindow.Width {
		t.Fatalf("the menu spans x %.0f to %.0f in a window %.0f wide", pop.Position().X, x, smallWindow.Width)
	}
	if len(pop.Items) != len(knownScopes) {
		t.Fatalf("the menu offers %d scopes", len(pop.Items))
	}
	u.do(func() { test.Tap(pop.Items[3].(fyne.Tappable)) })
	u.do(func() { test.Tap(v.scopePicker); test.Tap(v.scopePopUp.Items[3].(fyne.Tappable)) }) // already there
	if want := v.draft().Scopes; want != "user_info,renew_refresh_token,video.list.bind" {
		t.Fatalf("scopes = %q", want)
	}
}
