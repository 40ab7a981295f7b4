package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// CallResult is the answer to one OpenAPI call of the catalogue.
type CallResult struct {
	API    API
	Status int    // the HTTP status; 0 when no answer arrived
	Body   []byte // the answer as received, with every secret masked
	// Cursor and HasMore are the answer's paging fields, for an API that
	// pages: the cursor of the next page, and whether there is one.
	Cursor  int64
	HasMore bool
	// Curl is the request as a curl command line, its token masked.
	Curl string
}

// Pretty returns the answer indented for reading, or as received when it
// is not JSON.
func (r CallResult) Pretty() []byte {
	var b bytes.Buffer
	if json.Indent(&b, r.Body, "", "  ") != nil {
		return r.Body
	}
	return b.Bytes()
}

// Next returns the parameters of the page after r, params with its cursor,
// or false when r is the last page or its API does not page.
func (r CallResult) Next(params map[string]string) (map[string]string, bool) {
	if !r.API.Pages || !r.HasMore {
		return nil, false
	}
	next := make(map[string]string, len(params)+1)
	for k, v := range params {
		next[k] = v
	}
	next[ParamCursor] = strconv.FormatInt(r.Cursor, 10)
	return next, true
}

// MissingScopeError reports that the account's grant lacks the scope an
// API needs. Nothing was sent: the platform would refuse the call, and
// only a new authorization asking for the scope can grant it.
type MissingScopeError struct {
	API     string // the catalogue name
	Scope   string
	OpenID  string
	Granted string // the grant's scopes, comma-separated
}

func (e *MissingScopeError) Error() string { return e.Message("en") }

// Message returns the error in lang ("zh" or "en").
func (e *MissingScopeError) Message(lang string) string {
	if IsChinese(lang) {
		return fmt.Sprintf("账号 %s 的授权不含调用 %s 所需的授权作用域（scope）%s（已授权：%s）：请求未发送。请重新授权，并在授权时同意该授权作用域",
			e.OpenID, e.API, e.Scope, e.Granted)
	}
	return fmt.Sprintf("the authorization of %s lacks the scope %s that %s needs (granted: %s); nothing was sent. Authorize again, asking for the scope",
		e.OpenID, e.Scope, e.API, e.Granted)
}

// TokenError reports that the token an API call needs is not usable on the
// flow's clock; nothing was sent. A missing client token is
// ErrNoClientToken instead.
type TokenError struct {
	Auth   Auth
	OpenID string    // the account, for AuthUser
	Expiry time.Time // zero when no token is stored
	// RefreshExpired: the account's refresh token has expired too, or it
	// has none, so only a new authorization gives a working access token.
	RefreshExpired bool
}

func (e *TokenError) Error() string { return e.Message("en") }

// Message returns the error in lang ("zh" or "en").
func (e *TokenError) Message(lang string) string {
	zh := IsChinese(lang)
	at := e.Expiry.Local().Format(time.RFC3339)
	switch {
	case e.Auth == AuthClient && zh:
		return fmt.Sprintf("client_token（应用级调用凭证）已于 %s 过期：请求未发送。请重新获取 client_token", at)
	case e.Auth == AuthClient:
		return fmt.Sprintf("the client_token expired at %s; nothing was sent. Fetch a new client token", at)
	case e.Expiry.IsZero() && zh:
		return fmt.Sprintf("没有保存账号 %s 的 access_token（用户授权调用凭证）：请求未发送。请刷新，或重新授权", e.OpenID)
	case e.Expiry.IsZero():
		return fmt.Sprintf("no access_token is stored for %s; nothing was sent. Refresh it, or authorize again", e.OpenID)
	case e.RefreshExpired && zh:
		return fmt.Sprintf("账号 %s 的 access_token 已于 %s 过期，且没有可用的 refresh_token 刷新它：请求未发送。请重新授权", e.OpenID, at)
	case e.RefreshExpired:
		return fmt.Sprintf("the access_token of %s expired at %s and no live refresh token can refresh it; nothing was sent. Authorize again", e.OpenID, at)
	case zh:
		return fmt.Sprintf("账号 %s 的 access_token（用户授权调用凭证）已于 %s 过期：请求未发送。请先刷新", e.OpenID, at)
	}
	return fmt.Sprintf("the access_token of %s expired at %s; nothing was sent. Refresh it first", e.OpenID, at)
}

