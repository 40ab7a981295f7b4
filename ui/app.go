// Package ui is the desktop window of Douyin Auth Desk: credentials,
// authorization and token inspection for Douyin Open Platform apps.
package ui

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/pkg/browser"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// App is the main window and the state behind it.
type App struct {
	fyne fyne.App
	st   *storage.Store
	win  fyne.Window

	// now is the clock of every countdown and expiry check.
	now func() time.Time
	// openURL shows a page in the system browser.
	openURL func(string) error
	// tickEvery is the countdown interval; zero disables the ticker.
	tickEvery time.Duration
	// do runs f on the UI goroutine and waits for it.
	do func(f func())

	ctx    context.Context
	cancel context.CancelFunc
	jobs   sync.WaitGroup

	settings storage.Settings

	// The active profile, its secret and the flow built from them.
	profile storage.Profile
	secret  string
	flow    *auth.Flow
	active  bool

	sandbox    *sandbox.Sandbox
	sandboxURL string

	log   *httpLog
	clock *clock

	banner   *fyne.Container
	tabs     *container.AppTabs
	creds    *credentialsView
	authz    *authorizeView
	tokens   *tokensView
	profiles *profilesView
	logView  *logView
	setView  *settingsView
	notifier *notifier
	// updateTray rebuilds the tray menu in the current language.
	updateTray func()
}

// Tab indexes of the main window.
const (
	tabCredentials = iota
	tabAuthorize
	tabTokens
	tabProfiles
	tabLog
	tabSettings
)

// New builds the window of Douyin Auth Desk on a with the profiles of st.
func New(a fyne.App, st *storage.Store) *App {
	u := newApp(a, st)
	u.open()
	u.setupTray()
	return u
}

// open creates the window and its screens.
func (u *App) open() {
	u.win = u.fyne.NewWindow(lang.L("Douyin Auth Desk"))
	u.win.Resize(fyne.NewSize(980, 720))
	u.win.SetOnClosed(u.shutdown)
	u.build()
}

// newApp creates the state without a window; New and tests build on it.
func newApp(a fyne.App, st *storage.Store) *App {
	u := &App{
		fyne:      a,
		st:        st,
		now:       time.Now,
		openURL:   browser.OpenURL,
		tickEvery: time.Second,
		do:        fyne.DoAndWait,
		settings:  storage.DefaultSettings(),
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if s, err := st.Settings(); err == nil {
		u.settings = s
	}
	applyLanguage(u.settings.Language)
	u.log = newHTTPLog(func(f func()) { u.do(f) })
	u.clock = newClock(u)
	u.notifier = newNotifier(u)
	u.clock.onTick(func(now time.Time) {
		if u.tokens != nil {
			u.tokens.autoRefresh(now)
		}
	})
	return u
}

// ShowAndRun shows the window and runs the app until it quits.
func (u *App) ShowAndRun() {
	u.win.ShowAndRun()
}

// Window returns the main window.
func (u *App) Window() fyne.Window { return u.win }

// build creates every screen in the current language and restores what the
// previous screens showed.
func (u *App) build() {
	var draft *credentialsDraft
	if u.creds != nil {
		d := u.creds.draft()
		draft = &d
	}
	selected := tabCredentials
	if u.tabs != nil {
		selected = u.tabs.SelectedIndex()
	}
	var paste string
	if u.authz != nil {
		paste = u.authz.paste.Text
	}
	u.clock.reset()

	u.win.SetTitle(lang.L("Douyin Auth Desk"))
	u.banner = container.NewVBox()
	u.refreshBanner()
	u.creds = newCredentialsView(u)
	u.authz = newAuthorizeView(u)
	u.tokens = newTokensView(u)
	u.profiles = newProfilesView(u)
	u.logView = newLogView(u)
	u.setView = newSettingsView(u)
	if draft != nil {
		u.creds.setDraft(*draft)
	} else if u.active {
		u.creds.load(u.profile, u.secret)
	}
	u.authz.paste.SetText(paste)
	u.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("1 · Credentials"), u.creds.content),
		container.NewTabItem(lang.L("2 · Authorize"), u.authz.content),
		container.NewTabItem(lang.L("3 · Tokens"), u.tokens.content),
		container.NewTabItem(lang.L("Profiles"), u.profiles.content),
		container.NewTabItem(lang.L("HTTP log"), u.logView.content),
		container.NewTabItem(lang.L("Settings"), u.setView.content),
	)
	u.tabs.OnSelected = func(*container.TabItem) { u.visibilityChanged() }
	u.tabs.SelectIndex(selected)
	u.authz.render()
	u.tokens.reload()
	u.win.SetContent(container.NewBorder(u.banner, nil, nil, nil, u.tabs))
	u.visibilityChanged()
}

