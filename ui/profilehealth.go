package ui

import (
	"net"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// sandboxHealth says whether the server of a sandbox profile runs: a
// sandbox keeps its tokens in memory, so a profile whose sandbox stopped
// cannot refresh until it runs again and the account authorizes again.
// It returns "" for other profiles.
func (v *profilesView) sandboxHealth(p storage.Profile) (string, widget.Importance) {
	if p.Environment != storage.EnvSandbox {
		return "", widget.MediumImportance
	}
	addr := hostPort(p.Endpoint())
	switch _, own := ownSandboxAddr(p); {
	case v.u.sbx.running[addr] != nil && v.u.sbx.fresh == addr && len(p.Accounts) > 0:
		return lang.L("sandbox restarted: authorize again"), widget.WarningImportance
	case v.u.sbx.running[addr] != nil || v.reachable[addr]:
		return lang.L("sandbox running"), widget.SuccessImportance
	case own:
		return lang.L("sandbox stopped: opening the profile starts it"), widget.WarningImportance
	}
	return lang.L("sandbox at {{.Addr}} not running", map[string]any{"Addr": addr}), widget.DangerImportance
}

// probeSandboxes tries the server of each sandbox profile of ps and returns
// which addresses took a connection. It blocks: call it in the background.
func probeSandboxes(ps []storage.Profile) map[string]bool {
	up := map[string]bool{}
	for _, p := range ps {
		if p.Environment != storage.EnvSandbox {
			continue
		}
		addr := hostPort(p.Endpoint())
		if _, done := up[addr]; done || addr == "" {
			continue
		}
		c, err := net.DialTimeout("tcp", addr, 300*time.Millisecond)
		if err == nil {
			c.Close()
		}
		up[addr] = err == nil
	}
	return up
}

// graver returns whichever of a and b warns more: danger, then warning,
// then a.
func graver(a, b widget.Importance) widget.Importance {
	rank := func(i widget.Importance) int {
		switch i {
		case widget.DangerImportance:
			return 2
		case widget.WarningImportance:
			return 1
		}
		return 0
	}
	if rank(b) > rank(a) {
		return b
	}
	return a
}
