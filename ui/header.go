package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// profileHeader says, above the steps, which profile the window shows:
// its name, environment and base URL, so that two profiles authorized by
// the same user cannot be taken for each other; its switcher opens another
// stored profile.
type profileHeader struct {
	u       *Window
	content fyne.CanvasObject

	where    *widget.Label
	switcher *widget.Select
	errLabel *widget.Label
	// gen tells a reload's answer whether it is still wanted.
	gen int
}

func newProfileHeader(u *Window) *profileHeader {
	h := &profileHeader{u: u}
	h.where = widget.NewLabel("")
	h.where.Truncation = fyne.TextTruncateEllipsis
	h.switcher = widget.NewSelect(nil, h.switchTo)
	h.switcher.PlaceHolder = lang.L("Open a profile…")
	h.errLabel = hiddenNote("", widget.DangerImportance)
	h.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, h.switcher, h.where),
		h.errLabel,
		widget.NewSeparator(),
	)
	h.render()
	h.showNames(u.kept.profiles)
	h.reload()
	u.session.observe("header", h.sessionChanged)
	return h
}

// sessionChanged shows the profile now active and lists the profiles
// again, since a save may have added one.
func (h *profileHeader) sessionChanged(c change) {
	if c == profileChanged {
		h.errLabel.Hide()
		h.render()
		h.reload()
	}
}

// render shows the active profile, or that none is open.
func (h *profileHeader) render() {
	s := h.u.session
	h.where.TextStyle = fyne.TextStyle{Bold: s.active}
	if !s.active {
		h.where.SetText(lang.L("No profile open"))
		return
	}
	h.where.SetText(lang.L("Profile “{{.Name}}” · {{.Environment}} · {{.Endpoint}}", map[string]any{
		"Name": s.profile.Name, "Environment": environmentName(s.profile.Environment), "Endpoint": s.profile.Endpoint()}))
	if h.switcher.Selected != s.profile.Name && slices.Contains(h.switcher.Options, s.profile.Name) {
		h.switcher.SetSelected(s.profile.Name) // switchTo ignores the active profile
	}
}

// environmentName is how the header names the environment env.
func environmentName(env string) string {
	switch env {
	case storage.EnvDouyinSandbox:
		return lang.L("Douyin sandbox host")
	case storage.EnvSandbox:
		return lang.L("Local sandbox")
	case storage.EnvCustom:
		return lang.L("Custom server")
	}
	return lang.L("Douyin")
}

// reload reads the names of the stored profiles in the background.
func (h *profileHeader) reload() {
	h.gen++
	gen, st := h.gen, h.u.st
	h.u.background(nil, func(context.Context) func() {
		ps, err := st.Profiles()
		return func() {
			if h.gen == gen && err == nil {
				h.showNames(ps)
			}
		}
	})
}

// showNames offers the profiles ps in the switcher, the active one
// selected.
func (h *profileHeader) showNames(ps []storage.Profile) {
	names := make([]string, 0, len(ps))
	for _, p := range ps {
		names = append(names, p.Name)
	}
	h.switcher.SetOptions(names)
	h.switcher.ClearSelected()
	h.render()
	if len(names) == 0 {
		h.switcher.Disable()
	} else {
		h.switcher.Enable()
	}
}

// switchTo opens the profile name, read afresh with its secret, through
// the window's openProfile.
func (h *profileHeader) switchTo(name string) {
	u := h.u
	if name == "" || u.session.is(name) {
		return
	}
	u.leaveForm(func() { h.open(name) }, func() { h.switcher.ClearSelected(); h.render() })
}

// open opens the profile name.
func (h *profileHeader) open(name string) {
	u, st := h.u, h.u.st
	u.background(nil, func(context.Context) func() {
		p, err := st.Profile(name)
		var r profileRead
		if err == nil {
			r = readProfile(st, p, false)
		}
		return func() {
			if err != nil {
				setError(h.errLabel, message(err))
				h.reload()
				return
			}
			if problem := u.openProfile(r, tabAuthorize); problem != "" {
				setError(h.errLabel, problem)
				h.render()
			}
		}
	})
}
