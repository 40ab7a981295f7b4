package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
)

// trayMenu lists the active profile's accounts, each with the next of its
// tokens to expire, and items that show the window.
func (u *Window) trayMenu() *fyne.Menu {
	showTokens := func() { u.win.Show(); u.show(tabTokens) }
	items := []*fyne.MenuItem{
		fyne.NewMenuItem(lang.L("Show window"), func() { u.win.Show(); u.win.RequestFocus() }),
		fyne.NewMenuItem(lang.L("Tokens"), showTokens),
	}
	if s := u.session; s.active && len(s.profile.Accounts) > 0 {
		items = append(items, fyne.NewMenuItemSeparator())
		for _, a := range s.profile.Accounts {
			what, when := lang.L("Access token"), a.AccessExpiry
			if a.RefreshExpiry.Before(when) {
				what, when = lang.L("Refresh token"), a.RefreshExpiry
			}
			label := lang.L("{{.Who}}: {{.What}} until {{.When}}", map[string]any{
				"Who": accountName(a), "What": what, "When": when.Local().Format(timeLayout)})
			items = append(items, fyne.NewMenuItem(label, showTokens))
		}
	}
	return fyne.NewMenu(lang.L("Douyin Auth Desk"), items...)
}

// setupTray adds a system tray menu when the driver supports one, and
// keeps the app in the tray on close when the settings ask for it.
func (u *Window) setupTray() {
	desk, ok := u.fyne.(desktop.App)
	if !ok {
		return
	}
	u.updateTray = func() { desk.SetSystemTrayMenu(u.trayMenu()) }
	u.updateTray()
	u.win.SetCloseIntercept(func() {
		if u.settings.KeepInTray {
			u.win.Hide()
			return
		}
		u.win.Close()
	})
}
