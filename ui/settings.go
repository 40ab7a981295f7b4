package ui

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// languageChoices are the settings' language values, in the order shown.
var languageChoices = []string{languageSystem, languageChinese, languageEnglish}

// settingsView edits the app-wide settings.
type settingsView struct {
	u       *Window
	content fyne.CanvasObject

	language                                 *widget.RadioGroup
	notifyAccess, notifyRefresh, autoRefresh *widget.Entry
	sandboxPort                              *widget.Entry
	keepInTray, keepLog                      *widget.Check
	status                                   *widget.Label
	saveBtn                                  *widget.Button
	busy                                     *busy
}

func newSettingsView(u *Window) *settingsView {
	v := &settingsView{u: u}
	// The language names are shown in their own language.
	options := []string{lang.L("Follow system"), "中文", "English"}
	v.language = widget.NewRadioGroup(options, nil)
	v.language.SetSelected(options[max(slices.Index(languageChoices, u.settings.Language), 0)])
	v.language.OnChanged = func(s string) {
		i := slices.Index(options, s)
		if i < 0 || languageChoices[i] == u.settings.Language {
			return
		}
		u.setLanguage(languageChoices[i])
		u.saveSettings()
	}
	v.notifyAccess = hoursEntry(u.settings.NotifyAccessBefore)
	v.notifyRefresh = hoursEntry(u.settings.NotifyRefreshBefore)
	v.autoRefresh = hoursEntry(u.settings.AutoRefreshBelow)
	v.sandboxPort = portEntry(u.sandboxPort())
	v.keepInTray = widget.NewCheck(lang.L("Closing the window keeps the app in the system tray"), nil)
	v.keepInTray.SetChecked(u.settings.KeepInTray)
	v.keepLog = widget.NewCheck(lang.L("Keep the HTTP log across restarts (masked, as shown)"), nil)
	v.keepLog.SetChecked(u.settings.KeepHTTPLog)
	v.status = hiddenNote("", widget.MediumImportance)
	v.saveBtn = widget.NewButton(lang.L("Save settings"), v.save)
	v.saveBtn.Importance = widget.HighImportance
	v.busy = newBusy(v.saveBtn)

	// Labelled fields stacked, not a form: the labels are sentences, and
	// wrap in a narrow window.
	fields := container.NewVBox(
		labelled(lang.L("Language"), v.language),
		labelled(lang.L("Notify before an access token expires (hours)"), v.notifyAccess),
		labelled(lang.L("Notify before a refresh token expires (hours)"), v.notifyRefresh),
		labelled(lang.L("Refresh access tokens automatically below (hours, 0 = off)"), v.autoRefresh),
		labelled(lang.L("Port of the built-in sandbox (the next free one when taken)"), v.sandboxPort),
		v.keepInTray,
		v.keepLog,
	)
	v.content = container.NewVScroll(container.NewVBox(fields, actionRow([]fyne.CanvasObject{v.saveBtn, v.busy.activity}), v.status))
	return v
}

func hoursEntry(d time.Duration) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(strconv.FormatFloat(d.Hours(), 'f', -1, 64))
	e.Validator = func(s string) error {
		_, err := parseHours(s)
		return err
	}
	return e
}

// parseHours reads a non-negative number of hours.
func parseHours(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 || f > 24*365 {
		return 0, &auth.FieldError{Field: auth.Field(lang.L("hours")), Reason: auth.ReasonMalformed, Value: s}
	}
	return time.Duration(f * float64(time.Hour)), nil
}

func portEntry(port int) *widget.Entry {
	e := widget.NewEntry()
	e.SetText(strconv.Itoa(port))
	e.Validator = func(s string) error {
		_, err := parsePort(s)
		return err
	}
	return e
}

// parsePort reads a TCP port, 1 to 65535.
func parsePort(s string) (int, error) {
	p, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || p < 1 || p > 65535 {
		return 0, &auth.FieldError{Field: auth.FieldSandboxPort, Reason: auth.ReasonMalformed, Value: s}
	}
	return p, nil
}

// save stores the thresholds, the sandbox's port, the tray choice and
// whether the HTTP log is kept; a sandbox running already stays on its
// port until the app restarts.
func (v *settingsView) save() {
	u := v.u
	s := u.settings
	var err error
	for _, f := range []struct {
		e *widget.Entry
		d *time.Duration
	}{{v.notifyAccess, &s.NotifyAccessBefore}, {v.notifyRefresh, &s.NotifyRefreshBefore}, {v.autoRefresh, &s.AutoRefreshBelow}} {
		if *f.d, err = parseHours(f.e.Text); err != nil {
			setError(v.status, message(err))
			return
		}
	}
	if s.SandboxPort, err = parsePort(v.sandboxPort.Text); err != nil {
		setError(v.status, message(err))
		return
	}
	s.KeepInTray = v.keepInTray.Checked
	s.KeepHTTPLog = v.keepLog.Checked
	keptLog := u.settings.KeepHTTPLog
	u.settings = s
	u.saveSettingsThen(v.busy, func(err error) {
		if err != nil {
			setError(v.status, message(err))
			return
		}
		switch {
		case s.KeepHTTPLog:
			u.keepLog()
		case keptLog:
			u.dropKeptLog()
		}
		note(v.status, lang.L("Settings saved."), widget.SuccessImportance)
		u.session.notify(settingsChanged)
	})
}

// saveSettings stores the current settings in the background.
func (u *Window) saveSettings() { u.saveSettingsThen(nil, nil) }

func (u *Window) saveSettingsThen(b *busy, done func(error)) {
	s, st := u.settings, u.st
	saves := &u.settingsSaves
	saves.Lock()
	saves.queued++
	n := saves.queued
	saves.Unlock()
	u.background(b, func(context.Context) func() {
		saves.Lock()
		var err error
		if n > saves.written { // a newer write went first: keep it
			err = st.SaveSettings(s)
			if err == nil {
				saves.written = n
			}
		}
		saves.Unlock()
		return func() {
			if done != nil {
				done(err)
			}
		}
	})
}
