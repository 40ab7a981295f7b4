package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// timeLayout is how absolute times are shown.
const timeLayout = "2006-01-02 15:04:05"

// clientTokenWarn is when a client token's countdown turns to a warning.
const clientTokenWarn = 30 * time.Minute

// tokensView is step 3: the tokens of every authorized account of the
// active profile, and the app's client token.
type tokensView struct {
	u       *App
	content fyne.CanvasObject

	empty    *widget.Label
	accounts *fyne.Container
	cards    []*accountCard

	// shown is the profile whose accounts are on screen; gen tells a
	// reload's answer whether it is still wanted.
	shown string
	gen   int

	client        *tokenRow
	clientBtn     *widget.Button
	clientErr     *widget.Label
	clientBusy    *busy
	clientSection *fyne.Container
}

func newTokensView(u *App) *tokensView {
	v := &tokensView{u: u}
	v.empty = widget.NewLabel("")
	v.empty.Wrapping = fyne.TextWrapWord
	v.accounts = container.NewVBox()
	v.client = newTokenRow(u, lang.L("Client token"), clientTokenWarn)
	v.clientBtn = widget.NewButton(lang.L("Get client token"), v.fetchClientToken)
	v.clientErr = widget.NewLabel("")
	v.clientErr.Wrapping = fyne.TextWrapWord
	v.clientErr.Hide()
	v.clientBusy = newBusy(v.clientBtn)
	v.clientSection = container.NewVBox(
		container.NewHBox(
			widget.NewLabelWithStyle(lang.L("App credential (no user)"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			layout.NewSpacer(), v.clientBusy.activity, v.clientBtn),
		v.client.content,
		v.clientErr,
	)
	v.content = container.NewVScroll(container.NewVBox(v.empty, v.accounts, widget.NewSeparator(), v.clientSection))
	return v
}

// hasCountdowns reports whether the view shows any countdown.
func (v *tokensView) hasCountdowns() bool {
	return len(v.cards) > 0 || v.client.has
}

// tokenSnapshot is what the tokens view shows for a profile, read from
// storage and the keyring off the UI goroutine.
type tokenSnapshot struct {
	name     string
	accounts []auth.Account
	err      error // reading the profile
	grants   map[string]auth.Grant
	errs     map[string]error // reading a grant, by open_id
	client   *auth.ClientToken
}

// loadTokens reads the accounts, grants and client token of profile. It
// may block on the keyring: call it in the background.
func loadTokens(st *storage.Store, profile string) tokenSnapshot {
	s := tokenSnapshot{name: profile, grants: map[string]auth.Grant{}, errs: map[string]error{}}
	p, err := st.Profile(profile)
	if err != nil {
		s.err = err
		return s
	}
	s.accounts = p.Accounts
	ts := st.Tokens(profile)
	for _, a := range p.Accounts {
		if g, err := ts.Grant(a.OpenID); err == nil {
			s.grants[a.OpenID] = g
		} else {
			s.errs[a.OpenID] = err
		}
	}
	if t, err := ts.ClientToken(); err == nil {
		s.client = &t
	}
	return s
}

// reload reads the accounts and client token stored for the active
// profile in the background and shows them; until then it shows what was
// read last.
func (v *tokensView) reload() {
	u := v.u
	v.gen++
	if !u.active {
		v.shown = ""
		v.setCards(nil)
		v.client.clear()
		v.empty.SetText(lang.L("No profile yet: save the credentials first (step 1)."))
		v.empty.Show()
		v.clientSection.Hide()
		v.register()
		return
	}
	name := u.profile.Name
	if v.shown != name {
		if u.snap != nil && u.snap.name == name {
			v.show(*u.snap)
		} else {
			v.shown = ""
			v.setCards(nil)
			v.client.clear()
			v.empty.SetText(lang.L("Loading…"))
			v.empty.Show()
			v.clientSection.Hide()
			v.register()
		}
	}
	gen, st := v.gen, u.st
	u.background(nil, func(context.Context) func() {
		s := loadTokens(st, name)
		return func() {
			if v.gen != gen || u.tokens != v || !u.active || u.profile.Name != name {
				return
			}
			v.apply(s)
		}
	})
}

// apply shows a snapshot of the active profile and plans its expiries.
func (v *tokensView) apply(s tokenSnapshot) {
	u := v.u
	v.gen++ // a reload started earlier must not overwrite it
	if s.err == nil {
		u.profile.Accounts = s.accounts
	}
	u.snap = &s
	v.show(s)
	u.sched.reschedule()
	u.visibilityChanged()
}

// show puts a snapshot on screen, keeping the cards of accounts still
// there so that jobs running for them land on screen.
func (v *tokensView) show(s tokenSnapshot) {
	old := map[string]*accountCard{}
	if v.shown == s.name {
		for _, c := range v.cards {
			old[c.grant.OpenID] = c
		}
	}
	v.shown = s.name
	v.clientSection.Show()
	var cards []*accountCard
	for _, a := range s.accounts {
		c := old[a.OpenID]
		if c == nil {
			c = newAccountCard(v, a)
		}
		switch g, ok := s.grants[a.OpenID]; {
		case c.busy.running():
			// the job's own result follows
		case ok:
			c.setGrant(g)
			if c.loadFailed {
				c.errLabel.Hide()
				c.loadFailed = false
			}
		default:
			if err := s.errs[a.OpenID]; err != nil {
				setError(c.errLabel, message(err))
				c.loadFailed = true
			}
		}
		cards = append(cards, c)
	}
	v.setCards(cards)
	switch {
	case s.err != nil:
		setError(v.empty, message(s.err))
	case len(v.cards) == 0:
		v.empty.SetText(lang.L("No authorized account yet: run the authorization (step 2)."))
		v.empty.Importance = widget.MediumImportance
		v.empty.Show()
		v.empty.Refresh()
	default:
		v.empty.Hide()
	}
	if s.client != nil {
		v.client.set(s.client.Token, s.client.Obtained, s.client.Expiry)
	} else if !v.clientBusy.running() {
		v.client.clear()
	}
	v.register()
}

// setCards replaces the account cards on screen.
func (v *tokensView) setCards(cards []*accountCard) {
	v.cards = cards
	objs := make([]fyne.CanvasObject, len(cards))
	for i, c := range cards {
		objs[i] = c.content
	}
	v.accounts.Objects = objs
	v.accounts.Refresh()
}

// register hands the view's countdowns to the clock.
func (v *tokensView) register() {
	var cds []*countdown
	for _, c := range v.cards {
		cds = append(cds, c.access.countdown, c.refresh.countdown)
	}
	if v.client.has {
		cds = append(cds, v.client.countdown)
	}
	v.u.clock.set("tokens", cds)
}

// card returns the card of openID, or nil.
func (v *tokensView) card(openID string) *accountCard {
	for _, c := range v.cards {
		if c.grant.OpenID == openID {
			return c
		}
	}
	return nil
}

// fetchClientToken gets a new client token.
func (v *tokensView) fetchClientToken() {
	flow := v.u.flow
	v.u.background(v.clientBusy, func(ctx context.Context) func() {
		t, err := flow.FetchClientToken(ctx)
		return func() {
			if err != nil {
				setError(v.clientErr, message(err))
				return
			}
			v.clientErr.Hide()
			v.client.set(t.Token, t.Obtained, t.Expiry)
			v.register()
			v.u.visibilityChanged()
		}
	})
}

// tokenRow shows one token: masked value, Reveal, Copy, countdown, and the
// obtained and expiry times.
type tokenRow struct {
	u         *App
	content   fyne.CanvasObject
	value     string
	has       bool
	revealed  bool
	valueText *widget.Label
	revealBtn *widget.Button
	copyBtn   *widget.Button
	countdown *countdown
	times     *widget.Label
}

func newTokenRow(u *App, title string, warn time.Duration) *tokenRow {
	r := &tokenRow{u: u}
	r.valueText = widget.NewLabel("—")
	r.valueText.TextStyle = fyne.TextStyle{Monospace: true}
	r.valueText.Selectable = true
	r.revealBtn = widget.NewButtonWithIcon(lang.L("Reveal"), theme.VisibilityIcon(), r.toggle)
	r.copyBtn = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		if r.has {
			u.fyne.Clipboard().SetContent(r.value)
		}
	})
	r.countdown = newCountdown(time.Time{}, warn, nil)
	r.times = widget.NewLabel("")
	// Normal colour, smaller text: LowImportance looked disabled.
	r.times.SizeName = theme.SizeNameCaptionText
	r.times.Wrapping = fyne.TextWrapWord
	head := container.NewHBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		r.countdown.label, layout.NewSpacer(), r.revealBtn, r.copyBtn)
	r.content = container.NewVBox(head, r.valueText, r.times)
	r.clear()
	return r
}

