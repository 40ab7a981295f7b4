package ui

import (
	"bytes"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"
)

func TestThemeFonts(t *testing.T) {
	def := theme.DefaultTheme()
	for _, c := range []struct {
		name  string
		style fyne.TextStyle
		want  fyne.Resource
	}{
		{"regular", fyne.TextStyle{}, wideRegular},
		{"italic", fyne.TextStyle{Italic: true}, wideRegular},
		{"bold", fyne.TextStyle{Bold: true}, wideBold},
		{"bold italic", fyne.TextStyle{Bold: true, Italic: true}, wideBold},
		{"monospace", fyne.TextStyle{Monospace: true}, wideMono},
		{"bold monospace", fyne.TextStyle{Monospace: true, Bold: true}, wideMono},
		{"symbol", fyne.TextStyle{Symbol: true}, def.Font(fyne.TextStyle{Symbol: true})},
	} {
		if got := newTheme().Font(c.style); got != c.want {
			t.Errorf("%s: Font = %s, want %s", c.name, got.Name(), c.want.Name())
		}
	}
	// Everything else is Fyne's default theme.
	th := newTheme()
	if th.Size(theme.SizeNameText) != def.Size(theme.SizeNameText) ||
		th.Color(theme.ColorNamePrimary, theme.VariantDark) != def.Color(theme.ColorNamePrimary, theme.VariantDark) {
		t.Error("the theme's sizes or colours differ from Fyne's default")
	}
}

// parseFace parses the font of r.
func parseFace(t *testing.T, r fyne.Resource) *font.Face {
	t.Helper()
	f, err := font.ParseTTF(bytes.NewReader(r.Content()))
	if err != nil {
		t.Fatalf("%s: %v", r.Name(), err)
	}
	return f
}

// Each wide face must leave Latin text to the Fyne face that follows it,
// and lay out as that face does: Fyne takes the line height, the baseline
// and, for monospaced text, the tab width from the face of the space.
func TestThemeWideFacesFitFyne(t *testing.T) {
	for _, c := range []struct {
		wide, fyne fyne.Resource
		space      bool // the space has the Fyne face's width
	}{
		{wideRegular, theme.DefaultTextFont(), false},
		{wideBold, theme.DefaultTextBoldFont(), false},
		{wideMono, theme.DefaultTextMonospaceFont(), true},
	} {
		w, f := parseFace(t, c.wide), parseFace(t, c.fyne)
		for _, r := range "Aa0,.(" {
			if _, ok := w.NominalGlyph(r); ok {
				t.Errorf("%s has a glyph for %q", c.wide.Name(), r)
			}
		}
		if _, ok := w.NominalGlyph('凭'); !ok {
			t.Errorf("%s has no glyph for 凭 (of 调用凭证)", c.wide.Name())
		}
		we, _ := w.FontHExtents()
		fe, _ := f.FontHExtents()
		wu, fu := float32(w.Upem()), float32(f.Upem())
		for _, m := range []struct {
			name string
			w, f float32
		}{
			{"ascender", we.Ascender, fe.Ascender},
			{"descender", we.Descender, fe.Descender},
			{"line gap", we.LineGap, fe.LineGap},
		} {
			if d := m.w/wu - m.f/fu; d > 0.001 || d < -0.001 {
				t.Errorf("%s: %s %g em, %s %g em", c.wide.Name(), m.name, m.w/wu, c.fyne.Name(), m.f/fu)
			}
		}
		ws, _ := w.NominalGlyph(' ')
		fs, _ := f.NominalGlyph(' ')
		wa, fa := w.HorizontalAdvance(ws)/wu, f.HorizontalAdvance(fs)/fu
		if d := wa - fa; c.space && (d > 0.001 || d < -0.001) {
			t.Errorf("%s: space %g em, %s %g em", c.wide.Name(), wa, c.fyne.Name(), fa)
		}
		if wa == 0 {
			t.Errorf("%s has no space", c.wide.Name())
		}
	}
}

// wide reports whether r is a character of the kind the wide faces hold.
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// appText returns the text of the sources assets/fonts/subset.sh reads.
func appText(t *testing.T) string {
	t.Helper()
	var b strings.Builder
	for _, root := range []string{"../ui", "../auth", "../storage", "../main.go"} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "testdata" {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			if strings.HasSuffix(name, ".json") || strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
				data, err := os.ReadFile(path)
				b.Write(data)
				return err
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.String()
}

// Every wide character of the app's own text is in both wide faces, or
// Fyne would load a system face of 20 MiB for it.
func TestThemeCoversAppText(t *testing.T) {
	latin := parseFace(t, theme.DefaultTextFont())
	faces := []*font.Face{parseFace(t, wideRegular), parseFace(t, wideBold), parseFace(t, wideMono)}
	missing := map[rune]bool{}
	for _, r := range appText(t) {
		if !wide(r) {
			continue
		}
		if _, ok := latin.NominalGlyph(r); ok {
			continue
		}
		for _, f := range faces {
			if _, ok := f.NominalGlyph(r); !ok {
				missing[r] = true
			}
		}
	}
	if len(missing) > 0 {
		rs := slices.Sorted(maps.Keys(missing))
		t.Errorf("the embedded faces lack %d characters of the app's text (%q…): run assets/fonts/subset.sh",
			len(rs), string(rs[:min(len(rs), 20)]))
	}
}

// TestWindowUsesTheTheme: the window draws with the app's theme, whose
// faces measure the app's Chinese and Latin text in every style.
func TestWindowUsesTheTheme(t *testing.T) {
	u, _, _ := newTestApp(t)
	if _, ok := u.fyne.Settings().Theme().(appTheme); !ok {
		t.Fatalf("theme %T, want appTheme", u.fyne.Settings().Theme())
	}
	for _, s := range []fyne.TextStyle{{}, {Bold: true}, {Monospace: true}} {
		if size := fyne.MeasureText("调用凭证 token", theme.TextSize(), s); size.Width <= 0 || size.Height <= 0 {
			t.Errorf("%+v: measured %v", s, size)
		}
	}
}
