package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

var (
	environments  = []string{storage.EnvDouyin, storage.EnvDouyinSandbox, storage.EnvSandbox, storage.EnvCustom}
	callbackModes = []string{storage.ModeLoopback, storage.ModePaste, storage.ModeRelay}
)

// credentialsDraft is what the credentials form holds.
type credentialsDraft struct {
	Name, Environment, BaseURL, ClientKey, ClientSecret string
	Scopes, OptionalScope, RedirectURI, CallbackMode    string
	RelayTarget                                         string
}

// newDraft is the form of a new profile.
func newDraft() credentialsDraft {
	return credentialsDraft{Scopes: auth.DefaultScopes, Environment: storage.EnvDouyin,
		CallbackMode: storage.ModeLoopback, RelayTarget: auth.DefaultRelayTarget}
}

// profileDraft is the form filled with p and its secret.
func profileDraft(p storage.Profile, secret string) credentialsDraft {
	return credentialsDraft{
		Name: p.Name, Environment: p.Environment, BaseURL: p.BaseURL, ClientKey: p.ClientKey,
		ClientSecret: secret, Scopes: strings.Join(p.Scopes, ","), OptionalScope: p.OptionalScope,
		RedirectURI: p.RedirectURI, CallbackMode: p.CallbackMode, RelayTarget: p.RelayTarget,
	}
}

// credentialsView is step 1: the app's credentials and where to reach it.
// Its form is kept in the window's kept.credentials as it is edited.
type credentialsView struct {
	u       *Window
	content fyne.CanvasObject

	name, baseURL, clientKey, clientSecret *widget.Entry
	scopes, optionalScope, redirectURI     *widget.Entry
	relayTarget                            *widget.Entry
	environment, mode                      *widget.Select
	// scopePicker opens scopePopUp, the menu of known scopes.
	scopePicker *widget.Button
	scopePopUp  *widget.PopUpMenu
	// relayBox holds the relay target; it shows in relay mode only.
	relayBox *fyne.Container

	// errs holds the message label next to each field, keyed by the field
	// names auth and storage report.
	errs map[auth.Field]*widget.Label
	// hints holds the line below each field that says what goes there;
	// the field's error takes its place. modeHint explains the callback
	// mode chosen.
	hints        map[auth.Field]*widget.Label
	modeHint     *widget.Label
	redirectHint *widget.Label
	status       *widget.Label
	// pending names what still keeps the form from being saved, while the
	// field at fault has not been edited yet.
	pending *widget.Label
	// touched records the fields the user has edited; their problems show
	// next to them as they type.
	touched map[auth.Field]bool

	// testResult tells how the last credentials test went.
	testResult *widget.Label

	sandboxBtn, testBtn, saveBtn, continueBtn *widget.Button
	busy                                      *busy
}

// formFields are the fields of the form that can be at fault, in order.
var formFields = []auth.Field{auth.FieldName, auth.FieldBaseURL, auth.FieldClientKey, auth.FieldClientSecret,
	auth.FieldScope, auth.FieldOptionalScope, auth.FieldRedirectURI, auth.FieldRelayTarget}

func newCredentialsView(u *Window) *credentialsView {
	v := &credentialsView{u: u, errs: make(map[auth.Field]*widget.Label), touched: make(map[auth.Field]bool)}
	for _, f := range formFields {
		l := hiddenNote("", widget.DangerImportance)
		v.errs[f] = l
	}
	v.newEntries()
	v.newSelects()
	v.relayBox = v.newRelayBox()
	v.newNotes()
	v.newHints()
	v.newButtons()
	v.content = v.layout()
	v.setDraft(u.kept.credentials)
	if u.kept.formBase == (credentialsDraft{}) {
		u.kept.formBase = v.draft()
	}
	v.liveCheck()
	return v
}

// newEntries creates the text fields; each edit marks its field touched.
func (v *credentialsView) newEntries() {
	v.name = widget.NewEntry()
	v.name.SetPlaceHolder(lang.L("e.g. my-web-app"))
	v.baseURL = widget.NewEntry()
	v.baseURL.SetPlaceHolder(auth.DefaultBaseURL)
	v.clientKey = widget.NewEntry()
	v.clientKey.SetPlaceHolder("aw…")
	v.clientSecret = widget.NewPasswordEntry()
	v.scopes = widget.NewEntry()
	v.scopes.SetText(auth.DefaultScopes)
	v.optionalScope = widget.NewEntry()
	v.optionalScope.SetPlaceHolder("friend_relation,1,message,0")
	v.redirectURI = widget.NewEntry()
	v.redirectURI.SetPlaceHolder("https://example.com/douyin/callback")
	v.relayTarget = widget.NewEntry()
	v.relayTarget.SetText(auth.DefaultRelayTarget)
	v.relayTarget.SetPlaceHolder(auth.DefaultRelayTarget)
	for field, e := range map[auth.Field]*widget.Entry{auth.FieldName: v.name, auth.FieldBaseURL: v.baseURL,
		auth.FieldClientKey: v.clientKey, auth.FieldClientSecret: v.clientSecret, auth.FieldScope: v.scopes,
		auth.FieldOptionalScope: v.optionalScope, auth.FieldRelayTarget: v.relayTarget} {
		e.OnChanged = func(string) { v.touched[field] = true; v.liveCheck() }
		e.OnSubmitted = v.submit
	}
	v.redirectURI.OnChanged = func(string) { v.touched[auth.FieldRedirectURI] = true; v.checkRedirect(); v.liveCheck() }
	v.redirectURI.OnSubmitted = v.submit
}

