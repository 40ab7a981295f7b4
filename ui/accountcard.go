package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// accountCard shows one authorized account of the active profile and its
// actions.
type accountCard struct {
	u       *Window
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
	// revokeBtn revokes the grant in the sandbox, for sandbox profiles.
	revokeBtn *widget.Button
	busy      *busy

	// loadFailed tells that errLabel shows a failure to read the grant.
	loadFailed bool
	// renewLimit tells that the platform refused to renew the refresh
	// token shown, whatever the count of renewals says.
	renewLimit bool
}

func newAccountCard(u *Window, a auth.Account) *accountCard {
	c := &accountCard{u: u}
	c.grant.Account = a
	c.avatar = canvas.NewImageFromResource(nil)
	c.avatar.FillMode = canvas.ImageFillContain
	c.avatar.SetMinSize(fyne.NewSize(56, 56))
	c.avatar.Hide()
	c.who = wrapped("")
	c.access = newTokenRow(u, lang.L("Access token"), u.settings.NotifyAccessBefore, accessLife)
	c.refresh = newTokenRow(u, lang.L("Refresh token"), u.settings.NotifyRefreshBefore, refreshLife)
	c.renewals = wrapped("")
	c.errLabel = hiddenNote("", widget.MediumImportance)
	c.info = hiddenNote("", widget.MediumImportance)
	c.card = widget.NewCard(accountName(a), "", container.NewVBox(
		container.NewBorder(nil, nil, c.avatar, nil, c.who),
		c.access.content,
		widget.NewSeparator(),
		c.refresh.content,
		c.renewals,
		c.newButtons(),
		c.info,
		c.errLabel,
	))
	c.content = c.card
	c.showAccount()
	return c
}

// newButtons creates the card's actions and returns their row.
func (c *accountCard) newButtons() fyne.CanvasObject {
	c.refreshBtn = widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), c.doRefresh)
	c.refreshBtn.Importance = widget.HighImportance
	c.renewBtn = widget.NewButton(lang.L("Renew refresh token"), c.confirmRenew)
	c.verifyBtn = widget.NewButton(lang.L("Verify"), c.doVerify)
	c.curlBtn = widget.NewButtonWithIcon(lang.L("Copy as curl"), theme.ContentCopyIcon(), c.copyCurl)
	c.reauthBtn = widget.NewButton(lang.L("Re-authorize"), c.u.reauthorize)
	c.forgetBtn = widget.NewButtonWithIcon(lang.L("Forget account"), theme.DeleteIcon(), c.forget)
	c.forgetBtn.Importance = widget.DangerImportance
	c.revokeBtn = widget.NewButton(lang.L("Revoke in sandbox"), c.revoke)
	c.revokeBtn.Importance = widget.WarningImportance
	c.busy = newBusy(c.refreshBtn, c.renewBtn, c.verifyBtn, c.reauthBtn, c.forgetBtn, c.revokeBtn)
	c.busy.after = c.showRenewals // a job's end enables Renew, even at the limit
	return actionRow([]fyne.CanvasObject{c.refreshBtn, c.renewBtn, c.verifyBtn, c.curlBtn, c.reauthBtn, c.busy.activity},
		c.revokeBtn, c.forgetBtn)
}

// showRead shows what s read of the account, unless a job for it runs:
// that job's own result follows.
func (c *accountCard) showRead(s tokenSnapshot) {
	if c.busy.running() {
		return
	}
	if g, ok := s.grants[c.grant.OpenID]; ok {
		if g.AccessToken != c.grant.AccessToken || g.RefreshToken != c.grant.RefreshToken {
			c.clearMessages() // they spoke of the tokens replaced
		}
		c.setGrant(g)
		if c.loadFailed {
			c.errLabel.Hide()
			c.loadFailed = false
		}
	} else if err := s.errs[c.grant.OpenID]; err != nil {
		setError(c.errLabel, message(err))
		c.loadFailed = true
	}
}

// setGrant shows g; called only with grants the platform confirmed.
func (c *accountCard) setGrant(g auth.Grant) {
	if g.RefreshToken != c.grant.RefreshToken {
		c.renewLimit = false
	}
	c.grant = g
	c.access.set(g.AccessToken, g.AccessObtained, g.AccessExpiry)
	if g.RefreshToken == "" { // an imported access token alone
		c.refresh.clear()
	} else {
		c.refresh.set(g.RefreshToken, g.RefreshObtained, g.RefreshExpiry)
	}
	c.showAccount()
}

// showAccount shows who the account is and its renewals left.
func (c *accountCard) showAccount() {
	a := c.grant.Account
	c.card.SetTitle(accountName(a))
	text := "open_id: " + a.OpenID
	if a.Imported {
		text = lang.L("Imported") + " · " + text
	}
	if a.UnionID != "" {
		text += "\nunion_id: " + a.UnionID
	}
	if a.Scope != "" {
		text += "\n" + lang.L("Scopes: {{.Scopes}}", map[string]any{"Scopes": a.Scope})
	}
	if missing := missingScopes(c.u.session.profile.Scopes, a.Scope); a.Scope != "" && len(missing) > 0 {
		text += "\n" + lang.L("Requested but not granted: {{.Scopes}}", map[string]any{"Scopes": strings.Join(missing, ",")})
	}
	c.who.SetText(text)
	c.showRenewals()
	if c.u.session.profile.Environment == storage.EnvSandbox {
		c.revokeBtn.Show()
	} else {
		c.revokeBtn.Hide()
	}
	c.loadAvatar(a.Avatar)
}

