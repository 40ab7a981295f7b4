package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// durationUnits are the units of formatDuration in each language: days,
// hours, minutes, seconds. Chinese sets a space between number and unit.
var durationUnits = map[string][4]string{
	"en": {"d", "h", "m", "s"},
	"zh": {" 天", " 小时", " 分", " 秒"},
}

// formatDuration renders d in language lng ("en" or "zh", as currentLang
// answers) as days, hours, minutes and seconds, leaving out leading zero
// units: "14d 23h 59m", "5m 0s", "42s"; "14 天 23 小时 59 分". Seconds show
// only in the last hour, where they matter: a longer time changes its text
// once a minute, so a window of month-long countdowns redraws once a minute,
// not every second. Parts of a unit left out are dropped, not rounded.
func formatDuration(d time.Duration, lng string) string {
	if d < 0 {
		d = 0
	}
	units, ok := durationUnits[lng]
	if !ok {
		units = durationUnits["en"]
	}
	s := int64(d / time.Second)
	values := [4]int64{s / 86400, s % 86400 / 3600, s % 3600 / 60, s % 60}
	first, last := 0, 3
	for first < 3 && values[first] == 0 {
		first++
	}
	if d >= time.Hour {
		last = 2
	}
	parts := make([]string, 0, 4)
	for i := first; i <= last; i++ {
		parts = append(parts, fmt.Sprintf("%d%s", values[i], units[i]))
	}
	return strings.Join(parts, " ")
}

// remaining describes how long is left until expiry and how urgent it is:
// expired is danger, under a quarter of warn (at most an hour) danger,
// under warn a warning. The time is in the window's language.
func remaining(expiry, now time.Time, warn time.Duration) (string, widget.Importance) {
	if expiry.IsZero() {
		return lang.L("unknown"), widget.LowImportance
	}
	d := expiry.Sub(now)
	switch {
	case d <= 0:
		return lang.L("expired"), widget.DangerImportance
	case d < min(warn/4, time.Hour):
		return formatDuration(d, currentLang()), widget.DangerImportance
	case d < warn:
		return formatDuration(d, currentLang()), widget.WarningImportance
	}
	return formatDuration(d, currentLang()), widget.SuccessImportance
}

// countdown is a label showing the time left until expiry, and a bar of
// the life left.
type countdown struct {
	label  *widget.Label
	bar    *lifeBar
	expiry time.Time
	warn   time.Duration
	// start is when the life began, and life its length when start is
	// unknown.
	start time.Time
	life  time.Duration
	// wrap turns the remaining time into the label's text; nil shows it as is.
	wrap func(string) string

	text string
	imp  widget.Importance
}

func newCountdown(expiry time.Time, warn time.Duration, wrap func(string) string) *countdown {
	l := widget.NewLabel("")
	l.TextStyle = fyne.TextStyle{Monospace: true}
	return &countdown{label: l, bar: newLifeBar(), expiry: expiry, warn: warn, wrap: wrap, imp: -1}
}

// lifeLeft is the time left until expiry and the whole life it is part of.
func (c *countdown) lifeLeft(now time.Time) (left, life time.Duration) {
	life = c.life
	if !c.start.IsZero() && c.expiry.After(c.start) {
		life = c.expiry.Sub(c.start)
	}
	if c.expiry.IsZero() {
		return 0, life
	}
	return c.expiry.Sub(now), life
}

// update sets the label for now and refreshes it only if its text or
// colour changed; it reports whether it did.
func (c *countdown) update(now time.Time) bool {
	text, imp := remaining(c.expiry, now, c.warn)
	if c.wrap != nil {
		text = c.wrap(text)
	}
	left, life := c.lifeLeft(now)
	barChanged := c.bar.set(left, life, imp)
	if text == c.text && imp == c.imp {
		return barChanged
	}
	c.text, c.imp = text, imp
	c.label.Text, c.label.Importance = text, imp
	c.label.Refresh()
	return true
}

// clock is the one ticker of the window. It updates every countdown the
// screens registered and runs only while one is visible.
type clock struct {
	u      *Window
	groups map[string][]*countdown
	stop   context.CancelFunc
}

func newClock(u *Window) *clock {
	return &clock{u: u, groups: make(map[string][]*countdown)}
}

// set replaces the countdowns of one screen.
func (c *clock) set(owner string, cds []*countdown) {
	c.groups[owner] = cds
	now := c.u.now()
	for _, cd := range cds {
		cd.update(now)
	}
}

// reset forgets every countdown.
func (c *clock) reset() { c.groups = make(map[string][]*countdown) }

// tick updates every countdown for the current time and returns how many
// labels changed.
func (c *clock) tick() int {
	now := c.u.now()
	changed := 0
	for _, cds := range c.groups {
		for _, cd := range cds {
			if cd.update(now) {
				changed++
			}
		}
	}
	return changed
}

// running reports whether the ticker goroutine is active.
func (c *clock) running() bool { return c.stop != nil }

// run starts or stops the ticker.
func (c *clock) run(on bool) {
	if !on || c.u.tickEvery <= 0 {
		if c.stop != nil {
			c.stop()
			c.stop = nil
		}
		return
	}
	if c.stop != nil {
		return
	}
	ctx, cancel := context.WithCancel(c.u.ctx)
	c.stop = cancel
	every := c.u.tickEvery
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fyne.Do(func() {
					if ctx.Err() == nil {
						c.tick()
					}
				})
			}
		}
	}()
}