// Call calls api as the account openID (ignored for a client-token API)
// with params, the values of api.Params by name; a parameter left out
// takes its default. It fills in open_id and the token from f.Store: the
// account's access token, after checking that its grant holds api.Scope
// where the grant's scopes are known (an imported access token's are not),
// or the app's stored client token. The exchange is logged through
// f.Client.Log with its secrets masked.
//
// Before sending it fails with ErrNoAccount, ErrNoClientToken, a
// *MissingScopeError, a *TokenError, or a *FieldError naming a parameter.
// A platform error is a *PlatformError, explained in both languages; the
// result then still carries the answer and the curl command.
func (f *Flow) Call(ctx context.Context, api API, openID string, params map[string]string) (CallResult, error) {
	req, err := f.prepare(api, openID, params)
	if err != nil {
		return CallResult{API: api}, err
	}
	res := CallResult{API: api, Curl: req.curl(f.Client.base(), false)}
	var page struct {
		Cursor  Number `json:"cursor"`
		HasMore truth  `json:"has_more"`
	}
	var out any
	if api.Pages {
		out = &page
	}
	ans, err := f.Client.send(ctx, req, out)
	res.Status, res.Body = ans.status, []byte(ans.body)
	res.Cursor, res.HasMore = int64(page.Cursor), bool(page.HasMore)
	return res, err
}

// Curl returns the request Call would send, as a curl command line. The
// token is masked unless withToken is set, for a person who asked to copy
// it whole. It checks what Call checks before sending.
func (f *Flow) Curl(api API, openID string, params map[string]string, withToken bool) (string, error) {
	req, err := f.prepare(api, openID, params)
	if err != nil {
		return "", err
	}
	return req.curl(f.Client.base(), withToken), nil
}

// prepare builds the request of api.
func (f *Flow) prepare(api API, openID string, params map[string]string) (apiRequest, error) {
	vals, err := api.values(params)
	if err != nil {
		return apiRequest{}, err
	}
	token, err := f.callToken(api, openID)
	if err != nil {
		return apiRequest{}, err
	}
	if api.Auth == AuthClient {
		openID = ""
	}
	return api.request(openID, token, vals), nil
}

// callToken returns the token api is called with: openID's access token,
// once its grant is known to hold api.Scope, or the app's client token.
func (f *Flow) callToken(api API, openID string) (string, error) {
	if api.Auth == AuthClient {
		t, err := f.callClientToken()
		return t.Token, err
	}
	g, err := f.Store.Grant(openID)
	if err != nil {
		return "", err
	}
	// An imported access token's scopes are unknown (userinfo does not
	// tell them): the platform decides.
	if api.Scope != "" && g.Scope != "" && !hasScope(g.Scope, api.Scope) {
		return "", &MissingScopeError{API: api.Name, Scope: api.Scope, OpenID: g.OpenID, Granted: g.Scope}
	}
	now := f.now()
	switch {
	case g.AccessToken == "":
		return "", &TokenError{Auth: AuthUser, OpenID: g.OpenID}
	case !g.AccessExpiry.IsZero() && !now.Before(g.AccessExpiry):
		refreshDead := g.RefreshToken == "" || (!g.RefreshExpiry.IsZero() && !now.Before(g.RefreshExpiry))
		return "", &TokenError{Auth: AuthUser, OpenID: g.OpenID, Expiry: g.AccessExpiry, RefreshExpired: refreshDead}
	}
	return g.AccessToken, nil
}

// callClientToken returns the stored client token with the later expiry,
// stable or not: either works for a client-token API.
func (f *Flow) callClientToken() (ClientToken, error) {
	var best ClientToken
	for _, stable := range []bool{true, false} {
		t, err := f.Store.ClientToken(stable)
		if errors.Is(err, ErrNoClientToken) || (err == nil && t.Token == "") {
			continue
		}
		if err != nil {
			return ClientToken{}, err
		}
		if best.Token == "" || t.Expiry.After(best.Expiry) {
			best = t
		}
	}
	switch {
	case best.Token == "":
		return ClientToken{}, ErrNoClientToken
	case !best.Expiry.IsZero() && !f.now().Before(best.Expiry):
		return ClientToken{}, &TokenError{Auth: AuthClient, Expiry: best.Expiry}
	}
	return best, nil
}

// paramValue is a checked parameter value, ready to send.
type paramValue struct {
	Param
	value string
}

// json returns the value as a JSON body carries it.
func (v paramValue) json() any {
	switch v.Type {
	case TypeInt:
		n, _ := strconv.ParseInt(v.value, 10, 64)
		return n
	case TypeList:
		return SplitScopes(v.value)
	}
	return v.value
}

