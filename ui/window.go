package ui

import (
	"context"
	"net/http"
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

// Window is the main window of Douyin Auth Desk and what lives as long as
// it: the settings, the session the screens share, the clock, the expiry
// scheduler and the background jobs.
type Window struct {
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

	session *session
	// kept is what the screens show beyond the session.
	kept kept

	// sandbox and sandboxURL are the window's sandbox started last; sbx
	// holds all of them.
	sandbox    *sandbox.Sandbox
	sandboxURL string
	sbx        sandboxes
	// httpClient, when set, carries the flows' requests instead of
	// http.DefaultClient.
	httpClient *http.Client

	log *httpLog
	// logKeep orders the writes of the kept HTTP log.
	logKeep logKeeping
	clock   *clock
	sched   *scheduler
	// updateTray rebuilds the tray menu in the current language.
	updateTray func()

	banner *fyne.Container
	header *profileHeader
	tabs   *container.AppTabs
	// screens holds the content of each tab's screen once built, nil
	// before; allScreens builds them all with the window (tests reach any
	// screen's widgets that way).
	screens    [tabCount]fyne.CanvasObject
	allScreens bool
	// The screens; those other than Tokens are nil until first shown.
	creds    *credentialsView
	authz    *authorizeView
	tokens   *tokensView
	apiView  *apiView
	profiles *profilesView
	logView  *logView
	setView  *settingsView
}

// kept is what the screens show beyond the session, held by the window so
// that a screen rebuilt in another language shows it again: each screen
// writes its part as it changes and reads it when built.
type kept struct {
	// credentials is what the credentials form holds.
	credentials credentialsDraft
	// editing names the stored profile the form was filled with, "" for
	// a new one: saving under another existing name asks first.
	editing string
	// formBase is the form as filled or last saved: leaving a form that
	// differs from it asks first.
	formBase credentialsDraft
	// paste is what the paste box of step 2 holds.
	paste string
	// loginStatus renders the status of the login in progress.
	loginStatus func() string
	// profiles is the last list of stored profiles read.
	profiles []storage.Profile
	// logError is why the HTTP log could not be kept, nil once it was.
	logError error
	// opening names the profile the window reopens as it starts, until
	// its secret and tokens are read.
	opening string
}

// appIcon is the icon of the window and the tray.
var appIcon = fyne.NewStaticResource("icon.png", assets.IconPNG)

// Tab indexes of the main window.
const (
	tabCredentials = iota
	tabAuthorize
	tabTokens
	tabAPI
	tabProfiles
	tabLog
	tabSettings
	tabCount
)

// startAutomation, when set by a build with the automation tag, serves the
// window's control API for tests of the real window.
var startAutomation func(*Window)

// New builds the window of Douyin Auth Desk on a with the profiles of st and
// reopens the profile used last.
func New(a fyne.App, st *storage.Store) *Window {
	u := newWindow(a, st)
	u.start()
	return u
}

// start opens the window, the tray and the last profile.
func (u *Window) start() {
	// A build without fyne package's metadata has no icon, and the tray
	// then falls back to an SVG that Windows cannot show.
	u.fyne.SetIcon(appIcon)
	u.kept.opening = u.settings.LastProfile
	u.open()
	u.checkKeyring()
	u.restore()
	u.restoreLog()
	if startAutomation != nil {
		startAutomation(u)
	}
}

// open creates the window, unless Preload did, and its screens.
func (u *Window) open() {
	u.win, preloaded = preloaded, nil
	if u.win == nil {
		u.win = u.fyne.NewWindow(lang.L("Douyin Auth Desk"))
	}
	u.win.Resize(fyne.NewSize(980, 720))
	u.win.SetOnClosed(u.shutdown)
	u.build()
}

// newWindow creates the state without a window; New and tests build on it.
func newWindow(a fyne.App, st *storage.Store) *Window {
	u := &Window{
		fyne:      a,
		st:        st,
		now:       time.Now,
		openURL:   browser.OpenURL,
		tickEvery: time.Second,
		do:        fyne.DoAndWait,
		afterFunc: func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) },
		settings:  storage.DefaultSettings(),
		kept:      kept{credentials: newDraft()},
	}
	u.ctx, u.cancel = context.WithCancel(context.Background())
	if s, err := st.Settings(); err == nil {
		u.settings = s
	}
	applyLanguage(u.settings.Language)
	if fontsLoading == nil { // Preload set it, and measures text with it
		a.Settings().SetTheme(newTheme())
	}
	u.log = newHTTPLog(func(f func()) { u.do(f) })
	u.log.changed = u.logChanged
	u.session = newSession(u.flow)
	u.clock = newClock(u)
	u.sched = newScheduler(u)
	return u
}

