package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// A token obtained elsewhere — by the app's own server, on another machine —
// becomes an account like one from a login once the platform has shown it
// alive; nothing else is taken on trust.
//
// An imported refresh token is refreshed once: the answer names the open_id
// and the lifetimes, and a refresh never ends a token held elsewhere (a live
// access token comes back unchanged, douyin-openapi.md §3). Renewing would
// end it, so no import renews. When the account is stored already, the
// imported refresh token replaces the stored one only after that refresh
// succeeded; the stored one may then be renewed away or older, and the
// imported one is the one shown to work.
//
// An imported access token is shown alive by userinfo, which says nothing of
// its life: it is stored with its expiry unknown (a zero AccessExpiry), and
// an account stored already keeps its refresh token, which can refresh it
// and so make its expiry known. A new account holds the access token only
// (Account.AccessOnly).

// The tokens of a grant as fields of an import.
const (
	FieldAccessToken  Field = "access_token"
	FieldRefreshToken Field = "refresh_token"
)

// ErrNoRefreshToken is returned by Refresh and Renew for an account that
// holds an access token only (Account.AccessOnly).
var ErrNoRefreshToken error = textError{
	en: "this account holds an access token only (it was imported without a refresh token), so it cannot be refreshed nor renewed: import its refresh token, or authorize again",
	zh: "该账号只有导入的 access_token（用户授权调用凭证），没有 refresh_token，无法刷新或续期：请导入它的 refresh_token，或重新授权",
}

// textError is an error with a fixed text in English and Chinese; being
// comparable, it works as a sentinel with errors.Is.
type textError struct{ en, zh string }

func (e textError) Error() string { return e.en }

// Message returns the error in lang ("zh" or "en").
func (e textError) Message(lang string) string {
	if IsChinese(lang) {
		return e.zh
	}
	return e.en
}

// ImportFailure says why a token was not imported.
type ImportFailure int

// Reasons of an ImportError.
const (
	// ImportMalformed: the token holds white space inside, as when two
	// tokens or a whole line were pasted.
	ImportMalformed ImportFailure = iota + 1
	// ImportExpired: the access token's life ended (28001008, 2190008).
	ImportExpired
	// ImportRevoked: the platform no longer accepts the access token:
	// the user revoked the authorization, the platform did, or the token
	// is not one of the platform's (28001003, 2190002, 10008).
	ImportRevoked
	// ImportWrongOpenID: the access token belongs to another user than
	// the open_id given with it (28001015, 2190015).
	ImportWrongOpenID
	// ImportOtherApp: the token was issued to another client_key.
	ImportOtherApp
	// ImportRefreshEnded: the refresh token expired, was renewed or
	// revoked (10010), or reached the platform's limit (10020).
	ImportRefreshEnded
	// ImportRefreshUnknown: the platform knows no such refresh token for
	// this client_key (10002): cut short, or another app's.
	ImportRefreshUnknown
)

// ImportError reports a token that was not imported, and why, with the
// platform's answer when there was one. Nothing was stored.
type ImportError struct {
	Failure   ImportFailure
	Token     GrantToken // TokenAccess or TokenRefresh
	OpenID    string     // the open_id given with an access token
	ClientKey string     // the profile's client_key
	Other     string     // for ImportOtherApp, the client_key the token was issued to
	Err       error      // the platform's answer, if any
}

func (e *ImportError) Unwrap() error { return e.Err }

func (e *ImportError) Error() string { return e.Message("en") }

// Message returns why the token was not imported and what to do, in lang
// ("zh" or "en"), followed by the platform's answer explained.
func (e *ImportError) Message(lang string) string {
	t := e.texts()
	s, open, end := t[1], " (", ")"
	if IsChinese(lang) {
		s, open, end = t[0], "（", "）"
	}
	if e.Err != nil {
		s += open + Message(e.Err, lang) + end
	}
	return s
}