// values checks params against a's parameters and returns the values to
// send, defaults included, in a's order.
func (a API) values(params map[string]string) ([]paramValue, error) {
	names := make([]string, 0, len(params))
	for k := range params {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		if _, ok := a.Param(k); !ok {
			return nil, &FieldError{Field: Field(k), Reason: ReasonUnknown, Value: k}
		}
	}
	var out []paramValue
	for _, p := range a.Params {
		v := strings.TrimSpace(params[p.Name])
		if v == "" {
			v = p.Default
		}
		if v == "" {
			if p.Required {
				return nil, &FieldError{Field: Field(p.Name), Reason: ReasonEmpty}
			}
			continue
		}
		if err := p.check(v); err != nil {
			return nil, err
		}
		out = append(out, paramValue{Param: p, value: v})
	}
	return out, nil
}

// check reports what makes v unfit for p.
func (p Param) check(v string) error {
	switch {
	case len(p.Values) > 0 && !slices.Contains(p.Values, v):
		return &FieldError{Field: Field(p.Name), Reason: ReasonUnknown, Value: v}
	case p.Type == TypeInt:
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			return &FieldError{Field: Field(p.Name), Reason: ReasonMalformed, Value: v}
		}
	case p.Type == TypeList && len(SplitScopes(v)) == 0:
		return &FieldError{Field: Field(p.Name), Reason: ReasonEmpty}
	}
	return nil
}

// request lays out a's request: open_id, the token and vals where a takes
// them, and the body in a's body kind.
func (a API) request(openID, token string, vals []paramValue) apiRequest {
	r := apiRequest{method: a.Method, path: a.Path, query: url.Values{}, header: http.Header{}, token: token}
	form := url.Values{}
	body := map[string]any{}
	put := func(in Placement, name string, text string, v any) {
		switch {
		case in == InQuery:
			r.query.Set(name, text)
		case a.Body == BodyJSON:
			body[name] = v
		default:
			form.Set(name, text)
		}
	}
	if a.OpenIDIn != "" && openID != "" {
		put(a.OpenIDIn, "open_id", openID, openID)
	}
	if a.TokenIn == InHeader {
		r.header.Set("access-token", token)
	} else {
		put(a.TokenIn, "access_token", token, token)
	}
	for _, v := range vals {
		put(v.In, v.Name, v.value, v.json())
	}
	switch {
	case a.Body == BodyJSON:
		r.contentType = "application/json"
		r.body, _ = json.Marshal(body)
	case a.Body == BodyForm:
		r.contentType = "application/x-www-form-urlencoded"
		r.body = []byte(form.Encode())
	case a.TokenIn == InHeader:
		// The docs' header table asks for it on every call, GET included.
		r.contentType = "application/json"
	}
	return r
}

// curl renders r at base as a curl command line for a POSIX shell, its
// token masked unless withToken is set.
func (r apiRequest) curl(base string, withToken bool) string {
	var b strings.Builder
	b.WriteString("curl -X " + r.method + " " + shellQuote(r.url(base)))
	keys := make([]string, 0, len(r.header))
	for k := range r.header {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		b.WriteString(" -H " + shellQuote(strings.ToLower(k)+": "+r.header.Get(k)))
	}
	if r.contentType != "" {
		b.WriteString(" -H " + shellQuote("Content-Type: "+r.contentType))
	}
	if r.body != nil {
		b.WriteString(" --data-raw " + shellQuote(string(r.body)))
	}
	out := b.String()
	if withToken || r.token == "" {
		return out
	}
	// The token stands raw in a header and URL-encoded in a query or form.
	for _, form := range []string{r.token, url.QueryEscape(r.token)} {
		out = strings.ReplaceAll(out, form, Mask(r.token))
	}
	return out
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// truth is a JSON flag the platform may send as true, 1 or "true".
type truth bool

// UnmarshalJSON accepts true, false, numbers, their strings and null.
func (t *truth) UnmarshalJSON(b []byte) error {
	s := strings.Trim(strings.TrimSpace(string(b)), `"`)
	switch s {
	case "true", "1":
		*t = true
	case "false", "0", "", "null":
		*t = false
	default:
		return &json.UnmarshalTypeError{Value: "flag " + s, Type: truthType}
	}
	return nil
}

var truthType = reflect.TypeOf(truth(false))
