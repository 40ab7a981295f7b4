package ui

import (
	"errors"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// confirmRenew asks before renewing the refresh token: the platform allows
// a few renewals an authorization, and each one used is gone.
func (c *accountCard) confirmRenew() {
	after := max(c.grant.RenewalsLeft()-1, 0)
	text := lang.L("Renew the refresh token of {{.Who}}? The platform renews a refresh token at most {{.Max}} times an authorization: {{.After}} will remain after this one. The old refresh token stops working.",
		map[string]any{"Who": accountName(c.grant.Account), "Max": auth.MaxRenewals, "After": after})
	if c.grant.Imported {
		text += "\n\n" + lang.L("This refresh token was imported: wherever else it is used (your server, a script) it stops working too.")
	}
	confirm(c.u.win, lang.L("Renew refresh token"), text,
		lang.L("Renew"), lang.L("Cancel"), widget.HighImportance, c.doRenew)
}

// doRenew replaces the refresh token.
func (c *accountCard) doRenew() {
	c.grantStep((*auth.Flow).Renew, lang.L("Refresh token renewed."))
}

// showRenewals shows the renewals left, and with none left disables Renew
// and says why.
func (c *accountCard) showRenewals() {
	left := c.grant.RenewalsLeft()
	switch {
	case c.grant.AccessOnly:
		c.renewals.SetText(lang.L("Imported access token without a refresh token: it cannot be refreshed nor renewed. Import the refresh token, or Re-authorize."))
		c.renewals.Importance = widget.WarningImportance
		c.renewBtn.Disable()
		c.refreshBtn.Disable()
	case left == 0 || c.renewLimit:
		c.renewals.SetText(lang.L("No renewals left: the platform renews a refresh token at most {{.Max}} times an authorization. Re-authorize to get a new one.",
			map[string]any{"Max": auth.MaxRenewals}))
		c.renewals.Importance = widget.DangerImportance
		c.renewBtn.Disable()
	default:
		c.renewals.SetText(lang.L("Refresh token renewals left: {{.Left}} of {{.Max}}",
			map[string]any{"Left": left, "Max": auth.MaxRenewals}))
		c.renewals.Importance = widget.MediumImportance
		if !c.busy.running() {
			c.renewBtn.Enable()
		}
	}
	c.renewals.Refresh()
}

// renewLimitReached reports whether err is the platform's refusal to renew
// the refresh token again.
func renewLimitReached(err error) bool {
	var pe *auth.PlatformError
	return errors.As(err, &pe) && pe.Endpoint == auth.PathRenewRefresh && pe.Code == 10020
}
