package ui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// maxSleep bounds how long the scheduler's timer waits: timers do not count
// the time a machine sleeps, so the plan is checked again at least this often.
const maxSleep = time.Hour

// stopper is a pending timer.
type stopper interface{ Stop() bool }

// dueKind is what the scheduler does when an event falls due.
type dueKind int

const (
	dueNotifyAccess  dueKind = iota // notify: the access token expires soon
	dueNotifyRefresh                // notify: the refresh token expires soon
	dueAutoRefresh                  // refresh the access token
)

// dueEvent is one thing the scheduler does for an account at a time.
type dueEvent struct {
	kind    dueKind
	account auth.Account
	at      time.Time // when it falls due
	expiry  time.Time // the expiry it is about
}

// key identifies the event for one expiry, so that it happens once.
func (e dueEvent) key(profile string) string {
	return profile + "\x00" + e.account.OpenID + "\x00" + strconv.Itoa(int(e.kind)) + "\x00" +
		strconv.FormatInt(e.expiry.UnixNano(), 10)
}

// schedule plans the expiry notifications and automatic refreshes of
// accounts for now: it returns the events due (at or before now) that done
// does not hold yet, and the time the next one falls due (zero if none).
// A notification is due the configured time before its token expires and
// only while the token lives; an automatic refresh is due when the access
// token has less than AutoRefreshBelow left, but not before half its life,
// and the refresh token lives.
func schedule(now time.Time, s storage.Settings, profile string, accounts []auth.Account, done map[string]bool) (due []dueEvent, next time.Time) {
	consider := func(e dueEvent) {
		if done[e.key(profile)] {
			return
		}
		if !e.at.After(now) {
			due = append(due, e)
		} else if next.IsZero() || e.at.Before(next) {
			next = e.at
		}
	}
	for _, a := range accounts {
		for _, n := range []struct {
			kind   dueKind
			expiry time.Time
			before time.Duration
		}{
			{dueNotifyAccess, a.AccessExpiry, s.NotifyAccessBefore},
			{dueNotifyRefresh, a.RefreshExpiry, s.NotifyRefreshBefore},
		} {
			if n.expiry.IsZero() || n.before <= 0 || !n.expiry.After(now) {
				continue
			}
			consider(dueEvent{kind: n.kind, account: a, at: n.expiry.Add(-n.before), expiry: n.expiry})
		}
		if s.AutoRefreshBelow > 0 && !a.AccessExpiry.IsZero() && now.Before(a.RefreshExpiry) {
			at := a.AccessExpiry.Add(-s.AutoRefreshBelow)
			// A threshold longer than the token lives would refresh every
			// new token at once, without end: wait half its life at least.
			if !a.AccessObtained.IsZero() {
				if half := a.AccessObtained.Add(a.AccessExpiry.Sub(a.AccessObtained) / 2); at.Before(half) {
					at = half
				}
			}
			consider(dueEvent{kind: dueAutoRefresh, account: a, at: at, expiry: a.AccessExpiry})
		}
	}
	return due, next
}

// scheduler sends the expiry notifications and runs the automatic
// refreshes of the active profile whatever the window shows, with one timer
// set for the next event and set again after every change.
type scheduler struct {
	u     *Window
	timer stopper
	gen   int
	done  map[string]bool
}

func newScheduler(u *Window) *scheduler { return &scheduler{u: u, done: make(map[string]bool)} }

// reschedule runs what is due now and sets the timer for what comes next.
// It runs on the UI goroutine.
func (s *scheduler) reschedule() {
	if s.u.updateTray != nil {
		s.u.updateTray()
	}
	s.stop()
	u := s.u
	if !u.session.active {
		return
	}
	now := u.now()
	profile := u.session.profile.Name
	due, next := schedule(now, u.settings, profile, u.session.profile.Accounts, s.done)
	for _, e := range due {
		s.done[e.key(profile)] = true
	}
	for _, e := range due {
		s.run(e, now)
	}
	if !u.session.is(profile) || s.timer != nil {
		return // running an event changed the plan and set the timer again
	}
	wait := maxSleep
	if !next.IsZero() {
		wait = min(max(next.Sub(now), 0), maxSleep)
	}
	s.gen++
	gen := s.gen
	s.timer = u.afterFunc(wait, func() {
		u.do(func() {
			if s.gen == gen {
				s.timer = nil
				s.reschedule()
			}
		})
	})
}

// sessionChanged plans again for the new profile, accounts, expiries or
// thresholds.
func (s *scheduler) sessionChanged(change) { s.reschedule() }

// run does what e asks.
func (s *scheduler) run(e dueEvent, now time.Time) {
	u := s.u
	switch e.kind {
	case dueNotifyAccess, dueNotifyRefresh:
		what, before := lang.L("Access token"), u.settings.NotifyAccessBefore
		if e.kind == dueNotifyRefresh {
			what, before = lang.L("Refresh token"), u.settings.NotifyRefreshBefore
		}
		left, _ := remaining(e.expiry, now, before)
		u.fyne.SendNotification(fyne.NewNotification(lang.L("Douyin Auth Desk"),
			lang.L("{{.What}} of {{.Who}} ({{.Profile}}) expires in {{.Left}}.",
				map[string]any{"What": what, "Who": accountName(e.account), "Profile": u.session.profile.Name, "Left": left})))
	case dueAutoRefresh:
		u.tokens.autoRefresh(e.account.OpenID)
	}
}

// stop cancels the pending timer.
func (s *scheduler) stop() {
	s.gen++
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
}
