package ui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// codeWarn is when the code lifetime countdown turns to a warning.
const codeWarn = 2 * time.Minute

// authorizeView is step 2: the authorization URL, the wait for the
// callback and the paste box. The login it waits for is the session's.
type authorizeView struct {
	u       *Window
	content fyne.CanvasObject

	profileLabel *widget.Label
	url          *widget.Entry
	status       *widget.Label
	remaining    *countdown
	errLabel     *widget.Label
	// unchecked says that a pasted bare code's state could not be checked.
	unchecked *widget.Label
	paste     *widget.Entry

	startBtn, openBtn, copyBtn, cancelBtn, pasteBtn *widget.Button
	busy                                            *busy

	// relay shows, in relay mode, where to upload the relay page.
	relay                    *fyne.Container
	relayInfo, relayStatus   *widget.Label
	copyPageBtn, savePageBtn *widget.Button
}

func newAuthorizeView(u *Window) *authorizeView {
	v := &authorizeView{u: u}
	v.newLabels()
	v.newButtons()
	v.relay = v.newRelayBox()
	v.content = container.NewVScroll(v.layout())
	v.paste.SetText(u.kept.paste)
	v.paste.OnChanged = func(s string) { u.kept.paste = s }
	if login := u.session.login; login != nil { // a login in progress survives a rebuild
		v.follow(login)
		if u.kept.loginStatus != nil {
			v.say(u.kept.loginStatus)
		}
	}
	v.render()
	u.session.observe("authorize", v.sessionChanged)
	return v
}

// newLabels creates the profile line, the URL box, the status lines and
// the paste box.
func (v *authorizeView) newLabels() {
	v.profileLabel = wrapped("")
	v.url = widget.NewMultiLineEntry()
	v.url.Wrapping = fyne.TextWrapBreak
	v.url.SetMinRowsVisible(3)
	v.url.SetPlaceHolder(lang.L("The authorization URL appears here."))
	v.url.OnChanged = func(string) { v.showURL() } // read-only: typing is undone
	v.status = wrapped("")
	v.remaining = newCountdown(time.Time{}, 0, nil)
	v.remaining.label.TextStyle = fyne.TextStyle{Bold: true} // it holds translated text
	v.remaining.label.Hide()
	v.remaining.life = auth.CodeLifetime
	v.remaining.bar.Hide()
	v.errLabel = hiddenNote("", widget.MediumImportance)
	v.unchecked = hiddenNote(lang.L("The state could not be checked: only the code was pasted, so nothing shows it came from this authorization. Paste the whole address from the browser to have it checked."), widget.WarningImportance)
	v.paste = widget.NewEntry()
	v.paste.SetPlaceHolder(lang.L("Paste the redirected URL, or just the code"))
	v.paste.OnSubmitted = func(string) { v.submitPaste() }
}

func (v *authorizeView) newButtons() {
	v.startBtn = widget.NewButton(lang.L("Start authorization"), func() { v.startAs(nil) })
	v.startBtn.Importance = widget.HighImportance
	v.openBtn = widget.NewButton(lang.L("Open in browser"), v.openBrowser)
	v.copyBtn = widget.NewButton(lang.L("Copy URL"), func() {
		if login := v.u.session.login; login != nil {
			v.u.fyne.Clipboard().SetContent(login.URL)
		}
	})
	v.cancelBtn = widget.NewButton(lang.L("Cancel"), v.cancel)
	v.pasteBtn = widget.NewButton(lang.L("Submit"), v.submitPaste)
	v.busy = newBusy(v.startBtn)
}

func (v *authorizeView) layout() fyne.CanvasObject {
	return container.NewVBox(
		v.profileLabel,
		v.relay,
		actionRow([]fyne.CanvasObject{v.startBtn, v.busy.activity}, v.openBtn, v.copyBtn, v.cancelBtn),
		heading(lang.L("Authorization URL")),
		v.url,
		v.status,
		v.unchecked,
		v.remaining.label,
		v.remaining.bar,
		v.errLabel,
		widget.NewSeparator(),
		heading(lang.L("Paste instead")),
		widget.NewLabel(lang.L("If the browser lands on a page this app cannot see, copy the address bar here.")),
		container.NewBorder(nil, nil, nil, v.pasteBtn, v.paste),
	)
}

// sessionChanged shows another active profile. What was said belongs to
// the profile and the accounts it was said of, so it goes when they change.
func (v *authorizeView) sessionChanged(c change) {
	switch c {
	case profileChanged:
		v.clearMessages()
		v.render()
	case accountsChanged:
		v.clearMessages()
	}
}

// clearMessages takes away the status and errors said before, unless they
// are of the active profile's login still waiting.
func (v *authorizeView) clearMessages() {
	if s := v.u.session; s.waiting() && s.is(s.loginProfile) {
		return
	}
	v.u.kept.loginStatus = nil
	v.status.SetText("")
	v.status.Importance = widget.MediumImportance
	v.errLabel.Hide()
	v.unchecked.Hide()
}

