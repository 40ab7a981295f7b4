package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// apiView is step 4: a call of the OpenAPI catalogue as one of the
// profile's accounts, or with the app's client token, to prove that a
// scope works. open_id and the token are filled in; the answer shows
// indented, with its error explained and its images drawn.
type apiView struct {
	u       *Window
	content fyne.CanvasObject

	account  *widget.Select
	accounts []auth.Account
	api      *widget.Select
	apis     []auth.API
	about    *widget.Label
	doc      *widget.Hyperlink
	params   *fyne.Container
	entries  map[string]*widget.Entry

	sendBtn, nextBtn, curlBtn *widget.Button
	busy                      *busy
	status                    *widget.Label
	result                    *apiResult

	// last is the answer shown, and sent the parameters it answered.
	last *auth.CallResult
	sent map[string]string
}

func newAPIView(u *Window) *apiView {
	v := &apiView{u: u, apis: auth.Catalog(), entries: map[string]*widget.Entry{}}
	titles := make([]string, len(v.apis))
	for i, a := range v.apis {
		titles[i] = a.Name + " — " + a.Title(currentLang())
	}
	v.account = widget.NewSelect(nil, func(string) { v.check() })
	v.account.PlaceHolder = lang.L("Choose an account")
	v.api = widget.NewSelect(titles, func(string) { v.apiChanged() })
	v.about = caption(wrapped(""))
	v.doc = widget.NewHyperlink(lang.L("Official documentation"), nil)
	v.params = container.NewVBox()
	v.sendBtn = widget.NewButtonWithIcon(lang.L("Send"), theme.MailSendIcon(), func() { v.send(nil) })
	v.sendBtn.Importance = widget.HighImportance
	v.nextBtn = widget.NewButton(lang.L("Next page"), v.nextPage)
	v.curlBtn = widget.NewButtonWithIcon(lang.L("Copy as curl"), theme.ContentCopyIcon(), v.copyCurl)
	v.busy = newBusy(v.sendBtn, v.nextBtn, v.curlBtn)
	v.busy.after = v.check
	v.status = hiddenNote("", widget.MediumImportance)
	v.result = newAPIResult(u)
	v.content = container.NewVScroll(container.NewVBox(
		labelled(lang.L("Account"), v.account),
		labelled(lang.L("OpenAPI"), v.api),
		v.about, v.doc, v.params,
		actionRow([]fyne.CanvasObject{v.sendBtn, v.nextBtn, v.busy.activity}, v.curlBtn),
		v.status, v.result.content,
	))
	v.api.SetSelectedIndex(0)
	v.showAccounts()
	u.session.observe("api", v.sessionChanged)
	return v
}

// sessionChanged offers the accounts of the profile now open.
func (v *apiView) sessionChanged(c change) {
	if c == profileChanged || c == accountsChanged {
		v.showAccounts()
	}
}

// showAccounts offers the active profile's accounts, keeping the one chosen.
func (v *apiView) showAccounts() {
	chosen := v.chosenAccount()
	v.accounts = nil
	if v.u.session.active {
		v.accounts = slices.Clone(v.u.session.profile.Accounts)
	}
	names := make([]string, len(v.accounts))
	keep := 0
	for i, a := range v.accounts {
		names[i] = accountName(a) + " · " + a.OpenID
		if a.OpenID == chosen {
			keep = i
		}
	}
	v.account.SetOptions(names)
	if len(names) > 0 {
		v.account.SetSelectedIndex(keep)
	} else {
		v.account.ClearSelected()
	}
	v.check()
}

// chosenAccount is the open_id of the account chosen, or "".
func (v *apiView) chosenAccount() string {
	if i := v.account.SelectedIndex(); i >= 0 && i < len(v.accounts) {
		return v.accounts[i].OpenID
	}
	return ""
}

// chosenAPI is the catalogue entry chosen.
func (v *apiView) chosenAPI() auth.API { return v.apis[max(v.api.SelectedIndex(), 0)] }

