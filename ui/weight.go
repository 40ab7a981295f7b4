package ui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
)

// evenWeight is the style of a bold label of text that may hold user data,
// such as a nickname: bold, unless text holds Chinese. The theme's faces
// hold the Chinese of the app's own text in bold too, but a character
// beyond them is drawn with a system face that is often regular only, and
// the label would set its Latin part heavier than its Chinese part.
func evenWeight(text string) fyne.TextStyle {
	if strings.ContainsFunc(text, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
		return fyne.TextStyle{}
	}
	return fyne.TextStyle{Bold: true}
}