func (r *tokenRow) clear() {
	r.value, r.has, r.revealed = "", false, false
	r.countdown.expiry = time.Time{}
	r.countdown.label.Hide()
	r.valueText.SetText("—")
	r.times.SetText("")
	r.revealBtn.Disable()
	r.copyBtn.Disable()
	r.content.Hide()
}

// set shows a token; the countdown follows on the next tick.
func (r *tokenRow) set(value string, obtained, expiry time.Time) {
	r.value, r.has = value, true
	r.content.Show()
	r.countdown.expiry = expiry
	r.countdown.update(r.u.now())
	r.countdown.label.Show()
	r.revealBtn.Enable()
	r.copyBtn.Enable()
	r.showValue()
	r.times.SetText(lang.L("Obtained {{.Obtained}} · expires {{.Expiry}}",
		map[string]any{"Obtained": formatTime(obtained), "Expiry": formatTime(expiry)}))
}

func (r *tokenRow) toggle() {
	r.revealed = !r.revealed
	r.showValue()
}

func (r *tokenRow) showValue() {
	if r.revealed {
		r.valueText.SetText(r.value)
		r.revealBtn.SetText(lang.L("Hide"))
		r.revealBtn.SetIcon(theme.VisibilityOffIcon())
	} else {
		r.valueText.SetText(auth.Mask(r.value))
		r.revealBtn.SetText(lang.L("Reveal"))
		r.revealBtn.SetIcon(theme.VisibilityIcon())
	}
}

