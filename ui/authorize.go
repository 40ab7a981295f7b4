package ui

import (
	"context"
	"errors"
	"net/url"
	"path"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// codeWarn is when the code lifetime countdown turns to a warning.
const codeWarn = 2 * time.Minute

// authorizeView is step 2: the authorization URL, the wait for the
// callback and the paste box.
type authorizeView struct {
	u       *App
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

	login *auth.Login
	// statusText renders the status of the login in progress.
	statusText func() string
}

func newAuthorizeView(u *App) *authorizeView {
	v := &authorizeView{u: u}
	v.profileLabel = widget.NewLabel("")
	v.profileLabel.Wrapping = fyne.TextWrapWord
	v.url = widget.NewMultiLineEntry()
	v.url.Wrapping = fyne.TextWrapBreak
	v.url.SetMinRowsVisible(3)
	v.url.SetPlaceHolder(lang.L("The authorization URL appears here."))
	v.url.OnChanged = func(string) { v.showURL() } // read-only: typing is undone
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.remaining = newCountdown(time.Time{}, 0, nil)
	v.remaining.label.TextStyle = fyne.TextStyle{Bold: true} // it holds translated text
	v.remaining.label.Hide()
	v.errLabel = widget.NewLabel("")
	v.errLabel.Wrapping = fyne.TextWrapWord
	v.errLabel.Hide()
	v.unchecked = widget.NewLabel(lang.L("The state could not be checked: only the code was pasted, so nothing shows it came from this authorization. Paste the whole address from the browser to have it checked."))
	v.unchecked.Wrapping = fyne.TextWrapWord
	v.unchecked.Importance = widget.WarningImportance
	v.unchecked.Hide()
	v.paste = widget.NewEntry()
	v.paste.SetPlaceHolder(lang.L("Paste the redirected URL, or just the code"))

	v.startBtn = widget.NewButton(lang.L("Start authorization"), v.start)
	v.startBtn.Importance = widget.HighImportance
	v.openBtn = widget.NewButton(lang.L("Open in browser"), v.openBrowser)
	v.copyBtn = widget.NewButton(lang.L("Copy URL"), func() {
		if v.login != nil {
			v.u.fyne.Clipboard().SetContent(v.login.URL)
		}
	})
	v.cancelBtn = widget.NewButton(lang.L("Cancel"), v.cancelLogin)
	v.pasteBtn = widget.NewButton(lang.L("Submit"), v.submitPaste)
	v.busy = newBusy(v.startBtn)

	v.relayInfo = widget.NewLabel("")
	v.relayInfo.Wrapping = fyne.TextWrapWord
	v.relayStatus = widget.NewLabel("")
	v.relayStatus.Wrapping = fyne.TextWrapWord
	v.relayStatus.Hide()
	v.copyPageBtn = widget.NewButtonWithIcon(lang.L("Copy page"), theme.ContentCopyIcon(), v.copyRelayPage)
	v.savePageBtn = widget.NewButtonWithIcon(lang.L("Save page…"), theme.DocumentSaveIcon(), v.saveRelayPage)
	v.relay = container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Relay page"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.relayInfo,
		container.NewHBox(v.copyPageBtn, v.savePageBtn),
		v.relayStatus,
		widget.NewSeparator(),
	)
	v.relay.Hide()

	v.content = container.NewVBox(
		v.profileLabel,
		v.relay,
		container.NewHBox(v.startBtn, v.busy.activity, layout.NewSpacer(), v.openBtn, v.copyBtn, v.cancelBtn),
		widget.NewLabelWithStyle(lang.L("Authorization URL"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		v.url,
		v.status,
		v.unchecked,
		v.remaining.label,
		v.errLabel,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Paste instead"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel(lang.L("If the browser lands on a page this app cannot see, copy the address bar here.")),
		container.NewBorder(nil, nil, nil, v.pasteBtn, v.paste),
	)
	return v
}

// render shows the active profile and the login in progress.
func (v *authorizeView) render() {
	u := v.u
	if u.active && u.profile.CallbackMode == storage.ModeRelay {
		v.relayInfo.SetText(lang.L("Upload this page to your registered redirect URL: {{.Redirect}}. It forwards the callback to {{.Target}} on this computer.",
			map[string]any{"Redirect": u.profile.RedirectURI, "Target": u.profile.RelayTarget}))
		v.relay.Show()
	} else {
		v.relay.Hide()
	}
	if !u.active {
		v.profileLabel.SetText(lang.L("Save the credentials first (step 1)."))
		v.startBtn.Disable()
	} else {
		v.profileLabel.SetText(lang.L("Profile “{{.Name}}” · {{.Endpoint}} · redirect {{.Redirect}}",
			map[string]any{"Name": u.profile.Name, "Endpoint": u.profile.Endpoint(), "Redirect": u.profile.RedirectURI}))
		if v.waiting() {
			v.startBtn.Disable() // Cancel first
		} else if !v.busy.running() {
			v.startBtn.Enable()
		}
	}
	waiting := v.waiting()
	for _, b := range []*widget.Button{v.openBtn, v.copyBtn, v.cancelBtn, v.pasteBtn} {
		if waiting {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	v.showURL()
	if waiting {
		v.remaining.label.Show()
		v.u.clock.set("authorize", []*countdown{v.remaining})
	} else {
		v.remaining.label.Hide()
		v.u.clock.set("authorize", nil)
	}
}

// showURL puts the login's URL back into the read-only URL box.
func (v *authorizeView) showURL() {
	want := ""
	if v.login != nil {
		want = v.login.URL
	}
	if v.url.Text != want {
		v.url.SetText(want)
	}
}

// waiting reports whether a login waits for its callback.
func (v *authorizeView) waiting() bool { return v.login != nil }

// start begins an authorization with the active profile, opens the browser
// and waits for the callback in the background.
func (v *authorizeView) start() {
	u := v.u
	if !u.active {
		return
	}
	v.cancelLogin()
	v.errLabel.Hide()
	v.unchecked.Hide()
	opts, err := u.st.LoginOptions(u.profile)
	if err != nil {
		setError(v.errLabel, message(err))
		return
	}
	opts.Lang = currentLang()
	login, err := u.flow.Begin(opts)
	if err != nil {
		setError(v.errLabel, message(err))
		return
	}
	v.follow(login)
	switch {
	case opts.ListenURI != "":
		v.say(func() string {
			return lang.L("Waiting for the relay page on {{.Redirect}} to forward the callback to {{.URI}}…",
				map[string]any{"Redirect": login.RedirectURI, "URI": login.CallbackURI})
		})
	case opts.Listen:
		v.say(func() string {
			return lang.L("Waiting for the callback on {{.URI}}…", map[string]any{"URI": login.RedirectURI})
		})
	default:
		v.say(func() string { return lang.L("Waiting for you to paste the redirected URL…") })
	}
	v.status.Importance = widget.MediumImportance
	v.status.Refresh()
	v.render()
	u.visibilityChanged()
	v.openBrowser()

	profile := u.profile.Name
	u.background(v.busy, func(ctx context.Context) func() {
		g, err := login.Wait(ctx)
		return func() {
			v := u.authz // the window may have been rebuilt meanwhile
			if v.login != login && v.login != nil && err != nil {
				return // a newer login replaced this one
			}
			if v.login == login {
				v.login = nil
			}
			if err != nil {
				v.status.SetText("")
				if errors.Is(err, auth.ErrCancelled) {
					v.status.SetText(message(err))
				} else {
					setError(v.errLabel, message(err))
				}
				v.render()
				u.visibilityChanged()
				return
			}
			v.status.SetText(lang.L("Authorized {{.Who}}.", map[string]any{"Who": accountName(g.Account)}))
			v.status.Importance = widget.SuccessImportance
			v.status.Refresh()
			v.paste.SetText("")
			v.render()
			u.authorized(profile, g)
		}
	})
}

// say shows the status of the login in progress; text is asked again
// when the window is rebuilt in another language.
func (v *authorizeView) say(text func() string) {
	v.statusText = text
	v.status.SetText(text())
}

// follow makes login the one the view waits for and counts down.
func (v *authorizeView) follow(login *auth.Login) {
	v.login = login
	v.noteUnchecked(login)
	v.remaining.expiry = login.Deadline
	v.remaining.warn = codeWarn
	v.remaining.wrap = func(s string) string {
		return lang.L("Code lifetime left: {{.Left}}", map[string]any{"Left": s})
	}
}

// openBrowser opens the login's URL in the system browser.
func (v *authorizeView) openBrowser() {
	if v.login == nil {
		return
	}
	target, open := v.login.URL, v.u.openURL
	v.u.background(nil, func(context.Context) func() {
		err := open(target)
		if err == nil {
			return nil
		}
		return func() {
			setError(v.errLabel, lang.L("Could not open the browser ({{.Err}}). Copy the URL and open it yourself.",
				map[string]any{"Err": err.Error()}))
		}
	})
}

// cancelLogin ends the login in progress, if any.
func (v *authorizeView) cancelLogin() {
	if v.login != nil {
		v.login.Cancel()
	}
}

// submitPaste hands the pasted text to the login.
func (v *authorizeView) submitPaste() {
	if v.login == nil {
		setError(v.errLabel, lang.L("Start the authorization first."))
		return
	}
	if err := v.login.Paste(v.paste.Text); err != nil {
		setError(v.errLabel, message(err))
		return
	}
	v.errLabel.Hide()
	v.noteUnchecked(v.login)
	v.say(func() string { return lang.L("Code received; exchanging it for tokens…") })
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

// relayPage returns the relay page of the active profile.
func (v *authorizeView) relayPage() ([]byte, error) {
	return auth.RelayPage(v.u.profile.RelayTarget)
}

// copyRelayPage puts the relay page on the clipboard.
func (v *authorizeView) copyRelayPage() {
	page, err := v.relayPage()
	if err != nil {
		setError(v.relayStatus, message(err))
		return
	}
	v.u.fyne.Clipboard().SetContent(string(page))
	v.relayNote(lang.L("The relay page was copied."))
}

// saveRelayPage asks where to save the relay page and writes it there.
func (v *authorizeView) saveRelayPage() {
	page, err := v.relayPage()
	if err != nil {
		setError(v.relayStatus, message(err))
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			setError(v.relayStatus, message(err))
			return
		}
		if w == nil {
			return // cancelled
		}
		v.writeRelayPage(w, page)
	}, v.u.win)
	d.SetFileName(relayFileName(v.u.profile.RedirectURI))
	d.Show()
}

// writeRelayPage writes page to w in the background.
func (v *authorizeView) writeRelayPage(w fyne.URIWriteCloser, page []byte) {
	v.u.background(nil, func(context.Context) func() {
		_, err := w.Write(page)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		where := w.URI().String()
		return func() {
			if err != nil {
				setError(v.relayStatus, message(err))
				return
			}
			v.relayNote(lang.L("The relay page was saved to {{.Path}}.", map[string]any{"Path": where}))
		}
	})
}

func (v *authorizeView) relayNote(text string) {
	v.relayStatus.SetText(text)
	v.relayStatus.Importance = widget.SuccessImportance
	v.relayStatus.Show()
	v.relayStatus.Refresh()
}

// relayFileName suggests a file name for the relay page: the last part of
// the redirect URI's path when it names an HTML page, else index.html.
func relayFileName(redirect string) string {
	if u, err := url.Parse(redirect); err == nil {
		if base := path.Base(u.Path); strings.HasSuffix(base, ".html") || strings.HasSuffix(base, ".htm") {
			return base
		}
	}
	return "index.html"
}

// accountName is how an account is shown: its nickname or open_id.
func accountName(a auth.Account) string {
	if a.Nickname != "" {
		return a.Nickname
	}
	return a.OpenID
}
