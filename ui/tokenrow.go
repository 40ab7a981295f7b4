package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// timeLayout is how absolute times are shown.
const timeLayout = "2006-01-02 15:04:05"

// tokenRow shows one token: masked value, Reveal, Copy, countdown, and the
// obtained and expiry times.
type tokenRow struct {
	u         *Window
	content   fyne.CanvasObject
	value     string
	has       bool
	revealed  bool
	valueText *widget.Label
	revealBtn *widget.Button
	copyBtn   *widget.Button
	countdown *countdown
	times     *widget.Label
	// invalid, shown in place of the countdown, says that the platform
	// answered that the token no longer works.
	invalid *widget.Label
}

func newTokenRow(u *Window, title string, warn, life time.Duration) *tokenRow {
	r := &tokenRow{u: u}
	r.valueText = widget.NewLabel("—")
	r.valueText.TextStyle = fyne.TextStyle{Monospace: true}
	r.valueText.Selectable = true
	r.revealBtn = widget.NewButtonWithIcon(lang.L("Reveal"), theme.VisibilityIcon(), r.toggle)
	r.copyBtn = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		if r.has {
			u.fyne.Clipboard().SetContent(r.value)
		}
	})
	r.countdown = newCountdown(time.Time{}, warn, nil)
	r.countdown.life = life
	r.invalid = hiddenNote("", widget.DangerImportance)
	r.invalid.TextStyle.Bold = true
	r.invalid.Wrapping = fyne.TextWrapOff
	r.times = widget.NewLabel("")
	// Normal colour, smaller text: LowImportance looked disabled.
	r.times.SizeName = theme.SizeNameCaptionText
	r.times.Wrapping = fyne.TextWrapWord
	head := actionRow([]fyne.CanvasObject{heading(title),
		r.countdown.label, r.invalid}, r.revealBtn, r.copyBtn)
	r.content = container.NewVBox(head, r.countdown.bar, r.valueText, r.times)
	r.clear()
	return r
}

func (r *tokenRow) clear() {
	r.markValid()
	r.value, r.has, r.revealed = "", false, false
	r.countdown.expiry, r.countdown.start = time.Time{}, time.Time{}
	r.countdown.label.Hide()
	r.valueText.SetText("—")
	r.times.SetText("")
	r.revealBtn.Disable()
	r.copyBtn.Disable()
	r.content.Hide()
}

// set shows a token; the countdown follows on the next tick. A token
// marked invalid stays so until another token is shown.
func (r *tokenRow) set(value string, obtained, expiry time.Time) {
	if value != r.value {
		r.markValid()
	}
	r.value, r.has = value, true
	r.content.Show()
	r.countdown.expiry, r.countdown.start = expiry, obtained
	r.countdown.update(r.u.now())
	if r.invalid.Hidden {
		r.countdown.label.Show()
	}
	r.revealBtn.Enable()
	r.copyBtn.Enable()
	r.showValue()
	r.times.SetText(lang.L("Obtained {{.Obtained}} · expires {{.Expiry}}",
		map[string]any{"Obtained": formatTime(obtained), "Expiry": formatTime(expiry)}))
}

// markInvalid shows that the platform answered code for the token: red,
// labelled invalid in place of its countdown, which no longer tells the
// truth.
func (r *tokenRow) markInvalid(code int) {
	text := lang.L("Invalid (platform error {{.Code}})", map[string]any{"Code": code})
	note(r.invalid, text, widget.DangerImportance)
	r.countdown.label.Hide()
	r.valueText.Importance = widget.DangerImportance
	r.valueText.Refresh()
}

// markValid takes the invalid mark off, as the platform accepted the token.
func (r *tokenRow) markValid() {
	if r.invalid.Hidden {
		return
	}
	r.invalid.Hide()
	r.valueText.Importance = widget.MediumImportance
	r.valueText.Refresh()
	if r.has {
		r.countdown.label.Show()
	}
}

func (r *tokenRow) toggle() {
	r.revealed = !r.revealed
	r.showValue()
}

func (r *tokenRow) showValue() {
	if r.revealed {
		r.valueText.SetText(r.value)
		r.revealBtn.SetText(lang.L("Hide"))
		r.revealBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		r.valueText.SetText(auth.Mask(r.value))
		r.revealBtn.SetText(lang.L("Reveal"))
		r.revealBtn.SetIcon(theme.VisibilityIcon())
	}
}

// formatTime shows t in local time, or a dash when unknown.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(timeLayout)
}