// fail shows err in place of the card's message and keeps the tokens
// shown, marking the one err shows to be invalid.
func (c *accountCard) fail(err error) {
	msg := c.u.explain(err)
	if auth.NeedsReauthorization(err) {
		msg += "\n" + lang.L("Use Re-authorize to sign in again.")
	}
	c.info.Hide()
	setError(c.errLabel, msg)
	switch token, code := auth.InvalidToken(err); token {
	case auth.TokenAccess:
		c.access.markInvalid(code)
	case auth.TokenRefresh:
		c.refresh.markInvalid(code)
	}
	if renewLimitReached(err) {
		c.renewLimit = true
		c.showRenewals()
	}
}

// ok shows text in place of the card's message.
func (c *accountCard) ok(text string) {
	c.errLabel.Hide()
	note(c.info, text, widget.SuccessImportance)
}

// clearMessages takes the card's message away: the moment it spoke of is
// over.
func (c *accountCard) clearMessages() {
	c.info.Hide()
	c.errLabel.Hide()
	c.loadFailed = false
}

// start runs work as the card's new action: the message of the last one
// goes, and work's result says how this one went.
func (c *accountCard) start(work func(context.Context) func()) {
	c.clearMessages()
	c.u.background(c.busy, work)
}

// doRefresh gets a new access token with the refresh token.
func (c *accountCard) doRefresh() {
	c.grantStep((*auth.Flow).Refresh, lang.L("Access token refreshed."))
}

// grantStep runs a flow step that yields a new grant for the account, then
// shows the grant and done, or the error with the old tokens kept.
func (c *accountCard) grantStep(step func(*auth.Flow, context.Context, string) (auth.Grant, error), done string) {
	s := c.u.session
	flow, openID, profile := s.flow, c.grant.OpenID, s.profile.Name
	c.start(func(ctx context.Context) func() {
		g, err := step(flow, ctx, openID)
		return func() {
			var unsaved *auth.UnsavedError
			if errors.As(err, &unsaved) {
				// The platform issued it and the store keeps it for the
				// session: show it, so that its Copy buttons reach it.
				c.setGrant(unsaved.Grant)
				s.grantChanged(profile, unsaved.Grant)
			}
			if err != nil {
				c.fail(err)
				return
			}
			c.setGrant(g)
			// The platform accepted the refresh token and answered with an
			// access token that works.
			c.access.markValid()
			c.refresh.markValid()
			s.grantChanged(profile, g)
			c.ok(done)
		}
	})
}

// doVerify calls userinfo with the access token.
func (c *accountCard) doVerify() {
	flow, openID := c.u.session.flow, c.grant.OpenID
	c.start(func(ctx context.Context) func() {
		g, err := flow.Verify(ctx, openID)
		return func() {
			if err != nil {
				c.fail(err)
				return
			}
			c.setGrant(g)
			c.access.markValid()
			c.ok(lang.L("The access token works: userinfo answered for {{.Name}} (open_id {{.OpenID}}, union_id {{.UnionID}}).",
				map[string]any{"Name": g.Nickname, "OpenID": g.OpenID, "UnionID": g.UnionID}))
		}
	})
}

// curl is a ready userinfo call with the account's access token.
func (c *accountCard) curl() string {
	return fmt.Sprintf("curl -X POST %s%s -d access_token=%s -d open_id=%s",
		c.u.session.profile.Endpoint(), auth.PathUserInfo, c.grant.AccessToken, c.grant.OpenID)
}

func (c *accountCard) copyCurl() {
	c.u.fyne.Clipboard().SetContent(c.curl())
	c.ok(lang.L("A userinfo curl command was copied."))
}

// loadAvatar fetches the avatar image in the background.
func (c *accountCard) loadAvatar(src string) {
	if src == "" || src == c.avatarURL {
		return
	}
	c.avatarURL = src
	c.u.background(nil, func(ctx context.Context) func() {
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

// forget asks for confirmation, then deletes the account and its tokens.
func (c *accountCard) forget() {
	confirm(c.u.win, lang.L("Forget account"),
		lang.L("Delete {{.Who}} and its tokens from “{{.Profile}}”? The authorization on Douyin stays until it expires.",
			map[string]any{"Who": accountName(c.grant.Account), "Profile": c.u.session.profile.Name}),
		lang.L("Forget account"), "", widget.DangerImportance, c.doForget)
}

// doForget deletes the account from the profile and the keyring.
func (c *accountCard) doForget() {
	s, st, openID := c.u.session, c.u.st, c.grant.OpenID
	profile := s.profile.Name
	c.start(func(context.Context) func() {
		err := st.DeleteAccount(profile, openID)
		return func() {
			if err != nil {
				c.fail(err)
				return
			}
			s.forgotten(profile, openID)
		}
	})
}
