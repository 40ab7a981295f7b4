package ui

import (
	"strings"
	"sync/atomic"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Fyne's bold face has no Chinese glyphs: they come from a regular system
// face, so a bold label mixing Latin and Chinese shows two weights side by
// side. Chinese text is therefore never bold: the window's theme draws
// bold as regular while the window speaks Chinese, and labels that may hold
// Chinese in English (a nickname) choose their weight by evenWeight.

// chineseText is whether the window speaks Chinese.
var chineseText atomic.Bool

// evenWeightTheme is base with bold drawn regular while the window speaks
// Chinese: tabs, buttons and headings keep one weight.
type evenWeightTheme struct{ fyne.Theme }

// newEvenWeightTheme wraps fyne's default theme.
func newEvenWeightTheme() fyne.Theme { return evenWeightTheme{theme.DefaultTheme()} }

// Font returns the regular face for bold text while the window speaks
// Chinese.
func (t evenWeightTheme) Font(s fyne.TextStyle) fyne.Resource {
	if s.Bold && !s.Monospace && !s.Symbol && chineseText.Load() {
		s.Bold = false
	}
	return t.Theme.Font(s)
}

// evenWeight is the style of a bold label of text: bold, unless text holds
// Chinese. Fyne's bold face has no Chinese glyphs and the fallback system
// font is often regular only, so "access_token（用户授权调用凭证）" would
// set its Latin part heavier than its Chinese part.
func evenWeight(text string) fyne.TextStyle {
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return fyne.TextStyle{}
	}
	return fyne.TextStyle{Bold: true}
}