// flow builds the flow of p with its secret, logging to the HTTP log on
// the window's clock.
func (u *Window) flow(p storage.Profile, secret string) *auth.Flow {
	f := u.st.Flow(p, secret)
	f.Client.Now, f.Now = u.now, u.now
	f.Client.Log = func(e auth.LogEntry) {
		u.log.add(e)
		u.watchConnection(p, e)
	}
	if u.httpClient != nil {
		f.Client.HTTP = u.httpClient
	}
	return f
}

// ShowAndRun shows the window and runs the app until it quits.
// The tray, a hidden window of its own with its own OpenGL context, is set
// up after the window is shown, so that the window's frame comes first.
func (u *Window) ShowAndRun() {
	u.win.Show()
	u.setupTray()
	u.fyne.Run()
}

// build creates the window's content in the current language: the
// header, the tabs, and the screens of Tokens (whose cards the expiry
// scheduler refreshes), the tab selected and every tab shown before; the
// others are built when first selected. Each screen shows what the
// session and the kept state hold.
func (u *Window) build() {
	selected, shown := tabCredentials, u.screens
	if u.tabs != nil {
		selected = u.tabs.SelectedIndex()
	} else if u.kept.opening != "" {
		selected = tabTokens // where the profile reopened shows its tokens
	}
	waitForFonts()
	u.clock.reset()
	u.win.SetTitle(lang.L("Douyin Auth Desk"))
	u.banner = container.NewVBox()
	u.refreshBanner()
	u.screens = [tabCount]fyne.CanvasObject{}
	u.creds, u.authz, u.tokens, u.apiView, u.profiles, u.logView, u.setView = nil, nil, nil, nil, nil, nil, nil
	for i := range tabCount {
		if i == tabTokens || i == selected || shown[i] != nil || u.allScreens {
			u.screens[i] = u.newScreen(i)
		}
	}
	// After the screens: an automatic refresh due at once needs the
	// account's card on screen.
	u.session.observe("scheduler", u.sched.sessionChanged)
	u.session.observe("window", u.sessionChanged)
	u.session.observe("sandbox", u.sandboxOpened)
	// The tabs are given all their items, the shown screen in its own,
	// and selected before they are extended as a widget: the selection
	// then refreshes nothing, and the tab bar is first built and laid out
	// once, at the window's size, rather than tab by tab from zero wide.
	items := make([]*container.TabItem, tabCount)
	for i, title := range tabTitles() {
		var content fyne.CanvasObject = container.NewStack()
		if i == selected {
			content = u.screens[i]
		}
		items[i] = container.NewTabItem(title, content)
	}
	u.tabs = &container.AppTabs{Items: items}
	u.tabs.SelectIndex(selected)
	u.tabs.OnSelected = func(*container.TabItem) {
		u.place(u.tabs.SelectedIndex())
		u.visibilityChanged()
	}
	u.header = newProfileHeader(u)
	u.win.SetContent(container.NewBorder(container.NewVBox(u.banner, u.header.content), nil, nil, nil, narrowTabs(u.tabs)))
	u.visibilityChanged()
}

// tabTitles are the titles of the tabs, in their order.
func tabTitles() [tabCount]string {
	return [tabCount]string{
		lang.L("1 · Credentials"), lang.L("2 · Authorize"), lang.L("3 · Tokens"), lang.L("4 · Try an API"),
		lang.L("Profiles"), lang.L("HTTP log"), lang.L("Settings"),
	}
}

