package auth

import (
	"errors"
	"fmt"
	"time"
)

// ErrNoAccount is returned by a TokenStore that holds no grant for the
// requested open_id.
var ErrNoAccount = errors.New("auth: no such account")

// ErrNoClientToken is returned by a TokenStore that holds no client token.
var ErrNoClientToken = errors.New("auth: no client token")

// MaxRenewals is how many times the platform lets a refresh token be renewed
// before the user must authorize again.
const MaxRenewals = 5

// Account is one authorized user of an app, without any secret.
type Account struct {
	OpenID   string `json:"open_id"`
	UnionID  string `json:"union_id,omitempty"`
	Nickname string `json:"nickname,omitempty"`
	Avatar   string `json:"avatar,omitempty"` // avatar image URL
	Role     string `json:"e_account_role,omitempty"`
	Scope    string `json:"scope,omitempty"` // granted scopes, comma-separated

	AccessObtained  time.Time `json:"access_obtained"`
	AccessExpiry    time.Time `json:"access_expiry"`
	RefreshObtained time.Time `json:"refresh_obtained"`
	RefreshExpiry   time.Time `json:"refresh_expiry"`
	Renewals        int       `json:"renewals"` // refresh-token renewals used, of MaxRenewals

	// Imported: the account's tokens were given to the app by its user
	// (Flow.ImportRefreshToken, Flow.ImportAccessToken) rather than
	// obtained by a login here, so the same refresh token may also be held
	// elsewhere, and renewing it there ends it here. A login clears it.
	Imported bool `json:"imported,omitempty"`
	// AccessOnly: the account holds an access token without a refresh token
	// (Flow.ImportAccessToken). It cannot be refreshed nor renewed
	// (ErrNoRefreshToken), and its RefreshExpiry is zero.
	AccessOnly bool `json:"access_only,omitempty"`
}

// AccessExpiryKnown reports whether a's access token has a known expiry. A
// zero AccessExpiry means unknown, never "expired": an imported access
// token (userinfo does not tell its life), or one whose save was
// interrupted. Refreshing it makes it known.
func (a Account) AccessExpiryKnown() bool { return !a.AccessExpiry.IsZero() }

// RenewalsLeft is how many more times the platform lets a's refresh token be
// renewed.
func (a Account) RenewalsLeft() int { return max(MaxRenewals-a.Renewals, 0) }

// Grant is an Account together with its tokens.
type Grant struct {
	Account
	AccessToken  string `json:"-"`
	RefreshToken string `json:"-"`
}

// ClientToken is an app-only credential (client_credential grant), from
// client_token's rotation or, when Stable, from stable_client_token.
type ClientToken struct {
	Token    string    `json:"-"`
	Obtained time.Time `json:"obtained"`
	Expiry   time.Time `json:"expiry"`
	Stable   bool      `json:"stable,omitempty"`
}

// TokenStore keeps the grants of one app profile. Implementations must write
// new secrets before dropping old ones, so that a crash never leaves the
// profile without a working refresh token.
type TokenStore interface {
	// Grant returns the grant stored for openID, or ErrNoAccount.
	Grant(openID string) (Grant, error)
	// SaveGrant stores g, replacing the grant with the same OpenID.
	SaveGrant(g Grant) error
	// ClientToken returns the stored client token, the stable one when
	// stable is set, or ErrNoClientToken.
	ClientToken(stable bool) (ClientToken, error)
	// SaveClientToken stores t, replacing the previous client token of its
	// kind (t.Stable); the other kind is kept apart.
	SaveClientToken(t ClientToken) error
}

// UnsavedError reports a grant that the platform issued and the store could
// not save in full. The store keeps Grant for the rest of the session, so
// the account goes on working. RefreshStored tells whether its refresh token
// also survives a restart: it is in the keyring, and the store finishes the
// save when it next opens. When it is not, the new refresh token exists only
// in memory, the one stored before may be dead, and the user should copy the
// new one before quitting.
type UnsavedError struct {
	Grant         Grant
	RefreshStored bool
	Err           error
}

func (e *UnsavedError) Unwrap() error { return e.Err }

func (e *UnsavedError) Error() string { return e.Message("en") }

// Message returns the error in lang ("zh" or "en").
func (e *UnsavedError) Message(lang string) string {
	switch {
	case e.RefreshStored && IsChinese(lang):
		return fmt.Sprintf("新的 refresh_token 已存入钥匙串，但其余部分未能保存（%v）：本次运行照常使用，下次启动时自动补全", e.Err)
	case e.RefreshStored:
		return fmt.Sprintf("the new refresh token is in the keyring, but the rest could not be saved (%v): it is used for this session and the save is finished at the next start", e.Err)
	case IsChinese(lang):
		return fmt.Sprintf("新的 refresh_token 无法保存（%v），旧的可能已失效：它只保存在本次运行的内存中，请在退出前复制它", e.Err)
	default:
		return fmt.Sprintf("the new refresh token could not be saved (%v) and the old one may no longer work: it is kept in memory for this session only, so copy it before quitting", e.Err)
	}
}