// apiChanged describes the chosen API and asks for its parameters.
func (v *apiView) apiChanged() {
	a := v.chosenAPI()
	token := "access_token"
	if a.Auth == auth.AuthClient {
		token = lang.L("client_token (no account needed)")
	}
	v.about.SetText(fmt.Sprintf("%s %s · %s · %s", a.Method, a.Path, token,
		lang.L("scope {{.Scope}}", map[string]any{"Scope": a.Scope})))
	if u, err := url.Parse(a.Doc); err == nil {
		v.doc.SetURL(u)
	}
	v.params.RemoveAll()
	v.entries = map[string]*widget.Entry{}
	for _, p := range a.Params {
		e := widget.NewEntry()
		e.SetPlaceHolder(p.Default)
		e.OnSubmitted = func(string) { v.send(nil) }
		v.entries[p.Name] = e
		label := p.Name
		if p.Required {
			label += " *"
		}
		v.params.Add(labelled(label, container.NewVBox(e, caption(wrapped(p.Description(currentLang()))))))
	}
	v.last = nil
	v.check()
}

// check enables the actions that can run: Send and Copy as curl need an
// account for a user-token API, Next page an answer with more.
func (v *apiView) check() {
	if v.busy == nil || v.busy.running() {
		return
	}
	ready := v.u.session.active && (v.chosenAPI().Auth == auth.AuthClient || v.chosenAccount() != "")
	enable(ready, v.sendBtn, v.curlBtn)
	_, more := v.nextParams()
	enable(ready && more, v.nextBtn)
	if v.chosenAPI().Auth == auth.AuthClient {
		v.account.Disable()
	} else {
		v.account.Enable()
	}
}

// values are the parameters typed in; those left empty take their default.
func (v *apiView) values() map[string]string {
	out := map[string]string{}
	for name, e := range v.entries {
		if s := strings.TrimSpace(e.Text); s != "" {
			out[name] = s
		}
	}
	return out
}

// nextParams are the parameters of the page after the answer shown.
func (v *apiView) nextParams() (map[string]string, bool) {
	if v.last == nil || v.last.API.Name != v.chosenAPI().Name {
		return nil, false
	}
	return v.last.Next(v.sent)
}

func (v *apiView) nextPage() {
	if next, ok := v.nextParams(); ok {
		v.send(next)
	}
}

// send calls the chosen API with params, or with the fields' values when
// params is nil, in the background.
func (v *apiView) send(params map[string]string) {
	if v.sendBtn.Disabled() {
		return
	}
	if params == nil {
		params = v.values()
	}
	flow, api, openID := v.u.session.flow, v.chosenAPI(), v.chosenAccount()
	v.status.Hide()
	v.u.background(v.busy, func(ctx context.Context) func() {
		res, err := flow.Call(ctx, api, openID, params)
		return func() { v.answered(res, params, err) }
	})
}

// answered shows res, the answer to params, and err explained.
func (v *apiView) answered(res auth.CallResult, params map[string]string, err error) {
	v.last, v.sent = &res, params
	switch {
	case err != nil:
		setError(v.status, v.u.explain(err))
	case res.HasMore:
		note(v.status, lang.L("HTTP {{.Status}}: more pages follow.", map[string]any{"Status": res.Status}), widget.SuccessImportance)
	default:
		note(v.status, lang.L("HTTP {{.Status}}: the platform answered.", map[string]any{"Status": res.Status}), widget.SuccessImportance)
	}
	var missing *auth.MissingScopeError
	if errors.As(err, &missing) || len(res.Body) == 0 {
		v.result.clear()
	} else {
		v.result.show(res)
	}
	v.check()
}

// copyCurl copies the call as a curl command with the real token, for a
// terminal of the user's own.
func (v *apiView) copyCurl() {
	s, err := v.u.session.flow.Curl(v.chosenAPI(), v.chosenAccount(), v.values(), true)
	if err != nil {
		setError(v.status, v.u.explain(err))
		return
	}
	v.u.fyne.Clipboard().SetContent(s)
	note(v.status, lang.L("The call was copied as a curl command, with its token."), widget.MediumImportance)
}
