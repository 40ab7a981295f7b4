package ui

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// check builds the profile and secret from the form and returns every
// problem with them, each naming its field.
func (v *credentialsView) check() (storage.Profile, string, []error) {
	d := v.draft()
	p := storage.Profile{
		Name: strings.TrimSpace(d.Name), Environment: d.Environment, BaseURL: strings.TrimSpace(d.BaseURL),
		ClientKey: d.ClientKey, Scopes: auth.SplitScopes(d.Scopes), OptionalScope: strings.TrimSpace(d.OptionalScope),
		RedirectURI: strings.TrimSpace(d.RedirectURI), CallbackMode: d.CallbackMode,
		RelayTarget: strings.TrimSpace(d.RelayTarget),
	}
	var errs []error
	if err := storage.ValidateName(p.Name); err != nil {
		errs = append(errs, err)
	}
	if storage.UsesBaseURL(p.Environment) {
		if err := storage.ValidateBaseURL(p.BaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	app := auth.Credentials{ClientKey: p.ClientKey, ClientSecret: d.ClientSecret, Scopes: p.Scopes,
		OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI}
	errs = append(errs, app.Problems()...)
	if auth.ValidateRedirectURI(p.RedirectURI) == nil {
		if err := storage.ValidateCallback(p.CallbackMode, p.RedirectURI); err != nil {
			errs = append(errs, err)
		}
	}
	if p.CallbackMode == storage.ModeRelay && relayTargetError(p.RelayTarget) != "" {
		errs = append(errs, &auth.FieldError{Field: auth.FieldRelayTarget, Reason: auth.ReasonMalformed, Value: p.RelayTarget})
	}
	return p, d.ClientSecret, errs
}

// profile validates the form, showing every problem next to its field.
func (v *credentialsView) profile() (storage.Profile, string, bool) {
	v.clearErrors()
	p, secret, errs := v.check()
	for _, err := range errs {
		v.showFieldError(err)
	}
	return p, secret, len(errs) == 0
}

// liveCheck runs as the form is edited: it keeps the form for a rebuilt
// view, problems with edited fields show next to them, the first problem
// with an untouched field shows above the buttons, and Save stays disabled
// until the form is valid.
func (v *credentialsView) liveCheck() {
	if v.pending == nil || v.busy == nil {
		return
	}
	v.u.kept.credentials = v.draft()
	for _, l := range v.errs {
		l.Hide()
	}
	_, _, errs := v.check()
	pending := ""
	for _, err := range errs {
		if v.touched[errField(err)] {
			v.showFieldError(err)
		} else if pending == "" {
			pending = lang.L("To continue: {{.Problem}}", map[string]any{"Problem": message(err)})
		}
	}
	if pending == "" {
		v.pending.Hide()
	} else {
		v.pending.SetText(pending)
		v.pending.Show()
	}
	v.syncHints()
	if !v.busy.running() {
		enable(len(errs) == 0, v.saveBtn, v.continueBtn)
		enable(len(testProblems(errs)) == 0, v.testBtn)
	}
}

func (v *credentialsView) clearErrors() {
	for _, l := range v.errs {
		l.Hide()
	}
	v.syncHints()
	v.status.Hide()
}

// errField names the form field err is about, or "".
func errField(err error) auth.Field {
	var fe *auth.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// showFieldError shows err next to the field it names, or below the form.
func (v *credentialsView) showFieldError(err error) {
	defer v.syncHints()
	field := errField(err)
	l, ok := v.errs[field]
	switch {
	case !ok:
		setError(v.status, message(err))
	case field == auth.FieldRelayTarget:
		setError(l, relayTargetError(v.relayTarget.Text))
	default:
		setError(l, message(err))
	}
}

// relayTargetError tells why s cannot be a relay target, in the current
// language, or "".
func relayTargetError(s string) string {
	if _, err := auth.RelayPage(strings.TrimSpace(s)); err != nil {
		return lang.L("The relay target must be an http loopback URL with a fixed port, such as {{.Example}}.",
			map[string]any{"Example": auth.DefaultRelayTarget})
	}
	return ""
}

// checkRedirect shows, for a valid redirect URI, what the platform will
// make of it; liveCheck reports an invalid one.
func (v *credentialsView) checkRedirect() {
	if v.redirectHint == nil {
		return
	}
	s := v.redirectURI.Text
	if s == "" || auth.ValidateRedirectURI(s) != nil {
		v.redirectHint.Hide()
		return
	}
	hint := ""
	env := environments[max(v.environment.SelectedIndex(), 0)]
	real := env == storage.EnvDouyin
	switch {
	case storage.Profile{Environment: env, RedirectURI: s}.InsecureRedirect():
		hint = lang.L("Douyin requires an https redirect URI registered in the console for real apps; http works in the sandbox. Use paste mode if the loopback address is not accepted.")
	case real && auth.IsLoopbackRedirect(s):
		hint = lang.L("A loopback redirect URI works only if the console accepts it; otherwise choose paste mode.")
	}
	if hint == "" {
		v.redirectHint.Hide()
		return
	}
	note(v.redirectHint, hint, widget.WarningImportance)
}