// refreshBanner shows the session-only warning and the store's notices.
func (u *App) refreshBanner() {
	u.banner.RemoveAll()
	if u.st.SessionOnly() {
		l := widget.NewLabel(lang.L("No keyring: secrets are kept for this session only"))
		l.Importance = widget.WarningImportance
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.Wrapping = fyne.TextWrapWord
		u.banner.Add(l)
	}
	for _, n := range u.st.NoticeDetails() {
		if n.Kind == storage.NoticeSessionOnly {
			continue
		}
		l := widget.NewLabel(n.Message(currentLang()))
		l.Importance = widget.WarningImportance
		l.Wrapping = fyne.TextWrapWord
		u.banner.Add(l)
	}
}

// show selects the tab i.
func (u *App) show(i int) {
	u.tabs.SelectIndex(i)
	u.visibilityChanged()
}

// visibilityChanged starts the ticker while a countdown is on screen and
// stops it otherwise.
func (u *App) visibilityChanged() {
	visible := false
	switch u.tabs.SelectedIndex() {
	case tabTokens:
		visible = u.tokens.hasCountdowns()
	case tabAuthorize:
		visible = u.authz.waiting()
	}
	u.clock.run(visible)
	u.clock.tick()
}

// setLanguage applies a language choice and rebuilds the window in it.
func (u *App) setLanguage(choice string) {
	u.settings.Language = choice
	applyLanguage(choice)
	u.build()
}

// activate makes p the active profile and builds its flow.
func (u *App) activate(p storage.Profile, secret string) {
	u.profile, u.secret, u.active = p, secret, true
	client := &auth.Client{BaseURL: p.Endpoint(), Log: u.log.add, Now: u.now}
	u.flow = &auth.Flow{
		Client: client,
		App: auth.App{ClientKey: p.ClientKey, ClientSecret: secret, Scopes: p.Scopes,
			OptionalScope: p.OptionalScope, RedirectURI: p.RedirectURI},
		Store: u.st.Tokens(p.Name),
		Now:   u.now,
	}
	u.authz.render()
	u.tokens.reload()
	u.profiles.reload()
	u.notifier.schedule()
}

// deactivate forgets the active profile.
func (u *App) deactivate() {
	u.authz.cancelLogin()
	u.profile, u.secret, u.flow, u.active = storage.Profile{}, "", nil, false
	u.authz.render()
	u.tokens.reload()
	u.notifier.stop()
	u.visibilityChanged()
}

// authorized shows the tokens of a new grant.
func (u *App) authorized(g auth.Grant) {
	u.tokens.reload()
	u.profiles.reload()
	u.notifier.schedule()
	u.show(tabTokens)
}

// background runs work in the background with busy shown, then runs the function
// work returns on the UI goroutine.
func (u *App) background(b *busy, work func(ctx context.Context) func()) {
	if b != nil {
		b.start()
	}
	u.jobs.Add(1)
	go func() {
		defer u.jobs.Done()
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
func (u *App) wait() { u.jobs.Wait() }

// shutdown stops background work when the window closes.
func (u *App) shutdown() {
	u.clock.run(false)
	u.notifier.stop()
	u.authz.cancelLogin()
	u.cancel()
	if u.sandbox != nil {
		u.sandbox.Close()
	}
}

// message renders err in the current language, with the platform's
// explanation when it is a platform error.
func message(err error) string { return auth.Message(err, currentLang()) }

// busy disables buttons and shows activity while a job runs.
type busy struct {
	buttons  []*widget.Button
	activity *widget.Activity
	n        int
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
}

// running reports whether a job is in progress.
func (b *busy) running() bool { return b.n > 0 }