// newScreen builds the screen of tab i and returns its content.
func (u *Window) newScreen(i int) fyne.CanvasObject {
	switch i {
	case tabCredentials:
		u.creds = newCredentialsView(u)
		return u.creds.content
	case tabAuthorize:
		u.authz = newAuthorizeView(u)
		return u.authz.content
	case tabTokens:
		u.tokens = newTokensView(u)
		return u.tokens.content
	case tabAPI:
		u.apiView = newAPIView(u)
		return u.apiView.content
	case tabProfiles:
		u.profiles = newProfilesView(u)
		return u.profiles.content
	case tabLog:
		u.logView = newLogView(u)
		return u.logView.content
	}
	u.setView = newSettingsView(u)
	return u.setView.content
}

// place puts the screen of tab i in its tab, building it first if it never
// was. Until then a tab holds an empty container: laying a screen out
// measures all its text, and the window's first frame needs only the one
// shown.
func (u *Window) place(i int) {
	if i < 0 || i >= tabCount {
		return
	}
	if u.screens[i] == nil {
		u.screens[i] = u.newScreen(i)
	}
	if it := u.tabs.Items[i]; it.Content != u.screens[i] {
		it.Content = u.screens[i]
		u.tabs.Refresh()
	}
}

// checkKeyring has the store probe the keyring in the background, which
// it does when it first needs it: the first screen does not wait on D-Bus.
// The banner then says whether secrets are kept for this session only.
func (u *Window) checkKeyring() {
	st := u.st
	u.background(nil, func(context.Context) func() {
		st.SessionOnly()
		return u.refreshBanner
	})
}

// refreshBanner shows the session-only warning, once the keyring was
// probed, and the store's notices.
func (u *Window) refreshBanner() {
	u.banner.RemoveAll()
	if sessionOnly, _ := u.st.SessionOnlyKnown(); sessionOnly {
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
	for _, o := range u.sandboxBanner() {
		u.banner.Add(o)
	}
}

// show selects the tab i.
func (u *Window) show(i int) {
	u.tabs.SelectIndex(i)
	u.visibilityChanged()
}

// editProfile fills the credentials form with d, as stored, and shows it;
// rename, when not empty, then replaces the name as typing would.
func (u *Window) editProfile(d credentialsDraft, rename string) {
	u.show(tabCredentials)
	u.creds.fill(d, rename)
}

// reauthorize begins a new authorization of the active profile on step 2.
func (u *Window) reauthorize() {
	u.show(tabAuthorize)
	u.authz.start()
}

// visibilityChanged starts the ticker while a countdown is on screen and
// stops it otherwise.
func (u *Window) visibilityChanged() {
	visible := false
	switch u.tabs.SelectedIndex() {
	case tabTokens:
		visible = u.tokens.hasCountdowns()
	case tabAuthorize:
		visible = u.session.waiting()
	}
	u.clock.run(visible)
	u.clock.tick()
}

// sessionChanged remembers the profile opened as the one to open next
// time, and runs the ticker while countdowns show.
func (u *Window) sessionChanged(c change) {
	switch c {
	case profileChanged:
		if p := u.session.profile.Name; u.session.active && u.settings.LastProfile != p {
			u.settings.LastProfile = p
			u.saveSettings()
		}
		u.visibilityChanged()
	case tokensRead:
		u.visibilityChanged()
	}
}

// setLanguage applies a language choice and rebuilds the window in it.
func (u *Window) setLanguage(choice string) {
	u.settings.Language = choice
	applyLanguage(choice)
	u.build()
	if u.updateTray != nil {
		u.updateTray()
	}
}

// shutdown stops background work when the window closes.
func (u *Window) shutdown() {
	u.clock.run(false)
	u.sched.stop()
	u.session.cancelLogin()
	u.cancel()
	u.closeSandboxes()
}

// message renders err in the current language, with the platform's
// explanation when it is a platform error.
func message(err error) string { return auth.Message(err, currentLang()) }