// formatTime shows t in local time, or a dash when unknown.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format(timeLayout)
}

// accountCard shows one authorized account and its actions.
type accountCard struct {
	v       *tokensView
	content fyne.CanvasObject
	grant   auth.Grant

	card      *widget.Card
	avatar    *canvas.Image
	avatarURL string
	who       *widget.Label
	access    *tokenRow
	refresh   *tokenRow
	renewals  *widget.Label
	errLabel  *widget.Label
	info      *widget.Label

	refreshBtn, renewBtn, verifyBtn, curlBtn, reauthBtn, forgetBtn *widget.Button
	busy                                                           *busy

	// loadFailed tells that errLabel shows a failure to read the grant.
	loadFailed bool
}

func newAccountCard(v *tokensView, a auth.Account) *accountCard {
	u := v.u
	c := &accountCard{v: v}
	c.grant.Account = a
	c.avatar = canvas.NewImageFromResource(nil)
	c.avatar.FillMode = canvas.ImageFillContain
	c.avatar.SetMinSize(fyne.NewSize(56, 56))
	c.avatar.Hide()
	c.who = widget.NewLabel("")
	c.who.Wrapping = fyne.TextWrapWord
	c.access = newTokenRow(u, lang.L("Access token"), u.settings.NotifyAccessBefore)
	c.refresh = newTokenRow(u, lang.L("Refresh token"), u.settings.NotifyRefreshBefore)
	c.renewals = widget.NewLabel("")
	c.errLabel = widget.NewLabel("")
	c.errLabel.Wrapping = fyne.TextWrapWord
	c.errLabel.Hide()
	c.info = widget.NewLabel("")
	c.info.Wrapping = fyne.TextWrapWord
	c.info.Hide()

	c.refreshBtn = widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), c.doRefresh)
	c.refreshBtn.Importance = widget.HighImportance
	c.renewBtn = widget.NewButton(lang.L("Renew refresh token"), c.doRenew)
	c.verifyBtn = widget.NewButton(lang.L("Verify"), c.doVerify)
	c.curlBtn = widget.NewButtonWithIcon(lang.L("Copy as curl"), theme.ContentCopyIcon(), c.copyCurl)
	c.reauthBtn = widget.NewButton(lang.L("Re-authorize"), func() {
		u.show(tabAuthorize)
		u.authz.start()
	})
	c.forgetBtn = widget.NewButtonWithIcon(lang.L("Forget account"), theme.DeleteIcon(), c.forget)
	c.forgetBtn.Importance = widget.DangerImportance
	c.busy = newBusy(c.refreshBtn, c.renewBtn, c.verifyBtn, c.reauthBtn, c.forgetBtn)

	buttons := container.NewHBox(c.refreshBtn, c.renewBtn, c.verifyBtn, c.curlBtn, c.reauthBtn, c.busy.activity,
		layout.NewSpacer(), c.forgetBtn)
	body := container.NewVBox(
		container.NewBorder(nil, nil, c.avatar, nil, c.who),
		c.access.content,
		widget.NewSeparator(),
		c.refresh.content,
		c.renewals,
		buttons,
		c.info,
		c.errLabel,
	)
	c.card = widget.NewCard(accountName(a), "", body)
	c.content = c.card
	c.showAccount()
	return c
}