// render shows the active profile and the login in progress.
func (v *authorizeView) render() {
	s := v.u.session
	if s.active && s.profile.CallbackMode == storage.ModeRelay {
		v.relayInfo.SetText(lang.L("Upload this page to your registered redirect URL: {{.Redirect}}. It forwards the callback to {{.Target}} on this computer.",
			map[string]any{"Redirect": s.profile.RedirectURI, "Target": s.profile.RelayTarget}))
		v.relay.Show()
	} else {
		v.relay.Hide()
	}
	waiting := s.waiting()
	if !s.active {
		v.profileLabel.SetText(lang.L("Save the credentials first (step 1)."))
		v.startBtn.Disable()
	} else {
		v.profileLabel.SetText(lang.L("Profile “{{.Name}}” · {{.Endpoint}} · redirect {{.Redirect}}",
			map[string]any{"Name": s.profile.Name, "Endpoint": s.profile.Endpoint(), "Redirect": s.profile.RedirectURI}))
		if waiting {
			v.startBtn.Disable() // Cancel first
		} else if !v.busy.running() {
			v.startBtn.Enable()
		}
	}
	enable(waiting, v.openBtn, v.copyBtn, v.cancelBtn, v.pasteBtn)
	v.showURL()
	if waiting {
		v.remaining.label.Show()
		v.remaining.bar.Show()
		v.u.clock.set("authorize", []*countdown{v.remaining})
	} else {
		v.remaining.label.Hide()
		v.remaining.bar.Hide()
		v.u.clock.set("authorize", nil)
	}
}

// showURL puts the login's URL back into the read-only URL box.
func (v *authorizeView) showURL() {
	want := ""
	if login := v.u.session.login; login != nil {
		want = login.URL
	}
	if v.url.Text != want {
		v.url.SetText(want)
	}
}

// start begins a re-authorization of the active profile's account, when it
// has one only: window.reauthorize calls it for an account card, which
// does not say which account (see Window.reauthorizeAccount).
func (v *authorizeView) start() { v.startAs(v.onlyAccount()) }

// startAs begins an authorization with the active profile, opens the
// browser and waits for the callback in the background. expect, when not
// nil, is the account being re-authorized: another user coming back is
// then said, not quietly added.
func (v *authorizeView) startAs(expect *auth.Account) {
	u := v.u
	if !u.session.active {
		return
	}
	u.session.cancelLogin()
	v.errLabel.Hide()
	v.unchecked.Hide()
	v.status.SetText("") // what the last login came to
	v.status.Importance = widget.MediumImportance
	login, waitingText, err := v.begin()
	if err != nil {
		setError(v.errLabel, message(err))
		return
	}
	u.session.begin(login)
	v.follow(login)
	v.say(waitingText)
	v.render()
	u.visibilityChanged()
	v.focusNext(login)
	v.openBrowser()
	v.wait(login, expect)
}

// focusNext puts the keyboard on what login needs next: the paste box when
// only a paste brings its code, else Cancel.
func (v *authorizeView) focusNext(login *auth.Login) {
	var next fyne.Focusable = v.cancelBtn
	if login.CallbackURI == "" {
		next = v.paste
	}
	v.u.win.Canvas().Focus(next)
}

// wait waits in the background for login, begun for the active profile to
// re-authorize expect (or nil), to end, and counts the code's lifetime
// down once its code arrived.
func (v *authorizeView) wait(login *auth.Login, expect *auth.Account) {
	u := v.u
	profile := u.session.profile.Name
	u.background(v.busy, func(ctx context.Context) func() {
		stop := u.watchReceived(login)
		g, err := login.Wait(ctx)
		stop()
		return func() {
			u.authz.finished(login, profile, expect, g, err) // the window may have been rebuilt meanwhile
		}
	})
}

// watchReceived starts the code's countdown when login's code arrives,
// by callback or paste, until stop returns.
func (u *Window) watchReceived(login *auth.Login) (stop func()) {
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-login.Received():
			u.do(func() {
				if u.session.login == login {
					u.authz.codeReceived(login)
				}
			})
		case <-done:
		}
	}()
	return func() { close(done); <-exited }
}

// begin starts a login of the active profile and returns it with the text
// of what it waits for.
func (v *authorizeView) begin() (*auth.Login, func() string, error) {
	s := v.u.session
	opts, err := v.u.st.LoginOptions(s.profile)
	if err != nil {
		return nil, nil, err
	}
	opts.Lang = currentLang()
	login, err := s.flow.Begin(opts)
	if err != nil {
		return nil, nil, err
	}
	switch {
	case opts.ListenURI != "":
		return login, func() string {
			return lang.L("Waiting for the relay page on {{.Redirect}} to forward the callback to {{.URI}}…",
				map[string]any{"Redirect": login.RedirectURI, "URI": login.CallbackURI})
		}, nil
	case opts.Listen:
		return login, func() string {
			return lang.L("Waiting for the callback on {{.URI}}…", map[string]any{"URI": login.RedirectURI})
		}, nil
	}
	return login, func() string { return lang.L("Waiting for you to paste the redirected URL…") }, nil
}

