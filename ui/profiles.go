package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// profilesView lists the stored profiles and their accounts.
type profilesView struct {
	u        *Window
	content  fyne.CanvasObject
	profiles []storage.Profile
	selected int
	list     *widget.List
	errLabel *widget.Label

	openBtn, newBtn, dupBtn, delBtn *widget.Button
	// gen tells a reload's answer whether it is still wanted.
	gen int
	// reachable tells, by address, whether the sandbox profiles' servers
	// that are not the window's own answered when the list was read.
	reachable map[string]bool
}

func newProfilesView(u *Window) *profilesView {
	v := &profilesView{u: u, selected: -1, profiles: u.kept.profiles}
	v.list = widget.NewList(
		func() int { return len(v.profiles) },
		func() fyne.CanvasObject {
			title := heading("")
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, sub)
		},
		v.showItem,
	)
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = i; v.buttons() }
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1; v.buttons() }
	v.errLabel = hiddenNote("", widget.MediumImportance)
	v.openBtn = widget.NewButton(lang.L("Open"), v.open)
	v.openBtn.Importance = widget.HighImportance
	v.newBtn = widget.NewButton(lang.L("New"), v.create)
	v.dupBtn = widget.NewButton(lang.L("Duplicate"), v.duplicate)
	v.delBtn = widget.NewButton(lang.L("Delete"), v.remove)
	bar := actionRow([]fyne.CanvasObject{v.openBtn, v.newBtn, v.dupBtn, v.delBtn})
	v.content = container.NewBorder(bar, v.errLabel, nil, nil, v.list)
	v.reload()
	u.session.observe("profiles", v.sessionChanged)
	return v
}

// sessionChanged lists the profiles again once one was opened or an
// account added or forgotten.
func (v *profilesView) sessionChanged(c change) {
	if c == profileChanged || c == accountsChanged {
		v.reload()
	}
}

// showItem shows the profile i in the list item o, marking the active one.
func (v *profilesView) showItem(i widget.ListItemID, o fyne.CanvasObject) {
	box := o.(*fyne.Container)
	p := v.profiles[i]
	title := p.Name
	if v.u.session.is(p.Name) {
		title += "  ● " + lang.L("open now")
	}
	box.Objects[0].(*widget.Label).SetText(title)
	sub := box.Objects[1].(*widget.Label)
	text, imp := v.describe(p)
	sub.Text, sub.Importance = text, imp
	sub.Refresh()
}

// describe summarizes a profile: environment, accounts and the soonest
// expiry among its tokens.
func (v *profilesView) describe(p storage.Profile) (string, widget.Importance) {
	now := v.u.now()
	parts := []string{p.Environment + " · " + p.Endpoint(), lang.L("{{.N}} account(s)", map[string]any{"N": len(p.Accounts)})}
	imp := widget.MediumImportance
	var soonest time.Time
	who := ""
	for _, a := range p.Accounts {
		for _, t := range []time.Time{a.AccessExpiry, a.RefreshExpiry} {
			if !t.IsZero() && (soonest.IsZero() || t.Before(soonest)) {
				soonest, who = t, accountName(a)
			}
		}
	}
	if !soonest.IsZero() {
		left, i := remaining(soonest, now, v.u.settings.NotifyAccessBefore)
		parts = append(parts, lang.L("soonest expiry: {{.Who}} in {{.Left}}", map[string]any{"Who": who, "Left": left}))
		imp = i
	}
	if health, i := v.sandboxHealth(p); health != "" {
		parts = append(parts, health)
		imp = graver(imp, i)
	}
	return strings.Join(parts, " · "), imp
}

// reload reads the profiles from storage in the background and lists them.
func (v *profilesView) reload() {
	v.gen++
	gen, st, u := v.gen, v.u.st, v.u
	u.background(nil, func(context.Context) func() {
		ps, err := st.Profiles()
		up := probeSandboxes(ps)
		return func() {
			if v.gen != gen {
				return
			}
			v.reachable = up
			if err != nil {
				setError(v.errLabel, message(err))
			}
			u.kept.profiles = ps
			v.profiles = ps
			v.list.UnselectAll()
			v.selected = -1
			v.list.Refresh()
			v.buttons()
		}
	})
}

func (v *profilesView) buttons() {
	enable(v.selected >= 0, v.openBtn, v.dupBtn, v.delBtn)
}

// selectedProfile returns the profile selected in the list.
func (v *profilesView) selectedProfile() (storage.Profile, bool) {
	if v.selected < 0 || v.selected >= len(v.profiles) {
		return storage.Profile{}, false
	}
	return v.profiles[v.selected], true
}

// withSelected reads the secret of the selected profile in the background,
// then hands what it read to then.
func (v *profilesView) withSelected(then func(profileRead)) {
	p, ok := v.selectedProfile()
	if !ok {
		return
	}
	st := v.u.st
	v.u.background(nil, func(context.Context) func() {
		r := readProfile(st, p, false)
		return func() { then(r) }
	})
}

// open makes the selected profile active and shows its tokens.
func (v *profilesView) open() {
	v.u.leaveForm(v.openSelected, nil)
}

func (v *profilesView) openSelected() {
	v.withSelected(func(r profileRead) {
		if problem := v.u.openProfile(r, tabAuthorize); problem != "" {
			setError(v.errLabel, problem)
		} else {
			v.errLabel.Hide()
		}
	})
}

// create clears the credentials form for a new profile.
func (v *profilesView) create() {
	v.u.leaveForm(func() { v.u.editProfile(newDraft(), "") }, nil)
}

// duplicate fills the form with a copy of the selected profile under a new
// name; it is stored when saved.
func (v *profilesView) duplicate() {
	v.u.leaveForm(func() {
		v.withSelected(func(r profileRead) {
			name := r.profile.Name + "-copy"
			v.u.editProfile(profileDraft(r.profile, r.secret), freeName(v.profiles, name, name))
		})
	}, nil)
}

// freeName returns first, or stem-2, stem-3, …, whichever no profile of
// ps is named.
func freeName(ps []storage.Profile, first, stem string) string {
	taken := map[string]bool{}
	for _, p := range ps {
		taken[p.Name] = true
	}
	for i := 1; ; i++ {
		n := first
		if i > 1 {
			n = fmt.Sprintf("%s-%d", stem, i)
		}
		if !taken[n] {
			return n
		}
	}
}

// remove deletes the selected profile after confirmation.
func (v *profilesView) remove() {
	p, ok := v.selectedProfile()
	if !ok {
		return
	}
	confirm(v.u.win, lang.L("Delete profile"),
		lang.L("Delete “{{.Name}}” with its secret and all its tokens?", map[string]any{"Name": p.Name}),
		lang.L("Delete"), lang.L("Cancel"), widget.DangerImportance, func() { v.deleteProfile(p.Name) })
}

func (v *profilesView) deleteProfile(name string) {
	u, st := v.u, v.u.st
	u.background(nil, func(context.Context) func() {
		err := st.DeleteProfile(name)
		return func() {
			if err != nil {
				setError(v.errLabel, message(err))
				return
			}
			if u.session.is(name) {
				u.session.close() // which lists the profiles again
			} else {
				v.reload()
			}
		}
	})
}
