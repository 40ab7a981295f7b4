package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// watchConnection is told of every call of p's flow: a sandbox profile's
// server that refused the connection is reported in the banner, with the
// action that starts it. The raw error stays in the HTTP log's entry.
func (u *Window) watchConnection(p storage.Profile, e auth.LogEntry) {
	if p.Environment != storage.EnvSandbox || !isDialFailure(e.Err) {
		return
	}
	addr := hostPort(p.Endpoint())
	_, own := ownSandboxAddr(p)
	u.do(func() {
		u.sbx.down, u.sbx.ownDown, u.sbx.startErr = addr, own, ""
		u.refreshBanner()
	})
}

// explainFor renders err of a call made for p: a sandbox that is not
// running in one sentence that says what to do, anything else as message
// does.
func explainFor(p storage.Profile, err error) string {
	if p.Environment == storage.EnvSandbox && isDialFailure(err) {
		return lang.L("The sandbox at {{.Addr}} is not running — start it with “Start it” at the top of the window.",
			map[string]any{"Addr": hostPort(p.Endpoint())})
	}
	return message(err)
}

// explain is explainFor of the active profile, for the screens' error
// labels.
func (u *Window) explain(err error) string { return explainFor(u.session.profile, err) }

// sandboxBanner returns what the banner says of the sandboxes: one that
// is not running, with Start it, or one started again, whose accounts must
// authorize again.
func (u *Window) sandboxBanner() []fyne.CanvasObject {
	var out []fyne.CanvasObject
	if addr := u.sbx.down; addr != "" {
		text := lang.L("The sandbox at {{.Addr}} is not running.", map[string]any{"Addr": addr})
		if !u.sbx.ownDown {
			text = lang.L("The sandbox at {{.Addr}} is not running: start the sandbox that serves this app there.",
				map[string]any{"Addr": addr})
		}
		if u.sbx.startErr != "" {
			text += " " + u.sbx.startErr
		}
		l := wrapped(text)
		l.Importance = widget.DangerImportance
		if !u.sbx.ownDown {
			out = append(out, l)
		} else {
			start := widget.NewButton(lang.L("Start it"), func() { u.startDownSandbox(addr) })
			start.Importance = widget.HighImportance
			out = append(out, container.NewBorder(nil, nil, nil, start, l))
		}
	}
	if addr := u.sbx.fresh; addr != "" {
		l := wrapped(lang.L("The sandbox at {{.Addr}} was started again. It keeps tokens in memory only, so it knows none of the tokens issued before: authorize the accounts again.",
			map[string]any{"Addr": addr}))
		l.Importance = widget.WarningImportance
		again := widget.NewButton(lang.L("Authorize again"), func() {
			u.sbx.fresh = ""
			u.refreshBanner()
			u.reauthorize()
		})
		out = append(out, container.NewBorder(nil, nil, nil, again, l))
	}
	return out
}

// startDownSandbox starts the window's sandbox at addr, where a sandbox
// profile's server refused a connection.
func (u *Window) startDownSandbox(addr string) {
	u.startSandboxAt(addr, func(err error) {
		u.sbx.startErr = lang.L("It could not be started: {{.Error}}", map[string]any{"Error": message(err)})
		u.refreshBanner()
	})
}