// submit is Enter in a field of the form: Save and authorize, when the form
// allows it.
func (v *credentialsView) submit(string) {
	if v.continueBtn != nil && !v.continueBtn.Disabled() {
		v.save(true)
	}
}

// newSelects creates the environment, callback mode and scope pickers.
func (v *credentialsView) newSelects() {
	v.environment = widget.NewSelect([]string{
		lang.L("Douyin (open.douyin.com)"), lang.L("Douyin sandbox host (open-sandbox.douyin.com; documented for mini-apps, unverified for web apps)"),
		lang.L("Sandbox (local emulator)"), lang.L("Custom server"),
	}, func(string) { v.environmentChanged() })
	v.scopePicker = widget.NewButtonWithIcon(lang.L("Add a scope…"), theme.ContentAddIcon(), v.showScopeMenu)
	v.mode = widget.NewSelect([]string{
		lang.L("Capture on this machine (loopback)"), lang.L("Paste the redirected URL"), lang.L("Relay page"),
	}, func(string) { v.modeChanged() })
}

// newRelayBox holds the relay target and what it is for.
func (v *credentialsView) newRelayBox() *fyne.Container {
	help := wrapped(lang.L("The page on your registered redirect URL forwards code and state to this loopback address (fixed port). Step 2 gives you the page to upload."))
	help.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(
		heading(lang.L("Relay target")),
		v.relayTarget, v.errs[auth.FieldRelayTarget], help)
}

// newNotes creates the labels that explain: the redirect hint, the status
// and what keeps the form from being saved.
func (v *credentialsView) newNotes() {
	v.redirectHint = hiddenNote("", widget.MediumImportance)
	v.status = hiddenNote("", widget.MediumImportance)
	v.pending = hiddenNote("", widget.WarningImportance)
	v.testResult = hiddenNote("", widget.MediumImportance)
}

func (v *credentialsView) newButtons() {
	v.sandboxBtn = widget.NewButton(lang.L("Sandbox (offline)"), v.useSandbox)
	v.testBtn = widget.NewButton(lang.L("Test credentials"), v.testCredentials)
	v.saveBtn = widget.NewButton(lang.L("Save"), func() { v.save(false) })
	v.continueBtn = widget.NewButton(lang.L("Save and authorize"), func() { v.save(true) })
	v.continueBtn.Importance = widget.HighImportance
	v.busy = newBusy(v.sandboxBtn, v.testBtn, v.saveBtn, v.continueBtn)
	v.busy.after = v.liveCheck
}

// layout places the form between its introduction and its buttons.
func (v *credentialsView) layout() fyne.CanvasObject {
	field := func(w fyne.CanvasObject, key auth.Field, extra ...fyne.CanvasObject) fyne.CanvasObject {
		items := append([]fyne.CanvasObject{w}, extra...)
		return container.NewVBox(append(items, v.hints[key], v.errs[key])...)
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
		widget.NewFormItem(lang.L("Callback"), container.NewVBox(v.mode, v.modeHint, v.relayBox)),
	)
	intro := wrapped(lang.L("Enter the client_key and client_secret from the developer console (Console › My apps › Website apps › App info), or try the offline sandbox."))
	buttons := actionRow([]fyne.CanvasObject{v.sandboxBtn, v.testBtn, v.busy.activity}, v.saveBtn, v.continueBtn)
	notes := container.NewVBox(v.testResult, v.status, v.pending, buttons)
	return container.NewBorder(intro, notes, nil, nil, container.NewVScroll(form))
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
	v.environment.SetSelectedIndex(max(slices.Index(environments, d.Environment), 0))
	v.baseURL.SetText(d.BaseURL)
	v.clientKey.SetText(d.ClientKey)
	v.clientSecret.SetText(d.ClientSecret)
	v.scopes.SetText(d.Scopes)
	v.optionalScope.SetText(d.OptionalScope)
	v.redirectURI.SetText(d.RedirectURI)
	v.mode.SetSelectedIndex(max(slices.Index(callbackModes, d.CallbackMode), 0))
	if d.RelayTarget == "" {
		d.RelayTarget = auth.DefaultRelayTarget
	}
	v.relayTarget.SetText(d.RelayTarget)
	v.environmentChanged()
	v.modeChanged()
}

// fill shows d, a stored profile or a new one, with no problem reported
// until a field is edited; rename, when not empty, then replaces the name
// as typing would, so that a problem with it shows at once.
func (v *credentialsView) fill(d credentialsDraft, rename string) {
	v.u.kept.editing = d.Name
	if rename != "" {
		v.u.kept.editing = ""
	}
	v.setDraft(d)
	v.clearErrors()
	v.testResult.Hide()
	if rename != "" {
		v.name.SetText(rename)
	}
	v.u.kept.formBase = v.draft()
}

// report shows msg, an error about the form as a whole, below it.
func (v *credentialsView) report(msg string) { setError(v.status, msg) }

func (v *credentialsView) environmentChanged() {
	if v.baseURL == nil || v.environment.SelectedIndex() < 0 {
		return
	}
	if !storage.UsesBaseURL(environments[v.environment.SelectedIndex()]) {
		v.baseURL.Disable()
	} else {
		v.baseURL.Enable()
	}
	v.showHintTexts()
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
	v.showHintTexts()
	v.liveCheck()
}
