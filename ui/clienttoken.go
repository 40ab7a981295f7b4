package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// clientTokenWarn is when a client token's countdown turns to a warning.
const clientTokenWarn = 30 * time.Minute

// clientTokens is the Tokens step's app-credential section: the rotating
// client token and the stable one, each with its button, countdown and
// copy. The two are kept apart, as the platform keeps them.
type clientTokens struct {
	u       *Window
	content *fyne.Container

	client, stable       *tokenRow
	clientBtn, stableBtn *widget.Button
	errLabel             *widget.Label
	busy                 *busy
	// changed is told when a fetched token came on screen.
	changed func()
}

func newClientTokens(u *Window, changed func()) *clientTokens {
	c := &clientTokens{u: u, changed: changed}
	c.client = newTokenRow(u, lang.L("Client token"), clientTokenWarn, clientLife)
	c.stable = newTokenRow(u, lang.L("Stable client token"), clientTokenWarn, clientLife)
	c.clientBtn = widget.NewButton(lang.L("Get client token"), func() { c.fetch(false) })
	c.stableBtn = widget.NewButton(lang.L("Get stable client token"), func() { c.fetch(true) })
	c.errLabel = hiddenNote("", widget.MediumImportance)
	c.busy = newBusy(c.clientBtn, c.stableBtn)
	c.content = container.NewVBox(
		actionRow([]fyne.CanvasObject{heading(lang.L("App credential (no user)"))},
			c.busy.activity, c.clientBtn, c.stableBtn),
		c.client.content,
		c.stable.content,
		c.errLabel,
	)
	return c
}

// row returns the row of the stable token or of the rotating one.
func (c *clientTokens) row(stable bool) *tokenRow {
	if stable {
		return c.stable
	}
	return c.client
}

// show puts the tokens read from storage on screen; a row whose fetch is
// running keeps what it shows.
func (c *clientTokens) show(client, stable *auth.ClientToken) {
	for _, t := range []struct {
		stable bool
		read   *auth.ClientToken
	}{{false, client}, {true, stable}} {
		r := c.row(t.stable)
		switch {
		case t.read != nil:
			r.set(t.read.Token, t.read.Obtained, t.read.Expiry)
		case !c.busy.running():
			r.clear()
		}
	}
}

// clearMessages takes the section's error away.
func (c *clientTokens) clearMessages() { c.errLabel.Hide() }

// clear takes both tokens off the screen.
func (c *clientTokens) clear() {
	c.client.clear()
	c.stable.clear()
}

// countdowns returns the countdowns of the tokens shown.
func (c *clientTokens) countdowns() []*countdown {
	var cds []*countdown
	for _, r := range []*tokenRow{c.client, c.stable} {
		if r.has {
			cds = append(cds, r.countdown)
		}
	}
	return cds
}

// fetch gets a client token, the stable one when stable is set. The first
// rotating one of a profile on the real platform waits for the user's
// consent (see storage.Profile.ClientTokenNeedsConfirmation).
func (c *clientTokens) fetch(stable bool) {
	if !stable && c.u.session.profile.ClientTokenNeedsConfirmation() {
		c.confirm()
		return
	}
	c.run(stable, false)
}

// confirm explains what a rotating client token fetched here can do to
// the one the app's own server holds, and offers the stable token instead.
func (c *clientTokens) confirm() {
	text := wrapped(lang.L("This profile uses the real platform. Each new client_token ends the previous one after a 5-minute grace, wherever it was fetched: fetching one here with your production client_key and client_secret can end the token your own server holds. The stable client token (stable_client_token) does not rotate and is the safe choice here. This is asked once for this profile."))
	d := dialog.NewCustomWithoutButtons(lang.L("Client token on the real platform"), text, c.u.win)
	stable := widget.NewButton(lang.L("Get stable client token"), func() { d.Hide(); c.run(true, false) })
	stable.Importance = widget.HighImportance
	anyway := widget.NewButton(lang.L("Fetch client token anyway"), func() { d.Hide(); c.run(false, true) })
	anyway.Importance = widget.DangerImportance
	d.SetButtons([]fyne.CanvasObject{widget.NewButton(lang.L("Cancel"), d.Hide), stable, anyway})
	// A wrapped label is as tall as its width makes it: give it the
	// dialog's width first, or the dialog grows to one word a line.
	w := fyne.Min(560, c.u.win.Canvas().Size().Width*0.9)
	text.Resize(fyne.NewSize(w-40, 1))
	d.Resize(fyne.NewSize(w, d.MinSize().Height))
	d.Show()
}

// run fetches the token in the background; with confirmed it first
// records the user's consent in the profile, so that it is asked once.
func (c *clientTokens) run(stable, confirmed bool) {
	s, st := c.u.session, c.u.st
	profile, flow := s.profile.Name, s.flow
	c.clearMessages() // this fetch's outcome replaces the last one's
	c.u.background(c.busy, func(ctx context.Context) func() {
		var err error
		if confirmed {
			err = st.ConfirmClientToken(profile)
		}
		recorded := confirmed && err == nil
		var t auth.ClientToken
		if err == nil {
			t, err = flow.FetchClientToken(ctx, stable)
		}
		return func() {
			if recorded {
				s.clientTokenConfirmed(profile)
			}
			if !s.is(profile) {
				return // another profile is on screen
			}
			if err != nil {
				setError(c.errLabel, c.u.explain(err))
				return
			}
			c.errLabel.Hide()
			c.row(stable).set(t.Token, t.Obtained, t.Expiry)
			c.changed()
		}
	})
}
