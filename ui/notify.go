package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// notifier sends a system notification when a token of the active profile
// is about to expire, as set in the settings.
type notifier struct {
	u      *App
	timers []*time.Timer
}

func newNotifier(u *App) *notifier { return &notifier{u: u} }

// schedule replaces the pending notifications with ones for the accounts
// of the active profile.
func (n *notifier) schedule() {
	n.stop()
	u := n.u
	if !u.active {
		return
	}
	now := u.now()
	profile := u.profile.Name
	for _, a := range u.profile.Accounts {
		n.at(now, a.AccessExpiry, u.settings.NotifyAccessBefore, profile, a, lang.L("Access token"))
		n.at(now, a.RefreshExpiry, u.settings.NotifyRefreshBefore, profile, a, lang.L("Refresh token"))
	}
}

func (n *notifier) at(now, expiry time.Time, before time.Duration, profile string, a auth.Account, what string) {
	if expiry.IsZero() || before <= 0 || !expiry.After(now) {
		return
	}
	delay := expiry.Add(-before).Sub(now)
	if delay < 0 {
		delay = 0
	}
	u := n.u
	n.timers = append(n.timers, time.AfterFunc(delay, func() {
		fyne.Do(func() {
			left, _ := remaining(expiry, u.now(), before)
			u.fyne.SendNotification(fyne.NewNotification(
				lang.L("Douyin Auth Desk"),
				lang.L("{{.What}} of {{.Who}} ({{.Profile}}) expires in {{.Left}}.",
					map[string]any{"What": what, "Who": accountName(a), "Profile": profile, "Left": left})))
		})
	}))
}

// stop cancels every pending notification.
func (n *notifier) stop() {
	for _, t := range n.timers {
		t.Stop()
	}
	n.timers = nil
}

// setupTray adds a system tray menu when the driver supports one, and
// keeps the app in the tray on close when the settings ask for it.
func (u *App) setupTray() {
	desk, ok := u.fyne.(desktop.App)
	if !ok {
		return
	}
	u.updateTray = func() {
		desk.SetSystemTrayMenu(fyne.NewMenu(lang.L("Douyin Auth Desk"),
			fyne.NewMenuItem(lang.L("Show window"), func() { u.win.Show(); u.win.RequestFocus() }),
			fyne.NewMenuItem(lang.L("Tokens"), func() { u.win.Show(); u.show(tabTokens) }),
		))
	}
	u.updateTray()
	u.win.SetCloseIntercept(func() {
		if u.settings.KeepInTray {
			u.win.Hide()
			return
		}
		u.win.Close()
	})
}
