package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
)

// Cover images are 3:4 portraits, as the platform's covers are, small
// enough to draw on every call.
const (
	CoverWidth  = 96
	CoverHeight = 128
	coverShades = 16
)

// handleCover serves GET /_sandbox/cover/{key}.png: a demo video's cover,
// a vertical gradient in two colours from the key with a play mark.
func (s *Sandbox) handleCover(w http.ResponseWriter, r *http.Request) {
	key, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	if _, err := hex.DecodeString(key); !ok || key == "" || err != nil {
		http.NotFound(w, r)
		return
	}
	writePNG(w, r, coverPNG(key))
}

// coverPNG draws the cover of key as a PNG image.
func coverPNG(key string) []byte {
	h := sha256.Sum256([]byte(key))
	top := color.RGBA{R: 60 + h[0]%160, G: 60 + h[1]%160, B: 60 + h[2]%160, A: 255}
	bottom := color.RGBA{R: 20 + h[3]%120, G: 20 + h[4]%120, B: 20 + h[5]%120, A: 255}
	pal := make(color.Palette, 0, coverShades+1)
	for i := range coverShades {
		pal = append(pal, mix(top, bottom, i, coverShades-1))
	}
	pal = append(pal, color.RGBA{R: 255, G: 255, B: 255, A: 255})
	img := image.NewPaletted(image.Rect(0, 0, CoverWidth, CoverHeight), pal)
	for y := range CoverHeight {
		shade := uint8(y * coverShades / CoverHeight)
		for x := range CoverWidth {
			img.SetColorIndex(x, y, shade)
		}
	}
	// A play mark: a triangle pointing right, in the middle.
	cx, cy, size := CoverWidth/2, CoverHeight/2, CoverWidth/6
	for y := cy - size; y <= cy+size; y++ {
		half := size - abs(y-cy)
		for x := cx - size/2; x <= cx-size/2+half; x++ {
			img.SetColorIndex(x, y, coverShades)
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return buf.Bytes()
}

// mix returns the colour i/n of the way from a to b.
func mix(a, b color.RGBA, i, n int) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8((int(x)*(n-i) + int(y)*i) / n) }
	return color.RGBA{R: f(a.R, b.R), G: f(a.G, b.G), B: f(a.B, b.B), A: 255}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// writePNG answers r with the generated image b, which never changes for
// its address.
func writePNG(w http.ResponseWriter, r *http.Request, b []byte) {
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "public, max-age=86400")
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
}