// setGrant shows g; called only with grants the platform confirmed.
func (c *accountCard) setGrant(g auth.Grant) {
	c.grant = g
	c.access.set(g.AccessToken, g.AccessObtained, g.AccessExpiry)
	c.refresh.set(g.RefreshToken, g.RefreshObtained, g.RefreshExpiry)
	c.showAccount()
}

// showAccount shows who the account is and its renewals left.
func (c *accountCard) showAccount() {
	a := c.grant.Account
	c.card.SetTitle(accountName(a))
	text := "open_id: " + a.OpenID
	if a.UnionID != "" {
		text += "\nunion_id: " + a.UnionID
	}
	if a.Scope != "" {
		text += "\n" + lang.L("Scopes") + ": " + a.Scope
	}
	if missing := missingScopes(c.v.u.profile.Scopes, a.Scope); a.Scope != "" && len(missing) > 0 {
		text += "\n" + lang.L("Requested but not granted: {{.Scopes}}", map[string]any{"Scopes": strings.Join(missing, ",")})
	}
	c.who.SetText(text)
	left := auth.MaxRenewals - a.Renewals
	if left < 0 {
		left = 0
	}
	c.renewals.SetText(lang.L("Refresh token renewals left: {{.Left}} of {{.Max}}",
		map[string]any{"Left": left, "Max": auth.MaxRenewals}))
	if left == 0 {
		c.renewals.Importance = widget.DangerImportance
	} else {
		c.renewals.Importance = widget.MediumImportance
	}
	c.renewals.Refresh()
	c.loadAvatar(a.Avatar)
}

// missingScopes returns the requested scopes absent from the granted,
// comma-separated list.
func missingScopes(requested []string, granted string) []string {
	have := map[string]bool{}
	for _, g := range splitScopes(granted) {
		have[g] = true
	}
	var missing []string
	for _, r := range requested {
		if !have[r] {
			missing = append(missing, r)
		}
	}
	return missing
}

// fail shows err and keeps the tokens shown.
func (c *accountCard) fail(err error) {
	setError(c.errLabel, message(err))
	if auth.NeedsReauthorization(err) {
		c.errLabel.SetText(c.errLabel.Text + "\n" + lang.L("Use Re-authorize to sign in again."))
	}
}

func (c *accountCard) ok(note string) {
	c.errLabel.Hide()
	c.info.SetText(note)
	c.info.Importance = widget.SuccessImportance
	c.info.Show()
	c.info.Refresh()
}

// doRefresh gets a new access token with the refresh token.
func (c *accountCard) doRefresh() {
	c.grantStep((*auth.Flow).Refresh, lang.L("Access token refreshed."))
}

// doRenew replaces the refresh token.
func (c *accountCard) doRenew() {
	c.grantStep((*auth.Flow).Renew, lang.L("Refresh token renewed."))
}

