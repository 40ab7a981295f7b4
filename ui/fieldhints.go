package ui

import (
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// Each field of the credentials form has one line below it: a hint saying
// what goes there, which the field's error replaces while there is one. The
// line is always there, so the form does not jump as errors come and go.

// newHints creates the hint line of each field, and the callback mode's.
func (v *credentialsView) newHints() {
	v.hints = make(map[auth.Field]*widget.Label)
	for _, f := range formFields {
		v.hints[f] = caption(wrapped(""))
		caption(v.errs[f])
	}
	v.modeHint = caption(wrapped(""))
	v.showHintTexts()
}

// caption sets l in the caption size.
func caption(l *widget.Label) *widget.Label {
	l.SizeName = theme.SizeNameCaptionText
	return l
}

// showHintTexts fills the hints that depend on the environment and the
// callback mode, as well as the fixed ones, in the current language.
func (v *credentialsView) showHintTexts() {
	if v.hints == nil {
		return
	}
	env, mode := v.selectedEnvironment(), v.selectedMode()
	texts := map[auth.Field]string{
		auth.FieldName:          lang.L("Your name for this app, on this machine only."),
		auth.FieldBaseURL:       baseURLHint(env),
		auth.FieldClientKey:     lang.L("From Console › My apps › Website apps › App info."),
		auth.FieldClientSecret:  lang.L("Kept only in the system keyring, never in a file."),
		auth.FieldScope:         lang.L("Comma-separated; “Add a scope…” says what each one grants."),
		auth.FieldOptionalScope: lang.L("Pairs of scope and 0 or 1: 1 ticks it on the consent page by default."),
		auth.FieldRedirectURI:   lang.L("Exactly as registered in the console: the browser returns there with the code."),
	}
	for f, l := range v.hints {
		l.SetText(texts[f])
	}
	v.modeHint.SetText(modeHint(mode))
	v.baseURL.SetPlaceHolder(baseURLPlaceholder(env, v.u.sandboxPort()))
	v.syncHints()
}

// syncHints shows each field's hint while its error line is hidden.
func (v *credentialsView) syncHints() {
	for f, h := range v.hints {
		if v.errs[f].Visible() || h.Text == "" {
			h.Hide()
		} else {
			h.Show()
		}
	}
}

// baseURLHint explains the base URL of env; for a custom server it says
// what such a server is.
func baseURLHint(env string) string {
	switch env {
	case storage.EnvSandbox:
		return lang.L("The sandbox built into this app: its address is filled in when it starts.")
	case storage.EnvCustom:
		return lang.L("Custom server: any server that speaks the Douyin OAuth contract, such as a company gateway or a mock.")
	}
	return lang.L("Fixed by the environment.")
}

// baseURLPlaceholder is the base URL field's placeholder for env.
func baseURLPlaceholder(env string, sandboxPort int) string {
	switch env {
	case storage.EnvSandbox:
		return lang.L("Filled in when the sandbox starts (http://127.0.0.1:{{.Port}})",
			map[string]any{"Port": sandboxPort})
	case storage.EnvCustom:
		return "https://gateway.example.com"
	case storage.EnvDouyinSandbox:
		return auth.PlatformSandboxURL
	}
	return auth.DefaultBaseURL
}

// modeHint explains the callback mode.
func modeHint(mode string) string {
	switch mode {
	case storage.ModePaste:
		return lang.L("After consent, copy the browser's address bar into step 2.")
	case storage.ModeRelay:
		return lang.L("Relay page: a small page you host at the registered redirect URI forwards code and state to this app.")
	}
	return lang.L("This app listens at the redirect URI's loopback address and receives the code itself.")
}

// selectedEnvironment is the environment chosen in the form.
func (v *credentialsView) selectedEnvironment() string {
	return environments[max(v.environment.SelectedIndex(), 0)]
}

// selectedMode is the callback mode chosen in the form.
func (v *credentialsView) selectedMode() string {
	return callbackModes[max(v.mode.SelectedIndex(), 0)]
}