// texts returns the message of e's failure in Chinese and English.
func (e *ImportError) texts() [2]string {
	name := string(FieldAccessToken)
	if e.Token == TokenRefresh {
		name = string(FieldRefreshToken)
	}
	switch e.Failure {
	case ImportMalformed:
		return [2]string{name + " 中间含有空白字符，未导入：请只粘贴一个调用凭证",
			"the " + name + " holds white space inside, so it was not imported: give exactly one token"}
	case ImportExpired:
		return [2]string{"这个 access_token（用户授权调用凭证）已过期，未导入：请改为导入该账号的 refresh_token（它能换取新的 access_token），或重新授权",
			"this access token has expired, so it was not imported: import the account's refresh token instead (it gets a new access token), or authorize again"}
	case ImportRevoked:
		return [2]string{"平台不再接受这个 access_token，未导入：用户已取消授权（抖音 › 我 › 设置 › 帐号与安全 › 授权管理）、平台收回了授权，或它没有完整复制。请检查复制是否完整，否则导入该账号的 refresh_token 或重新授权",
			"the platform no longer accepts this access token, so it was not imported: the user revoked the authorization (Douyin app › Me › Settings › Account and security › Authorization management), the platform revoked it, or it was not copied whole. Check the copy; otherwise import the account's refresh token or authorize again"}
	case ImportWrongOpenID:
		return [2]string{fmt.Sprintf("这个 access_token 不属于 open_id %s，未导入：请填写与它一同下发的 open_id", e.OpenID),
			fmt.Sprintf("this access token does not belong to open_id %s, so it was not imported: give the open_id that came with it", e.OpenID)}
	case ImportOtherApp:
		return [2]string{fmt.Sprintf("这个 %s 是发给另一个应用（client_key %s）的，不属于本配置的 client_key %s，未导入：请导入到那个应用的配置中", name, e.Other, e.ClientKey),
			fmt.Sprintf("this %s was issued to another app (client_key %s), not to this profile's client_key %s, so it was not imported: import it into a profile of that app", name, e.Other, e.ClientKey)}
	case ImportRefreshEnded:
		return [2]string{"这个 refresh_token 已失效，未导入：它已过期（有效期 30 天）、已被续期（续期会使旧的失效）、已达次数上限，或用户取消了授权。请导入该账号当前的 refresh_token，或重新授权",
			"this refresh token no longer works, so it was not imported: it expired (it lives 30 days), was renewed (renewing ends the old one), reached the platform's limit, or the user revoked the authorization. Import the account's current refresh token, or authorize again"}
	case ImportRefreshUnknown:
		return [2]string{fmt.Sprintf("平台不认识这个属于 client_key %s 的 refresh_token，未导入：它可能没有完整复制，或是发给另一个应用的", e.ClientKey),
			fmt.Sprintf("the platform knows no such refresh token for client_key %s, so it was not imported: it may not have been copied whole, or belongs to another app", e.ClientKey)}
	}
	return [2]string{name + " 未导入", "the " + name + " was not imported"}
}

// importToken returns token without the white space around it, or an error
// when it is empty or holds white space inside.
func importToken(token string, which GrantToken, field Field) (string, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return "", &FieldError{Field: field, Reason: ReasonEmpty}
	}
	if strings.IndexFunc(token, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
		return "", &ImportError{Failure: ImportMalformed, Token: which}
	}
	return token, nil
}

// ImportRefreshToken stores the account of a refresh token obtained
// elsewhere. It refreshes the token once, which tells the open_id, the
// scope and both lifetimes, then asks userinfo for the nickname and avatar
// when user_info was granted. Surrounding white space is ignored. A token
// the platform refuses is an *ImportError and nothing is stored. The stored
// account is marked Imported; one stored before keeps its nickname and, when
// its refresh token is the same, its renewal count.
func (f *Flow) ImportRefreshToken(ctx context.Context, refreshToken string) (Grant, error) {
	rt, err := importToken(refreshToken, TokenRefresh, FieldRefreshToken)
	if err != nil {
		return Grant{}, err
	}
	g, err := f.Client.Refresh(ctx, f.Credentials.ClientKey, rt)
	if err != nil {
		return Grant{}, f.refreshImportError(err)
	}
	if g.RefreshToken == "" {
		// The platform answers a refresh with the token it was sent; an
		// answer without one still leaves that token working.
		g.RefreshToken, g.RefreshObtained = rt, g.AccessObtained
	}
	g.Imported = true
	return f.adopt(ctx, g)
}

