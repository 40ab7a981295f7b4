package ui

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// maxAnswerImages bounds the images an answer shows.
const maxAnswerImages = 12

// apiResult shows an OpenAPI answer: the images it names (avatars, video
// covers) in a row, then the JSON indented.
type apiResult struct {
	u       *Window
	content fyne.CanvasObject

	images *fyne.Container
	strip  *container.Scroll
	body   *widget.Label
	// gen tells an image's arrival whether its answer is still shown.
	gen int
}

func newAPIResult(u *Window) *apiResult {
	r := &apiResult{u: u}
	r.images = container.NewHBox()
	r.strip = container.NewHScroll(r.images)
	r.strip.Hide()
	r.body = widget.NewLabel("")
	r.body.TextStyle.Monospace = true
	r.body.Wrapping = fyne.TextWrapBreak
	r.body.Selectable = true
	r.body.Hide()
	r.content = container.NewVBox(r.strip, r.body)
	return r
}

// clear shows no answer.
func (r *apiResult) clear() {
	r.gen++
	r.images.RemoveAll()
	r.strip.Hide()
	r.body.Hide()
}

// show shows res, fetching its images in the background.
func (r *apiResult) show(res auth.CallResult) {
	r.clear()
	r.body.SetText(string(res.Pretty()))
	r.body.Show()
	gen := r.gen
	for _, src := range answerImages(res.Body, maxAnswerImages) {
		r.u.background(nil, func(ctx context.Context) func() {
			data, err := fetchImage(ctx, src)
			if err != nil {
				return nil
			}
			return func() {
				if r.gen != gen {
					return
				}
				img := canvas.NewImageFromResource(fyne.NewStaticResource(src, data))
				img.FillMode = canvas.ImageFillContain
				img.SetMinSize(fyne.NewSize(72, 96))
				r.images.Add(img)
				r.strip.Show()
			}
		})
	}
}

// answerImages returns, in the order met, the distinct http(s) URLs the
// JSON answer body gives under keys naming an image (avatar, cover), at
// most max of them.
func answerImages(body []byte, max int) []string {
	var doc any
	if json.Unmarshal(body, &doc) != nil {
		return nil
	}
	var out []string
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				walk(k, x[k])
			}
		case []any:
			for _, e := range x {
				walk(key, e)
			}
		case string:
			k := strings.ToLower(key)
			isImage := strings.Contains(k, "avatar") || strings.Contains(k, "cover")
			if isImage && auth.IsHTTPURL(x) && !slices.Contains(out, x) && len(out) < max {
				out = append(out, x)
			}
		}
	}
	walk("", doc)
	return out
}
