package ui

import (
	"context"

	"fyne.io/fyne/v2/widget"
)

// background runs work in the background with busy shown, then runs the function
// work returns on the UI goroutine.
func (u *Window) background(b *busy, work func(ctx context.Context) func()) {
	if b != nil {
		b.start()
	}
	u.jobs.Add(1)
	u.running.Add(1)
	go func() {
		defer u.jobs.Done()
		defer u.running.Add(-1)
		done := work(u.ctx)
		u.do(func() {
			if b != nil {
				b.stop()
			}
			if done != nil {
				done()
			}
		})
	}()
}

// wait blocks until every background job has finished.
func (u *Window) wait() { u.jobs.Wait() }

// busy disables buttons and shows activity while a job runs.
type busy struct {
	buttons  []*widget.Button
	activity *widget.Activity
	n        int
	// after, when set, runs once the buttons are enabled again.
	after func()
}

func newBusy(buttons ...*widget.Button) *busy {
	a := widget.NewActivity()
	a.Hide()
	return &busy{buttons: buttons, activity: a}
}

func (b *busy) start() {
	b.n++
	for _, btn := range b.buttons {
		btn.Disable()
	}
	b.activity.Show()
	b.activity.Start()
}

func (b *busy) stop() {
	b.n--
	if b.n > 0 {
		return
	}
	b.n = 0
	for _, btn := range b.buttons {
		btn.Enable()
	}
	b.activity.Stop()
	b.activity.Hide()
	if b.after != nil {
		b.after()
	}
}

// running reports whether a job is in progress.
func (b *busy) running() bool { return b.n > 0 }
