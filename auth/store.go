package auth

import (
	"errors"
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
}

// Grant is an Account together with its tokens.
type Grant struct {
	Account
	AccessToken  string `json:"-"`
	RefreshToken string `json:"-"`
}

// ClientToken is an app-only credential (client_credential grant).
type ClientToken struct {
	Token    string    `json:"-"`
	Obtained time.Time `json:"obtained"`
	Expiry   time.Time `json:"expiry"`
}

// TokenStore keeps the grants of one app profile. Implementations must write
// new secrets before dropping old ones, so that a crash never leaves the
// profile without a working refresh token.
type TokenStore interface {
	// Grant returns the grant stored for openID, or ErrNoAccount.
	Grant(openID string) (Grant, error)
	// SaveGrant stores g, replacing the grant with the same OpenID.
	SaveGrant(g Grant) error
	// ClientToken returns the stored client token, or ErrNoClientToken.
	ClientToken() (ClientToken, error)
	// SaveClientToken stores t, replacing the previous client token.
	SaveClientToken(t ClientToken) error
}