// grantStep runs a flow step that yields a new grant for the account, then
// shows the grant and done, or the error with the old tokens kept.
func (c *accountCard) grantStep(step func(*auth.Flow, context.Context, string) (auth.Grant, error), done string) {
	flow, openID, profile := c.v.u.flow, c.grant.OpenID, c.v.u.profile.Name
	c.v.u.background(c.busy, func(ctx context.Context) func() {
		g, err := step(flow, ctx, openID)
		return func() {
			var unsaved *auth.UnsavedError
			if errors.As(err, &unsaved) {
				// The platform issued it and the store keeps it for the
				// session: show it, so that its Copy buttons reach it.
				c.setGrant(unsaved.Grant)
				c.v.u.grantChanged(profile, unsaved.Grant)
			}
			if err != nil {
				c.fail(err)
				return
			}
			c.setGrant(g)
			c.v.u.grantChanged(profile, g)
			c.ok(done)
		}
	})
}

// doVerify calls userinfo with the access token.
func (c *accountCard) doVerify() {
	flow, openID := c.v.u.flow, c.grant.OpenID
	c.v.u.background(c.busy, func(ctx context.Context) func() {
		g, err := flow.Verify(ctx, openID)
		return func() {
			if err != nil {
				c.fail(err)
				return
			}
			c.setGrant(g)
			c.ok(lang.L("The access token works: userinfo answered for {{.Name}} (open_id {{.OpenID}}, union_id {{.UnionID}}).",
				map[string]any{"Name": g.Nickname, "OpenID": g.OpenID, "UnionID": g.UnionID}))
		}
	})
}

// curl is a ready userinfo call with the account's access token.
func (c *accountCard) curl() string {
	return fmt.Sprintf("curl -X POST %s%s -d access_token=%s -d open_id=%s",
		c.v.u.profile.Endpoint(), auth.PathUserInfo, c.grant.AccessToken, c.grant.OpenID)
}

func (c *accountCard) copyCurl() {
	c.v.u.fyne.Clipboard().SetContent(c.curl())
	c.ok(lang.L("A userinfo curl command was copied."))
}

// loadAvatar fetches the avatar image in the background.
func (c *accountCard) loadAvatar(src string) {
	if src == "" || src == c.avatarURL {
		return
	}
	c.avatarURL = src
	c.v.u.background(nil, func(ctx context.Context) func() {
		data, err := fetchImage(ctx, src)
		if err != nil {
			return nil
		}
		return func() {
			if c.avatarURL != src {
				return
			}
			c.avatar.Resource = fyne.NewStaticResource("avatar", data)
			c.avatar.Show()
			c.avatar.Refresh()
		}
	})
}

// fetchImage downloads at most 2 MiB from src.
func fetchImage(ctx context.Context, src string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 2<<20))
}

// autoRefresh refreshes the access token of openID, as the scheduler
// asks, unless a job for it runs already.
func (v *tokensView) autoRefresh(openID string) {
	if c := v.card(openID); c != nil && !c.busy.running() {
		c.doRefresh()
	}
}

// forget asks for confirmation, then deletes the account and its tokens.
func (c *accountCard) forget() {
	d := dialog.NewConfirm(lang.L("Forget account"),
		lang.L("Delete {{.Who}} and its tokens from “{{.Profile}}”? The authorization on Douyin stays until it expires.",
			map[string]any{"Who": accountName(c.grant.Account), "Profile": c.v.u.profile.Name}),
		func(ok bool) {
			if ok {
				c.doForget()
			}
		}, c.v.u.win)
	d.SetConfirmText(lang.L("Forget account"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// doForget deletes the account from the profile and the keyring.
func (c *accountCard) doForget() {
	u, openID := c.v.u, c.grant.OpenID
	st, profile := u.st, u.profile.Name
	u.background(c.busy, func(context.Context) func() {
		err := st.DeleteAccount(profile, openID)
		return func() {
			if err != nil {
				c.fail(err)
				return
			}
			if !u.active || u.profile.Name != profile {
				return
			}
			u.profile.Accounts = slices.DeleteFunc(u.profile.Accounts, func(a auth.Account) bool { return a.OpenID == openID })
			u.sched.reschedule()
			u.tokens.reload()
			u.profiles.reload()
		}
	})
}
