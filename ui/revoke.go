package ui

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
)

// revoke asks for confirmation, then cancels the account's authorization in
// the sandbox, as the user can in the Douyin app.
func (c *accountCard) revoke() {
	confirm(c.u.win, lang.L("Revoke in sandbox"),
		lang.L("Cancel the authorization {{.Who}} gave this app, as the user can in the Douyin app (设置 › 账号与安全 › 授权管理)? The sandbox ends its tokens at once; they stay stored here, and Verify and Refresh then get the platform's answer.",
			map[string]any{"Who": accountName(c.grant.Account)}),
		lang.L("Revoke"), "", widget.DangerImportance, c.doRevoke)
}

// doRevoke revokes the grant through the window's own sandbox when it
// serves the profile's base URL, and through the sandbox's control
// endpoint otherwise.
func (c *accountCard) doRevoke() {
	p, who := c.u.session.profile, accountName(c.grant.Account)
	base, openID := p.Endpoint(), c.grant.OpenID
	var own *sandbox.Sandbox
	if c.u.sandbox != nil && strings.TrimRight(c.u.sandboxURL, "/") == base {
		own = c.u.sandbox
	}
	c.start(func(ctx context.Context) func() {
		err := revokeInSandbox(ctx, own, base, p.ClientKey, openID)
		return func() {
			switch {
			case errors.Is(err, sandbox.ErrNothingToRevoke):
				setError(c.errLabel, lang.L("The sandbox holds no live authorization of {{.Who}} to revoke: its tokens have ended already.",
					map[string]any{"Who": who}))
			case err != nil:
				setError(c.errLabel, lang.L("The sandbox at {{.URL}} did not revoke the authorization: {{.Error}}",
					map[string]any{"URL": base, "Error": err.Error()}))
			default:
				c.ok(lang.L("The sandbox revoked the authorization of {{.Who}}, as the user can in the Douyin app: Verify and Refresh now get the platform's answer.",
					map[string]any{"Who": who}))
			}
		}
	})
}

// revokeInSandbox cancels the grant openID gave clientKey: through own when
// it is set, else through the sandbox's control endpoint at base.
func revokeInSandbox(ctx context.Context, own *sandbox.Sandbox, base, clientKey, openID string) error {
	if own == nil {
		return sandbox.RevokeAt(ctx, base, clientKey, openID)
	}
	if !own.Revoke(clientKey, openID) {
		return sandbox.ErrNothingToRevoke
	}
	return nil
}