// finished shows how login, begun for profile to re-authorize expect (or
// nil), ended: with the grant g or the error err.
func (v *authorizeView) finished(login *auth.Login, profile string, expect *auth.Account, g auth.Grant, err error) {
	u := v.u
	if !u.session.ended(login, err) {
		return // a newer login replaced this one
	}
	if !u.session.is(profile) {
		// Another profile was opened meanwhile: its step says nothing
		// of this login.
		v.render()
		u.visibilityChanged()
		return
	}
	if err != nil {
		v.failed(err)
		return
	}
	v.paste.SetText("")
	u.session.authorized(profile, g) // which takes away what was said of the accounts before
	v.noteUnchecked(login)
	if expect != nil && expect.OpenID != g.OpenID {
		// Stay on step 2, where the notice shows: the tokens of expect
		// were not renewed.
		note(v.status, anotherUser(*expect, g.Account), widget.WarningImportance)
		v.render()
		return
	}
	note(v.status, lang.L("Authorized {{.Who}}.", map[string]any{"Who": accountName(g.Account)}), widget.SuccessImportance)
	v.render()
	u.show(tabTokens)
}

// failed shows why the active profile's login ended without a grant. A
// cancelled login takes its errors, such as the browser's, with it.
func (v *authorizeView) failed(err error) {
	if errors.Is(err, auth.ErrCancelled) {
		v.errLabel.Hide()
		v.unchecked.Hide()
		v.status.SetText(message(err))
	} else {
		v.status.SetText("")
		setError(v.errLabel, message(err))
	}
	v.render()
	v.u.visibilityChanged()
}

// cancel ends the login in progress; the browser's error goes with it.
func (v *authorizeView) cancel() {
	v.errLabel.Hide()
	v.u.session.cancelLogin()
}

// say shows the status of the login in progress; text is asked again
// when the window is rebuilt in another language.
func (v *authorizeView) say(text func() string) {
	v.u.kept.loginStatus = text
	v.status.SetText(text())
}

// follow counts down until login gives up waiting for its callback: no
// code exists yet, so this is the login's timeout, not a code's lifetime.
func (v *authorizeView) follow(login *auth.Login) {
	v.noteUnchecked(login)
	v.remaining.expiry, v.remaining.start = login.Deadline, time.Time{}
	v.remaining.warn = codeWarn
	v.remaining.wrap = func(s string) string {
		return lang.L("Waiting for the callback; this login times out in {{.Left}}", map[string]any{"Left": s})
	}
	if !login.ReceivedAt().IsZero() { // a rebuild during the exchange
		v.codeReceived(login)
	}
}

// codeReceived counts down the lifetime of login's code, which arrived:
// it starts when the platform issues the code, so at most
// auth.CodeLifetime is left.
func (v *authorizeView) codeReceived(login *auth.Login) {
	v.remaining.expiry, v.remaining.start = login.ReceivedAt().Add(auth.CodeLifetime), login.ReceivedAt()
	v.remaining.wrap = func(s string) string {
		return lang.L("Code lifetime left: {{.Left}}", map[string]any{"Left": s})
	}
	v.remaining.update(v.u.now())
	v.say(func() string { return lang.L("Code received; exchanging it for tokens…") })
}

// openBrowser opens the login's URL in the system browser.
func (v *authorizeView) openBrowser() {
	u := v.u
	login := u.session.login
	if login == nil {
		return
	}
	target, open := login.URL, u.openURL
	u.background(nil, func(context.Context) func() {
		err := open(target)
		if err == nil {
			return nil
		}
		return func() {
			if u.session.login != login {
				return // the login ended meanwhile, and its error with it
			}
			setError(u.authz.errLabel, lang.L("Could not open the browser ({{.Err}}). Copy the URL and open it yourself.",
				map[string]any{"Err": err.Error()}))
		}
	})
}

// submitPaste hands the pasted text to the login.
func (v *authorizeView) submitPaste() {
	login := v.u.session.login
	if login == nil {
		setError(v.errLabel, lang.L("Start the authorization first."))
		return
	}
	if err := login.Paste(v.paste.Text); err != nil {
		setError(v.errLabel, message(err))
		return
	}
	v.errLabel.Hide()
	v.noteUnchecked(login)
	v.codeReceived(login)
}

// noteUnchecked shows, once login took a pasted bare code, that its state
// could not be checked.
func (v *authorizeView) noteUnchecked(login *auth.Login) {
	if login.StateUnchecked() {
		v.unchecked.Show()
	} else {
		v.unchecked.Hide()
	}
}

// accountName is how an account is shown: its nickname or open_id.
func accountName(a auth.Account) string {
	if a.Nickname != "" {
		return a.Nickname
	}
	return a.OpenID
}
