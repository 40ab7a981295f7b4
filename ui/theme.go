package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/douyinauthdesk/douyin-auth-desk/assets/fonts"
)

// The embedded faces of the app's own wide characters (assets/fonts).
var (
	wideRegular = fyne.NewStaticResource("NotoSansCJKsc-Regular-subset.otf", fonts.Regular)
	wideBold    = fyne.NewStaticResource("NotoSansCJKsc-Bold-subset.otf", fonts.Bold)
	wideMono    = fyne.NewStaticResource("NotoSansCJKsc-Mono-subset.otf", fonts.Mono)
)

// appTheme is Fyne's default theme with the app's wide characters first in
// all its text, monospaced too (a countdown says 天 in Chinese). Fyne draws
// a character its faces lack with a system face that it loads whole: for
// the window's Chinese that was Noto Sans CJK, about 20 MiB of font tables
// in memory. With these faces first, only user data the app does not know,
// such as a nickname, makes Fyne load one. Each face has no Latin letter
// and the line metrics of the Fyne face that follows it, so Latin text and
// the layout stay as Fyne draws them.
type appTheme struct{ fyne.Theme }

// newTheme returns the theme of the window.
func newTheme() fyne.Theme { return appTheme{theme.DefaultTheme()} }

// Font returns the face that comes first for text in style s.
func (t appTheme) Font(s fyne.TextStyle) fyne.Resource {
	switch {
	case s.Symbol:
		return t.Theme.Font(s)
	case s.Monospace:
		return wideMono
	case s.Bold:
		return wideBold
	default:
		return wideRegular
	}
}