// refreshImportError explains why refreshing an imported refresh token
// failed; errors that say nothing about the token pass unchanged.
func (f *Flow) refreshImportError(err error) error {
	var pe *PlatformError
	if !errors.As(err, &pe) {
		return err
	}
	ie := &ImportError{Token: TokenRefresh, ClientKey: f.Credentials.ClientKey, Err: err}
	switch pe.Code {
	case 10010, 10020:
		ie.Failure = ImportRefreshEnded
	case 10002:
		ie.Failure = ImportRefreshUnknown
	default:
		return err
	}
	return ie
}

// ImportAccessToken stores an access token obtained elsewhere, for the user
// openID, once userinfo has shown it alive and that user's: an expired,
// revoked or foreign token, or one of another user, is an *ImportError
// explaining which, and nothing is stored. Surrounding white space is
// ignored.
//
// Userinfo does not tell the token's life, so its expiry is stored as
// unknown (a zero AccessExpiry), unless it is the access token stored
// already. An account stored with a refresh token keeps it, and a refresh
// makes the expiry known; a new account holds the access token only
// (Account.AccessOnly). The account is marked Imported, unless it keeps a
// refresh token obtained here. An answer 28001012, the user did not grant
// user_info, comes only for a token the platform accepted, and so imports
// it without a nickname.
func (f *Flow) ImportAccessToken(ctx context.Context, accessToken, openID string) (Grant, error) {
	at, err := importToken(accessToken, TokenAccess, FieldAccessToken)
	if err != nil {
		return Grant{}, err
	}
	openID = strings.TrimSpace(openID)
	if openID == "" {
		return Grant{}, &FieldError{Field: FieldOpenID, Reason: ReasonEmpty}
	}
	u, err := f.Client.UserInfo(ctx, at, openID)
	if err != nil && !grantedNoUserInfo(err) {
		return Grant{}, f.accessImportError(err, openID)
	}
	if err == nil && u.OpenID != openID {
		return Grant{}, &ImportError{Failure: ImportWrongOpenID, Token: TokenAccess, OpenID: openID, ClientKey: f.Credentials.ClientKey}
	}
	if err == nil && u.ClientKey != "" && u.ClientKey != f.Credentials.ClientKey {
		return Grant{}, &ImportError{Failure: ImportOtherApp, Token: TokenAccess, OpenID: openID,
			ClientKey: f.Credentials.ClientKey, Other: u.ClientKey}
	}
	g := f.accessGrant(at, openID)
	if err == nil {
		applyUserInfo(&g.Account, u)
	}
	if err := f.Store.SaveGrant(g); err != nil {
		return Grant{}, err
	}
	return g, nil
}

// accessGrant returns the grant that an imported access token at of openID
// makes: the stored one with at in place of its access token, or a new one
// holding at only.
func (f *Flow) accessGrant(at, openID string) Grant {
	g := Grant{Account: Account{OpenID: openID}}
	if old, err := f.Store.Grant(openID); err == nil {
		g = old
	}
	if g.AccessToken != at {
		g.AccessToken, g.AccessObtained, g.AccessExpiry = at, f.now(), time.Time{}
	}
	// A refresh token obtained here stays what it was; without one, the
	// account is the import's.
	g.AccessOnly = g.RefreshToken == ""
	g.Imported = g.Imported || g.AccessOnly
	return g
}

// grantedNoUserInfo reports whether userinfo answered that the user did not
// grant it, which it answers only to a token it accepted.
func grantedNoUserInfo(err error) bool {
	var pe *PlatformError
	return errors.As(err, &pe) && pe.Code == 28001012
}

// accessImportError explains why userinfo refused an imported access
// token; errors that say nothing about the token pass unchanged.
func (f *Flow) accessImportError(err error, openID string) error {
	var pe *PlatformError
	if !errors.As(err, &pe) {
		return err
	}
	ie := &ImportError{Token: TokenAccess, OpenID: openID, ClientKey: f.Credentials.ClientKey, Err: err}
	switch pe.Code {
	case 28001008, 2190008:
		ie.Failure = ImportExpired
	case 28001003, 2190002, 10008:
		ie.Failure = ImportRevoked
	case 28001015, 2190015:
		ie.Failure = ImportWrongOpenID
	default:
		return err
	}
	return ie
}
