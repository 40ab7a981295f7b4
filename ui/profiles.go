package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// profilesView lists the stored profiles and their accounts.
type profilesView struct {
	u        *App
	content  fyne.CanvasObject
	profiles []storage.Profile
	selected int
	list     *widget.List
	errLabel *widget.Label

	openBtn, newBtn, dupBtn, delBtn *widget.Button
	// gen tells a reload's answer whether it is still wanted.
	gen int
}

func newProfilesView(u *App) *profilesView {
	v := &profilesView{u: u, selected: -1, profiles: u.profileList}
	v.list = widget.NewList(
		func() int { return len(v.profiles) },
		func() fyne.CanvasObject {
			title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			sub := widget.NewLabel("")
			sub.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(title, sub)
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			box := o.(*fyne.Container)
			p := v.profiles[i]
			title := p.Name
			if u.active && u.profile.Name == p.Name {
				title += "  ●"
			}
			box.Objects[0].(*widget.Label).SetText(title)
			sub := box.Objects[1].(*widget.Label)
			text, imp := v.describe(p)
			sub.Text, sub.Importance = text, imp
			sub.Refresh()
		},
	)
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = i; v.buttons() }
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1; v.buttons() }
	v.errLabel = widget.NewLabel("")
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errLabel.Hide()
	v.openBtn = widget.NewButton(lang.L("Open"), v.open)
	v.openBtn.Importance = widget.HighImportance
	v.newBtn = widget.NewButton(lang.L("New"), v.create)
	v.dupBtn = widget.NewButton(lang.L("Duplicate"), v.duplicate)
	v.delBtn = widget.NewButton(lang.L("Delete"), v.remove)
	bar := container.NewHBox(v.openBtn, v.newBtn, v.dupBtn, v.delBtn)
	v.content = container.NewBorder(bar, v.errLabel, nil, nil, v.list)
	v.reload()
	return v
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
	return strings.Join(parts, " · "), imp
}

// reload reads the profiles from storage in the background and lists them.
func (v *profilesView) reload() {
	v.gen++
	gen, st, u := v.gen, v.u.st, v.u
	u.background(nil, func(context.Context) func() {
		ps, err := st.Profiles()
		return func() {
			if v.gen != gen {
				return
			}
			if err != nil {
				setError(v.errLabel, message(err))
			}
			u.profileList = ps
			v.profiles = ps
			v.list.UnselectAll()
			v.selected = -1
			v.list.Refresh()
			v.buttons()
		}
	})
}

func (v *profilesView) buttons() {
	for _, b := range []*widget.Button{v.openBtn, v.dupBtn, v.delBtn} {
		if v.selected >= 0 {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// open makes the selected profile active and shows its tokens.
func (v *profilesView) open() {
	if v.selected < 0 || v.selected >= len(v.profiles) {
		return
	}
	p := v.profiles[v.selected]
	st := v.u.st
	v.u.background(nil, func(context.Context) func() {
		secret, err := st.Secret(p.Name)
		return func() {
			v.u.creds.load(p, secret)
			if err != nil {
				setError(v.errLabel, lang.L("The client secret of “{{.Name}}” is not available ({{.Err}}); enter it in step 1.",
					map[string]any{"Name": p.Name, "Err": message(err)}))
				v.u.show(tabCredentials)
				return
			}
			v.errLabel.Hide()
			v.u.activate(p, secret, nil)
			if len(p.Accounts) > 0 {
				v.u.show(tabTokens)
			} else {
				v.u.show(tabAuthorize)
			}
		}
	})
}

// create clears the credentials form for a new profile.
func (v *profilesView) create() {
	v.u.creds.setDraft(credentialsDraft{Scopes: DefaultScopes, Environment: storage.EnvDouyin, CallbackMode: storage.ModeLoopback})
	v.u.creds.clearErrors()
	v.u.show(tabCredentials)
}

// duplicate fills the form with a copy of the selected profile under a new
// name; it is stored when saved.
func (v *profilesView) duplicate() {
	if v.selected < 0 || v.selected >= len(v.profiles) {
		return
	}
	p := v.profiles[v.selected]
	st := v.u.st
	v.u.background(nil, func(context.Context) func() {
		secret, _ := st.Secret(p.Name)
		return func() {
			v.u.creds.load(p, secret)
			v.u.creds.name.SetText(v.freeName(p.Name))
			v.u.show(tabCredentials)
		}
	})
}

// freeName returns name-copy, name-copy-2, … whichever is not taken.
func (v *profilesView) freeName(name string) string {
	taken := map[string]bool{}
	for _, p := range v.profiles {
		taken[p.Name] = true
	}
	for i := 1; ; i++ {
		n := name + "-copy"
		if i > 1 {
			n = fmt.Sprintf("%s-copy-%d", name, i)
		}
		if !taken[n] {
			return n
		}
	}
}

// remove deletes the selected profile after confirmation.
func (v *profilesView) remove() {
	if v.selected < 0 || v.selected >= len(v.profiles) {
		return
	}
	name := v.profiles[v.selected].Name
	dialog.ShowConfirm(lang.L("Delete profile"),
		lang.L("Delete “{{.Name}}” with its secret and all its tokens?", map[string]any{"Name": name}),
		func(ok bool) {
			if ok {
				v.deleteProfile(name)
			}
		}, v.u.win)
}

func (v *profilesView) deleteProfile(name string) {
	st := v.u.st
	v.u.background(nil, func(context.Context) func() {
		err := st.DeleteProfile(name)
		return func() {
			if err != nil {
				setError(v.errLabel, message(err))
				return
			}
			if v.u.active && v.u.profile.Name == name {
				v.u.deactivate()
			}
			v.reload()
		}
	})
}
