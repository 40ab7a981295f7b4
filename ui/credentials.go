package ui

import (
	"context"
	"errors"
	"net/url"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// DefaultScopes is the scope list a new profile starts with.
const DefaultScopes = "user_info,renew_refresh_token"

// knownScopes are the scopes offered in the picker, with what each grants;
// free text is allowed too.
var knownScopes = []struct {
	name  string
	about func() string
}{
	{"user_info", func() string { return lang.L("Basic profile: nickname and avatar (required for login)") }},
	{"trial.whitelist", func() string { return lang.L("Bind test users (together with user_info)") }},
	{"renew_refresh_token", func() string { return lang.L("Renew the refresh token") }},
	{"video.list.bind", func() string { return lang.L("List the user's videos") }},
	{"video.data.bind", func() string { return lang.L("Data of the user's videos") }},
	{"fans.check", func() string { return lang.L("Check whether someone follows the user") }},
	{"data.external.item", func() string { return lang.L("Video analytics") }},
	{"data.external.user", func() string { return lang.L("User analytics") }},
	{"following.list", func() string { return lang.L("Accounts the user follows") }},
	{"fans.list", func() string { return lang.L("The user's followers") }},
	{"im.share", func() string { return lang.L("Share into chats") }},
	{"aweme.share", func() string { return lang.L("Share to Douyin") }},
	{"h5.share", func() string { return lang.L("Share from H5 pages") }},
	{"open.account.data", func() string { return lang.L("Account data") }},
	{"incremental_authorization", func() string { return lang.L("Ask for more scopes later") }},
}

// scopeSeparator joins a scope and its description in the picker.
const scopeSeparator = " — "

// scopeOptions returns the picker's entries in the current language.
func scopeOptions() []string {
	opts := make([]string, len(knownScopes))
	for i, k := range knownScopes {
		opts[i] = k.name + scopeSeparator + k.about()
	}
	return opts
}

var (
	environments  = []string{storage.EnvDouyin, storage.EnvSandbox, storage.EnvCustom}
	callbackModes = []string{storage.ModeLoopback, storage.ModePaste, storage.ModeRelay}
)

// DefaultRelayTarget is the loopback address a new relay page forwards to.
const DefaultRelayTarget = "http://127.0.0.1:8792/relay"

// credentialsDraft is what the credentials form holds.
type credentialsDraft struct {
	Name, Environment, BaseURL, ClientKey, ClientSecret string
	Scopes, OptionalScope, RedirectURI, CallbackMode    string
	RelayTarget                                         string
}

// credentialsView is step 1: the app's credentials and where to reach it.
type credentialsView struct {
	u       *App
	content fyne.CanvasObject

	name, baseURL, clientKey, clientSecret *widget.Entry
	scopes, optionalScope, redirectURI     *widget.Entry
	relayTarget                            *widget.Entry
	environment, mode, scopePicker         *widget.Select
	// relayBox holds the relay target; it shows in relay mode only.
	relayBox *fyne.Container

	// errs holds the message label next to each field, keyed by the field
	// names auth and storage report.
	errs         map[auth.Field]*widget.Label
	redirectHint *widget.Label
	status       *widget.Label
	// pending names what still keeps the form from being saved, while the
	// field at fault has not been edited yet.
	pending *widget.Label
	// touched records the fields the user has edited; their problems show
	// next to them as they type.
	touched map[auth.Field]bool

	sandboxBtn, saveBtn, continueBtn *widget.Button
	busy                             *busy
}

func newCredentialsView(u *App) *credentialsView {
	v := &credentialsView{u: u, errs: make(map[auth.Field]*widget.Label), touched: make(map[auth.Field]bool)}
	for _, f := range []auth.Field{auth.FieldName, auth.FieldBaseURL, auth.FieldClientKey, auth.FieldClientSecret, auth.FieldScope, auth.FieldOptionalScope, auth.FieldRedirectURI, auth.FieldRelayTarget} {
		l := widget.NewLabel("")
		l.Importance = widget.DangerImportance
		l.Wrapping = fyne.TextWrapWord
		l.Hide()
		v.errs[f] = l
	}
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(lang.L("e.g. my-web-app"))
	v.baseURL = widget.NewEntry()
	v.baseURL.SetPlaceHolder(storage.DefaultBaseURL)
	v.environment = widget.NewSelect([]string{
		lang.L("Douyin (open.douyin.com)"), lang.L("Sandbox (local emulator)"), lang.L("Custom server"),
	}, func(string) { v.environmentChanged() })
	v.clientKey = widget.NewEntry()
	v.clientKey.SetPlaceHolder("aw…")
	v.clientSecret = widget.NewPasswordEntry()
	v.scopes = widget.NewEntry()
	v.scopes.SetText(DefaultScopes)
	v.scopePicker = widget.NewSelect(scopeOptions(), func(s string) {
		name, _, _ := strings.Cut(s, scopeSeparator)
		v.addScope(name)
	})
	v.scopePicker.PlaceHolder = lang.L("Add a scope…")
	v.optionalScope = widget.NewEntry()
	v.optionalScope.SetPlaceHolder("friend_relation,1,message,0")
	v.redirectURI = widget.NewEntry()
	v.redirectURI.SetPlaceHolder("https://example.com/douyin/callback")
	v.redirectURI.OnChanged = func(string) { v.touched[auth.FieldRedirectURI] = true; v.checkRedirect(); v.liveCheck() }
	v.redirectHint = widget.NewLabel("")
	v.redirectHint.Wrapping = fyne.TextWrapWord
	v.redirectHint.Hide()
	v.mode = widget.NewSelect([]string{
		lang.L("Capture on this machine (loopback)"), lang.L("Paste the redirected URL"), lang.L("Relay page"),
	}, func(string) { v.modeChanged() })
	v.relayTarget = widget.NewEntry()
	v.relayTarget.SetText(DefaultRelayTarget)
	v.relayTarget.SetPlaceHolder(DefaultRelayTarget)
	v.relayTarget.OnChanged = func(string) { v.touched[auth.FieldRelayTarget] = true; v.liveCheck() }
	relayHelp := widget.NewLabel(lang.L("The page on your registered redirect URL forwards code and state to this loopback address (fixed port). Step 2 gives you the page to upload."))
	relayHelp.Wrapping = fyne.TextWrapWord
	relayHelp.SizeName = theme.SizeNameCaptionText
	v.relayBox = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Relay target"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.relayTarget, v.errs[auth.FieldRelayTarget], relayHelp)
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.status.Hide()
	v.pending = widget.NewLabel("")
	v.pending.Wrapping = fyne.TextWrapWord
	v.pending.Importance = widget.WarningImportance
	v.pending.Hide()
	for field, e := range map[auth.Field]*widget.Entry{auth.FieldName: v.name, auth.FieldBaseURL: v.baseURL, auth.FieldClientKey: v.clientKey,
		auth.FieldClientSecret: v.clientSecret, auth.FieldScope: v.scopes, auth.FieldOptionalScope: v.optionalScope} {
		e.OnChanged = func(string) { v.touched[field] = true; v.liveCheck() }
	}

	v.sandboxBtn = widget.NewButton(lang.L("Sandbox (offline)"), v.useSandbox)
	v.saveBtn = widget.NewButton(lang.L("Save"), func() { v.save(false) })
	v.continueBtn = widget.NewButton(lang.L("Save and authorize"), func() { v.save(true) })
	v.continueBtn.Importance = widget.HighImportance
	v.busy = newBusy(v.sandboxBtn, v.saveBtn, v.continueBtn)
	v.busy.after = v.liveCheck

	v.environment.SetSelectedIndex(0)
	v.mode.SetSelectedIndex(0)

	field := func(w fyne.CanvasObject, key auth.Field, extra ...fyne.CanvasObject) fyne.CanvasObject {
		items := []fyne.CanvasObject{w}
		items = append(items, extra...)
		if key != "" {
			items = append(items, v.errs[key])
		}
		return container.NewVBox(items...)
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Profile name"), field(v.name, auth.FieldName)),
		widget.NewFormItem(lang.L("Environment"), v.environment),
		widget.NewFormItem(lang.L("Base URL"), field(v.baseURL, auth.FieldBaseURL)),
		widget.NewFormItem("client_key", field(v.clientKey, auth.FieldClientKey)),
		widget.NewFormItem("client_secret", field(v.clientSecret, auth.FieldClientSecret)),
		widget.NewFormItem(lang.L("Scopes"), field(container.NewBorder(nil, nil, nil, v.scopePicker, v.scopes), auth.FieldScope)),
		widget.NewFormItem(lang.L("Optional scopes"), field(v.optionalScope, auth.FieldOptionalScope)),
		widget.NewFormItem(lang.L("Redirect URI"), field(v.redirectURI, auth.FieldRedirectURI, v.redirectHint)),
		widget.NewFormItem(lang.L("Callback"), container.NewVBox(v.mode, v.relayBox)),
	)
	intro := widget.NewLabel(lang.L("Enter the credentials from the developer console (网站应用 › 总览), or try the offline sandbox."))
	intro.Wrapping = fyne.TextWrapWord
	buttons := container.NewHBox(v.sandboxBtn, v.busy.activity, layout.NewSpacer(), v.saveBtn, v.continueBtn)
	v.content = container.NewBorder(intro, container.NewVBox(v.status, v.pending, buttons), nil, nil, container.NewVScroll(form))
	v.environmentChanged()
	v.modeChanged()
	v.liveCheck()
	return v
}

// draft returns the form's values.
func (v *credentialsView) draft() credentialsDraft {
	return credentialsDraft{
		Name: v.name.Text, Environment: environments[max(v.environment.SelectedIndex(), 0)],
		BaseURL: v.baseURL.Text, ClientKey: v.clientKey.Text, ClientSecret: v.clientSecret.Text,
		Scopes: v.scopes.Text, OptionalScope: v.optionalScope.Text, RedirectURI: v.redirectURI.Text,
		CallbackMode: callbackModes[max(v.mode.SelectedIndex(), 0)], RelayTarget: v.relayTarget.Text,
	}
}

// setDraft fills the form.
func (v *credentialsView) setDraft(d credentialsDraft) {
	v.name.SetText(d.Name)
	v.environment.SetSelectedIndex(max(indexOf(environments, d.Environment), 0))
	v.baseURL.SetText(d.BaseURL)
	v.clientKey.SetText(d.ClientKey)
	v.clientSecret.SetText(d.ClientSecret)
	v.scopes.SetText(d.Scopes)
	v.optionalScope.SetText(d.OptionalScope)
	v.redirectURI.SetText(d.RedirectURI)
	v.mode.SetSelectedIndex(max(indexOf(callbackModes, d.CallbackMode), 0))
	if d.RelayTarget == "" {
		d.RelayTarget = DefaultRelayTarget
	}
	v.relayTarget.SetText(d.RelayTarget)
	v.environmentChanged()
	v.modeChanged()
}

// load fills the form from a stored profile.
func (v *credentialsView) load(p storage.Profile, secret string) {
	v.setDraft(credentialsDraft{
		Name: p.Name, Environment: p.Environment, BaseURL: p.BaseURL, ClientKey: p.ClientKey,
		ClientSecret: secret, Scopes: strings.Join(p.Scopes, ","), OptionalScope: p.OptionalScope,
		RedirectURI: p.RedirectURI, CallbackMode: p.CallbackMode, RelayTarget: p.RelayTarget,
	})
	v.clearErrors()
}

func (v *credentialsView) environmentChanged() {
	if v.baseURL == nil || v.environment.SelectedIndex() < 0 {
		return
	}
	if environments[v.environment.SelectedIndex()] == storage.EnvDouyin {
		v.baseURL.Disable()
	} else {
		v.baseURL.Enable()
	}
	v.checkRedirect()
	v.liveCheck()
}

// modeChanged shows the relay target in relay mode only.
func (v *credentialsView) modeChanged() {
	if v.relayBox == nil {
		return
	}
	if v.mode.SelectedIndex() >= 0 && callbackModes[v.mode.SelectedIndex()] == storage.ModeRelay {
		v.relayBox.Show()
	} else {
		v.relayBox.Hide()
	}
	v.liveCheck()
}

// relayTargetError tells why s cannot be a relay target, in the current
// language, or "".
func relayTargetError(s string) string {
	if _, err := auth.RelayPage(strings.TrimSpace(s)); err != nil {
		return lang.L("The relay target must be an http loopback URL with a fixed port, such as {{.Example}}.",
			map[string]any{"Example": DefaultRelayTarget})
	}
	return ""
}

// addScope appends a picked scope to the list unless it is there already.
func (v *credentialsView) addScope(s string) {
	if s == "" {
		return
	}
	list := splitScopes(v.scopes.Text)
	if indexOf(list, s) < 0 {
		list = append(list, s)
	}
	v.scopes.SetText(strings.Join(list, ","))
	v.scopePicker.ClearSelected()
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
	u, _ := url.Parse(s)
	real := environments[max(v.environment.SelectedIndex(), 0)] == storage.EnvDouyin
	switch {
	case real && u.Scheme != "https":
		hint = lang.L("Douyin requires an https redirect URI registered in the console for real apps; http works in the sandbox. Use paste mode if the loopback address is not accepted.")
	case real && auth.IsLoopbackRedirect(s):
		hint = lang.L("A loopback redirect URI works only if the console accepts it; otherwise choose paste mode.")
	}
	if hint == "" {
		v.redirectHint.Hide()
		return
	}
	v.redirectHint.SetText(hint)
	v.redirectHint.Importance = widget.WarningImportance
	v.redirectHint.Show()
	v.redirectHint.Refresh()
}

func (v *credentialsView) clearErrors() {
	for _, l := range v.errs {
		l.Hide()
	}
	v.status.Hide()
}

// check builds the profile and secret from the form and returns every
// problem with them, each naming its field.
func (v *credentialsView) check() (storage.Profile, string, []error) {
	d := v.draft()
	p := storage.Profile{
		Name: strings.TrimSpace(d.Name), Environment: d.Environment, BaseURL: strings.TrimSpace(d.BaseURL),
		ClientKey: d.ClientKey, Scopes: splitScopes(d.Scopes), OptionalScope: strings.TrimSpace(d.OptionalScope),
		RedirectURI: strings.TrimSpace(d.RedirectURI), CallbackMode: d.CallbackMode,
		RelayTarget: strings.TrimSpace(d.RelayTarget),
	}
	var errs []error
	if err := storage.ValidateName(p.Name); err != nil {
		errs = append(errs, err)
	}
	if p.Environment != storage.EnvDouyin {
		if err := storage.ValidateBaseURL(p.BaseURL); err != nil {
			errs = append(errs, err)
		}
	}
	app := auth.Credentials{ClientKey: p.ClientKey, ClientSecret: d.ClientSecret, Scopes: p.Scopes,
		OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI}
	errs = append(errs, app.Problems()...)
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

// liveCheck runs as the form is edited: problems with edited fields show
// next to them, the first problem with an untouched field shows above the
// buttons, and Save stays disabled until the form is valid.
func (v *credentialsView) liveCheck() {
	if v.pending == nil || v.busy == nil {
		return
	}
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
	if v.busy.running() {
		return
	}
	for _, b := range []*widget.Button{v.saveBtn, v.continueBtn} {
		if len(errs) > 0 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
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
	field := errField(err)
	if l, ok := v.errs[field]; ok {
		if field == auth.FieldRelayTarget {
			setError(l, relayTargetError(v.relayTarget.Text))
			return
		}
		setError(l, message(err))
		return
	}
	setError(v.status, message(err))
}

// save validates and stores the profile and its secret, then makes it the
// active profile; with next it moves on to the authorization step.
func (v *credentialsView) save(next bool) {
	p, secret, ok := v.profile()
	if !ok {
		return
	}
	st := v.u.st
	v.u.background(v.busy, func(context.Context) func() {
		err := st.SaveProfile(p)
		if err == nil {
			err = st.SetSecret(p.Name, secret)
		}
		var saved storage.Profile
		if err == nil {
			saved, err = st.Profile(p.Name)
		}
		return func() {
			if err != nil {
				v.showFieldError(err)
				return
			}
			v.status.SetText(lang.L("Saved."))
			v.status.Importance = widget.SuccessImportance
			v.status.Show()
			v.status.Refresh()
			v.u.activate(saved, secret, nil)
			if next {
				v.u.show(tabAuthorize)
			}
		}
	})
}

// useSandbox starts the offline sandbox, if it is not running, and fills
// the form with its demo app.
func (v *credentialsView) useSandbox() {
	u := v.u
	fill := func() {
		name := v.name.Text
		if strings.TrimSpace(name) == "" {
			name = "sandbox-demo"
		}
		scopes := v.scopes.Text
		if strings.TrimSpace(scopes) == "" {
			scopes = DefaultScopes
		}
		v.setDraft(credentialsDraft{
			Name: name, Environment: storage.EnvSandbox, BaseURL: u.sandboxURL,
			ClientKey: sandbox.DemoClientKey, ClientSecret: sandbox.DemoClientSecret,
			Scopes: scopes, RedirectURI: sandbox.DemoRedirectURI, CallbackMode: storage.ModeLoopback,
		})
		v.clearErrors()
		v.status.SetText(lang.L("The sandbox is running at {{.URL}} with the demo app “{{.App}}”.",
			map[string]any{"URL": u.sandboxURL, "App": sandbox.DemoAppName}))
		v.status.Importance = widget.MediumImportance
		v.status.Show()
		v.status.Refresh()
	}
	if u.sandbox != nil {
		fill()
		return
	}
	u.background(v.busy, func(context.Context) func() {
		sb := sandbox.New(sandbox.Options{})
		base, err := sb.Start("127.0.0.1:0")
		return func() {
			if err != nil {
				setError(v.status, message(err))
				return
			}
			u.sandbox, u.sandboxURL = sb, base
			fill()
		}
	})
}

// splitScopes splits a comma-separated list, dropping blanks.
func splitScopes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// setError shows msg in l as an error.
func setError(l *widget.Label, msg string) {
	l.SetText(msg)
	l.Importance = widget.DangerImportance
	l.Show()
	l.Refresh()
}
