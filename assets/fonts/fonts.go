// Package fonts holds the text faces the window embeds besides Fyne's own:
// the wide characters of the app's own text (Han characters, CJK and
// full-width punctuation) cut from Noto Sans CJK SC by subset.sh, under the
// SIL Open Font License (LICENSE). Like its parent, it imports nothing.
package fonts

import _ "embed"

// OpenType (CFF) fonts, each with the line metrics of the Fyne face it
// goes before: Regular and Bold before Noto Sans, Mono (regular glyphs,
// the monospaced face's space) before DejaVu Sans Mono.
var (
	//go:embed NotoSansCJKsc-Regular-subset.otf
	Regular []byte
	//go:embed NotoSansCJKsc-Bold-subset.otf
	Bold []byte
	//go:embed NotoSansCJKsc-Mono-subset.otf
	Mono []byte
)
