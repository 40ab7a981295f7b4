package ui

import (
	"context"
	"sync"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// logKeeping orders the writes of the kept HTTP log: one at a time, and a
// change made during a write is written by a next one.
type logKeeping struct {
	sync.Mutex
	writing, again bool
}

// keepLog writes the HTTP log to storage, off the UI goroutine, when the
// settings keep it across restarts. Its texts are the masked ones shown.
func (u *Window) keepLog() {
	if !u.settings.KeepHTTPLog {
		return
	}
	k := &u.logKeep
	k.Lock()
	if k.writing {
		k.again = true
		k.Unlock()
		return
	}
	k.writing = true
	k.Unlock()
	st, log := u.st, u.log
	u.background(nil, func(context.Context) func() {
		for {
			err := st.SaveHTTPLog(log.snapshot())
			k.Lock()
			if err != nil || !k.again {
				k.writing, k.again = false, false
				k.Unlock()
				return u.logKeptError(err)
			}
			k.again = false
			k.Unlock()
		}
	})
}

// logKeptError returns what shows in the log view why the log could not
// be kept, or clears that once it was.
func (u *Window) logKeptError(err error) func() {
	return func() {
		u.kept.logError = err
		if u.logView == nil {
			return
		}
		if err != nil {
			setError(u.logView.status, message(err))
		} else {
			u.logView.status.Hide()
		}
	}
}

// logChanged tells the log view, when built, that the log changed, and
// keeps the log.
func (u *Window) logChanged() {
	if u.logView != nil {
		u.logView.refresh()
	}
	u.keepLog()
}

// restoreLog reads the log kept by an earlier run, when the settings keep
// it, and puts it before what this run logged.
func (u *Window) restoreLog() {
	if !u.settings.KeepHTTPLog {
		return
	}
	st := u.st
	u.background(nil, func(context.Context) func() {
		entries, err := st.HTTPLog()
		return func() {
			if err != nil {
				u.logKeptError(err)()
				return
			}
			u.log.restore(entries)
		}
	})
}

// dropKeptLog deletes the kept log, once the settings stop keeping it.
func (u *Window) dropKeptLog() {
	st := u.st
	u.background(nil, func(context.Context) func() { return u.logKeptError(st.DeleteHTTPLog()) })
}

// restore puts entries, logged by an earlier run, before the log's own,
// and tells the view. It runs on the UI goroutine.
func (l *httpLog) restore(entries []auth.LogEntry) {
	l.mu.Lock()
	all := append(append([]auth.LogEntry(nil), entries...), l.entries...)
	l.entries = all[max(len(all)-maxLogEntries, 0):]
	changed := l.changed
	l.mu.Unlock()
	if changed != nil {
		changed()
	}
}
