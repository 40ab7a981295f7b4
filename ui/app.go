// Package ui is the desktop window of Douyin Auth Desk: credentials,
// authorization and token inspection for Douyin Open Platform apps.
package ui

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/pkg/browser"

	"github.com/douyinauthdesk/douyin-auth-desk/assets"
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
	// afterFunc runs f once after d, like time.AfterFunc; the expiry
	// scheduler's timers go through it.
	afterFunc func(d time.Duration, f func()) stopper

	ctx     context.Context
	cancel  context.CancelFunc
	jobs    sync.WaitGroup
	running atomic.Int32 // background jobs in progress

	settings storage.Settings
	// settingsSaves orders the background writes of the settings: a write
	// older than the last one written is dropped.
	settingsSaves struct {
		sync.Mutex
		queued, written int
	}

	// The active profile, its secret and the flow built from them.
	profile storage.Profile
	secret  string
	flow    *auth.Flow
	active  bool

	// snap is the last token snapshot read for the active profile; a
	// rebuilt tokens view shows it at once.
	snap *tokenSnapshot
	// profileList is the last list of stored profiles read.
	profileList []storage.Profile

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
	sched    *scheduler
	// updateTray rebuilds the tray menu in the current language.
	updateTray func()
}

// appIcon is the icon of the window and the tray.
var appIcon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// Tab indexes of the main window.
const (
	tabCredentials = iota
	tabAuthorize
	tabTokens
	tabProfiles
	tabLog
	tabSettings
)

// startAutomation, when set by a build with the automation tag, serves the
// window's control API for tests of the real window.
var startAutomation func(*App)

// New builds the window of Douyin Auth Desk on a with the profiles of st and
// reopens the profile used last.
func New(a fyne.App, st *storage.Store) *App {
	u := newApp(a, st)
	u.start()
	return u
}

// start opens the window, the tray and the last profile.
func (u *App) start() {
	// A build without fyne package's metadata has no icon, and the tray
	// then falls back to an SVG that Windows cannot show.
	u.fyne.SetIcon(appIcon)
	u.open()
	u.setupTray()
	u.restore()
	if startAutomation != nil {
		startAutomation(u)
	}
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
		afterFunc: func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) },
		settings:  storage.DefaultSettings(),
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if s, err := st.Settings(); err == nil {
		u.settings = s
	}
	applyLanguage(u.settings.Language)
	u.log = newHTTPLog(func(f func()) { u.do(f) })
	u.clock = newClock(u)
	u.sched = newScheduler(u)
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
	var login *auth.Login
	var status func() string
	if u.authz != nil {
		paste, login, status = u.authz.paste.Text, u.authz.login, u.authz.statusText
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
	if login != nil { // a login in progress survives the rebuild
		u.authz.follow(login)
		if status != nil {
			u.authz.say(status)
		}
	}
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
	if u.updateTray != nil {
		u.updateTray()
	}
}

// activate makes p the active profile, builds its flow and remembers it as
// the profile to open next time. snap, when not nil, holds its tokens read
// already; otherwise they are read in the background.
func (u *App) activate(p storage.Profile, secret string, snap *tokenSnapshot) {
	if u.snap != nil && u.snap.name != p.Name {
		u.snap = nil
	}
	if u.active && u.profile.Name != p.Name {
		u.authz.cancelLogin() // its callback would belong to the other app
	}
	u.profile, u.secret, u.active = p, secret, true
	u.flow = u.st.Flow(p, secret)
	u.flow.Client.Log, u.flow.Client.Now, u.flow.Now = u.log.add, u.now, u.now
	u.authz.render()
	if snap != nil {
		u.tokens.apply(*snap)
	} else {
		u.tokens.reload()
	}
	u.profiles.reload()
	u.sched.reschedule()
	if u.settings.LastProfile != p.Name {
		u.settings.LastProfile = p.Name
		u.saveSettings()
	}
}

// deactivate forgets the active profile.
func (u *App) deactivate() {
	u.authz.cancelLogin()
	u.profile, u.secret, u.flow, u.active, u.snap = storage.Profile{}, "", nil, false, nil
	u.authz.render()
	u.tokens.reload()
	u.sched.stop()
	if u.updateTray != nil {
		u.updateTray()
	}
	u.visibilityChanged()
}

// authorized shows the tokens of a new grant of profile, unless another
// profile is active by now.
func (u *App) authorized(profile string, g auth.Grant) {
	if !u.active || u.profile.Name != profile {
		return
	}
	u.grantChanged(profile, g)
	u.tokens.reload()
	u.profiles.reload()
	u.show(tabTokens)
}

// grantChanged records new expiries of g's account of profile, when it is
// the active one, and reschedules the notifications and automatic refreshes.
func (u *App) grantChanged(profile string, g auth.Grant) {
	if !u.active || u.profile.Name != profile {
		return
	}
	found := false
	for i, a := range u.profile.Accounts {
		if a.OpenID == g.OpenID {
			u.profile.Accounts[i], found = g.Account, true
		}
	}
	if !found {
		u.profile.Accounts = append(u.profile.Accounts, g.Account)
	}
	u.sched.reschedule()
}

// restore opens the profile used last, or the first one, reading its
// secret and tokens in the background. It leaves the window alone if the
// user started on something else meanwhile.
func (u *App) restore() {
	st, last := u.st, u.settings.LastProfile
	form := u.creds.draft()
	u.background(nil, func(context.Context) func() {
		ps, err := st.Profiles()
		if err != nil || len(ps) == 0 {
			return nil
		}
		p := ps[0]
		for _, q := range ps {
			if q.Name == last {
				p = q
			}
		}
		secret, secretErr := st.Secret(p.Name)
		var snap tokenSnapshot
		if secretErr == nil {
			snap = loadTokens(st, p.Name)
			if snap.err == nil {
				p.Accounts = snap.accounts
			}
		}
		return func() {
			if u.active || u.creds.draft() != form {
				return
			}
			u.creds.load(p, secret)
			if secretErr != nil {
				setError(u.creds.status, lang.L("The client secret of “{{.Name}}” is not available ({{.Err}}); enter it in step 1.",
					map[string]any{"Name": p.Name, "Err": message(secretErr)}))
				u.show(tabCredentials)
				return
			}
			u.activate(p, secret, &snap)
			if len(p.Accounts) > 0 {
				u.show(tabTokens)
			} else {
				u.show(tabCredentials)
			}
		}
	})
}

// background runs work in the background with busy shown, then runs the function
// work returns on the UI goroutine.
func (u *App) background(b *busy, work func(ctx context.Context) func()) {
	if b != nil {
		b.start()
	}
	u.jobs.Add(1)
	u.running.Add(1)
	go func() {
		defer u.jobs.Done()
		defer u.running.Add(-1)
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
	u.sched.stop()
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
	// after, when set, runs once the buttons are enabled again.
	after func()
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
	if b.after != nil {
		b.after()
	}
}

// running reports whether a job is in progress.
func (b *busy) running() bool { return b.n > 0 }
