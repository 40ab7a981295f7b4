package auth

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL is the Douyin Open Platform's address.
const DefaultBaseURL = "https://open.douyin.com"

// PlatformSandboxURL is the platform's own sandbox host, documented for
// mini-apps; whether it serves web apps' OAuth is not documented.
const PlatformSandboxURL = "https://open-sandbox.douyin.com"

// defaultTimeout bounds one platform call when the context has no deadline.
const defaultTimeout = 15 * time.Second

// maxBody bounds how much of a platform answer is read.
const maxBody = 1 << 20

// Paths of the platform's endpoints.
const (
	PathAuthorize    = "/platform/oauth/connect/"
	PathAccessToken  = "/oauth/access_token/"
	PathRefreshToken = "/oauth/refresh_token/"
	PathRenewRefresh = "/oauth/renew_refresh_token/"
	PathClientToken  = "/oauth/client_token/"
	PathUserInfo     = "/oauth/userinfo/"
	// PathStableClientToken answers repeated calls within a token's two
	// hours with the same token, apart from client_token's rotation.
	PathStableClientToken = "/oauth/stable_client_token/"
)

// LogEntry is one request and its answer, with every secret masked, as
// recorded by Client.Log.
type LogEntry struct {
	Time         time.Time
	Method       string
	URL          string
	RequestType  string // Content-Type of the request
	RequestBody  string
	Status       int // 0 when no answer arrived
	ResponseBody string
	Duration     time.Duration
	Err          error // the error the call returned, if any
	// RequestHeader holds the headers an OpenAPI call set itself, such as
	// its access-token, masked; nil for the OAuth endpoints.
	RequestHeader http.Header
}

// Client speaks the Douyin Open Platform's OAuth endpoints.
type Client struct {
	BaseURL string       // DefaultBaseURL when empty
	HTTP    *http.Client // http.DefaultClient when nil
	Timeout time.Duration
	Now     func() time.Time
	// Log, when set, receives every exchange with its secrets masked.
	Log func(LogEntry)
}

// NewClient returns a client for the platform at baseURL.
func NewClient(baseURL string) *Client { return &Client{BaseURL: baseURL} }

func (c *Client) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c *Client) base() string {
	if c.BaseURL == "" {
		return DefaultBaseURL
	}
	return strings.TrimRight(c.BaseURL, "/")
}

// AuthorizeURL returns the authorization page's address for app, carrying
// state. The user opens it in a browser.
func (c *Client) AuthorizeURL(app Credentials, state string) string {
	q := url.Values{}
	q.Set("client_key", app.ClientKey)
	q.Set("response_type", "code")
	q.Set("scope", strings.Join(app.Scopes, ","))
	q.Set("redirect_uri", app.RedirectURI)
	q.Set("state", state)
	if app.OptionalScope != "" {
		q.Set("optionalScope", app.OptionalScope)
	}
	return c.base() + PathAuthorize + "?" + q.Encode()
}

type tokenData struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        Number `json:"expires_in"`
	OpenID           string `json:"open_id"`
	RefreshToken     string `json:"refresh_token"`
	RefreshExpiresIn Number `json:"refresh_expires_in"`
	Scope            string `json:"scope"`
}

func (c *Client) grant(d tokenData, endpoint string, now time.Time) (Grant, error) {
	if d.AccessToken == "" || d.ExpiresIn <= 0 || d.OpenID == "" {
		return Grant{}, &TransportError{Kind: KindBadResponse, Endpoint: endpoint, Status: http.StatusOK,
			Err: errors.New("access_token, expires_in or open_id missing")}
	}
	g := Grant{AccessToken: d.AccessToken, RefreshToken: d.RefreshToken}
	g.OpenID = d.OpenID
	g.Scope = d.Scope
	g.AccessObtained = now
	g.AccessExpiry = now.Add(time.Duration(d.ExpiresIn) * time.Second)
	if d.RefreshToken != "" {
		g.RefreshObtained = now
		// A missing or zero refresh_expires_in means unknown, not expired.
		if d.RefreshExpiresIn > 0 {
			g.RefreshExpiry = now.Add(time.Duration(d.RefreshExpiresIn) * time.Second)
		}
	}
	return g, nil
}

// ExchangeCode trades an authorization code for the user's tokens.
func (c *Client) ExchangeCode(ctx context.Context, app Credentials, code string) (Grant, error) {
	form := url.Values{"client_key": {app.ClientKey}, "client_secret": {app.ClientSecret},
		"code": {code}, "grant_type": {"authorization_code"}}
	var d tokenData
	now, err := c.postForm(ctx, PathAccessToken, form, &d, app.ClientSecret, code)
	if err != nil {
		return Grant{}, err
	}
	return c.grant(d, PathAccessToken, now)
}

// Refresh obtains a new access token with a refresh token. The refresh
// token's own expiry is not extended.
func (c *Client) Refresh(ctx context.Context, clientKey, refreshToken string) (Grant, error) {
	form := url.Values{"client_key": {clientKey}, "grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	var d tokenData
	now, err := c.postForm(ctx, PathRefreshToken, form, &d, refreshToken)
	if err != nil {
		return Grant{}, err
	}
	return c.grant(d, PathRefreshToken, now)
}

// Renewal is a new refresh token from RenewRefreshToken.
type Renewal struct {
	RefreshToken string
	Obtained     time.Time
	Expiry       time.Time
}

// RenewRefreshToken exchanges a refresh token for a new one with a fresh
// lifetime. The old token stops working at once.
func (c *Client) RenewRefreshToken(ctx context.Context, clientKey, refreshToken string) (Renewal, error) {
	form := url.Values{"client_key": {clientKey}, "refresh_token": {refreshToken}}
	var d struct {
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    Number `json:"expires_in"`
	}
	now, err := c.postForm(ctx, PathRenewRefresh, form, &d, refreshToken)
	if err != nil {
		return Renewal{}, err
	}
	if d.RefreshToken == "" || d.ExpiresIn <= 0 {
		return Renewal{}, &TransportError{Kind: KindBadResponse, Endpoint: PathRenewRefresh, Status: http.StatusOK,
			Err: errors.New("refresh_token or expires_in missing")}
	}
	return Renewal{RefreshToken: d.RefreshToken, Obtained: now, Expiry: now.Add(time.Duration(d.ExpiresIn) * time.Second)}, nil
}

// ClientToken obtains a new app-only token (client_credential grant). This
// endpoint takes a JSON body. Each new token ends the previous one after a
// 5-minute grace, wherever it was fetched.
func (c *Client) ClientToken(ctx context.Context, clientKey, clientSecret string) (ClientToken, error) {
	return c.clientToken(ctx, PathClientToken, clientKey, clientSecret)
}

// StableClientToken obtains the app's stable client token, with the same
// JSON body as ClientToken: the same token comes back while it is valid.
func (c *Client) StableClientToken(ctx context.Context, clientKey, clientSecret string) (ClientToken, error) {
	return c.clientToken(ctx, PathStableClientToken, clientKey, clientSecret)
}

func (c *Client) clientToken(ctx context.Context, path, clientKey, clientSecret string) (ClientToken, error) {
	body, _ := json.Marshal(map[string]string{"client_key": clientKey, "client_secret": clientSecret, "grant_type": "client_credential"})
	var d struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   Number `json:"expires_in"`
	}
	now, err := c.do(ctx, path, "application/json", body, &d, clientSecret)
	if err != nil {
		return ClientToken{}, err
	}
	if d.AccessToken == "" || d.ExpiresIn <= 0 {
		return ClientToken{}, &TransportError{Kind: KindBadResponse, Endpoint: path, Status: http.StatusOK,
			Err: errors.New("access_token or expires_in missing")}
	}
	return ClientToken{Token: d.AccessToken, Obtained: now, Expiry: now.Add(time.Duration(d.ExpiresIn) * time.Second),
		Stable: path == PathStableClientToken}, nil
}

// UserInfo is what /oauth/userinfo/ tells about the token's user.
type UserInfo struct {
	OpenID      string `json:"open_id"`
	UnionID     string `json:"union_id"`
	Nickname    string `json:"nickname"`
	Avatar      string `json:"avatar"`
	Role        string `json:"e_account_role"`
	ClientKey   string `json:"client_key"`
	Description string `json:"description"`
}

// UserInfo calls /oauth/userinfo/, which proves that accessToken works.
func (c *Client) UserInfo(ctx context.Context, accessToken, openID string) (UserInfo, error) {
	var u UserInfo
	form := url.Values{"access_token": {accessToken}, "open_id": {openID}}
	if _, err := c.postForm(ctx, PathUserInfo, form, &u, accessToken); err != nil {
		return UserInfo{}, err
	}
	if u.OpenID == "" {
		return UserInfo{}, &TransportError{Kind: KindBadResponse, Endpoint: PathUserInfo, Status: http.StatusOK,
			Err: errors.New("open_id missing")}
	}
	return u, nil
}

func (c *Client) postForm(ctx context.Context, path string, form url.Values, out any, secrets ...string) (time.Time, error) {
	return c.do(ctx, path, "application/x-www-form-urlencoded", []byte(form.Encode()), out, secrets...)
}

// do posts body to path and decodes the answer into out, masking secrets
// in all it records. It returns the time the answer arrived, from which
// expiries are computed.
func (c *Client) do(ctx context.Context, path, contentType string, body []byte, out any, secrets ...string) (time.Time, error) {
	r := apiRequest{method: http.MethodPost, path: path, contentType: contentType, body: body}
	ans, err := c.send(ctx, r, out, secrets...)
	return ans.received, err
}

func transportFailure(path string, status int, err error) error {
	kind := KindNetwork
	if isTimeout(err) {
		kind = KindTimeout
	}
	return &TransportError{Kind: kind, Endpoint: path, Status: status, Err: err}
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// apiRequest is a request ready to send: Flow.Call builds one from the
// catalogue, with the token where the API takes it, and do one for each
// OAuth endpoint.
type apiRequest struct {
	method, path string
	query        url.Values
	header       http.Header
	contentType  string
	body         []byte
	token        string // an OpenAPI's credential, masked in all that is recorded
}

// url returns the request's address at base.
func (r apiRequest) url(base string) string {
	if len(r.query) == 0 {
		return base + r.path
	}
	return base + r.path + "?" + r.query.Encode()
}

// apiAnswer is what came back for an apiRequest, masked as logged.
type apiAnswer struct {
	status   int
	body     string
	received time.Time // when the answer was read; zero when none arrived
}

// send sends r and decodes the answer's envelope into out: the one
// exchange of every endpoint, OAuth or OpenAPI. The exchange is logged with
// r's token, the other secrets sent and every secret received masked, in
// its URL, headers and bodies; the answer is returned masked the same way.
func (c *Client) send(ctx context.Context, r apiRequest, out any, secrets ...string) (apiAnswer, error) {
	if _, ok := ctx.Deadline(); !ok {
		timeout := c.Timeout
		if timeout <= 0 {
			timeout = defaultTimeout
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	ex := LogEntry{Time: c.now(), Method: r.method, URL: r.url(c.base()), RequestType: r.contentType}
	start := time.Now()
	received, err := c.roundTrip(ctx, r, ex.URL, out, &ex)
	ex.Duration = time.Since(start)
	// Every text derived from the exchange is masked by the values sent and
	// received, so that an answer echoing a secret leaks it nowhere.
	red := newRedactor(secrets...)
	red.add(r.token)
	red.add(secretsIn(ex.ResponseBody)...)
	ex.URL = red.text(ex.URL)
	ex.RequestBody = red.text(string(r.body))
	if r.header != nil {
		ex.RequestHeader = make(http.Header, len(r.header))
		for k, vs := range r.header {
			for _, v := range vs {
				ex.RequestHeader.Add(k, red.text(v))
			}
		}
	}
	ex.ResponseBody = red.text(ex.ResponseBody)
	err = red.error(err, ex.ResponseBody)
	ex.Err = err
	if c.Log != nil {
		c.Log(ex)
	}
	return apiAnswer{status: ex.Status, body: ex.ResponseBody, received: received}, err
}

// roundTrip makes the request of send, reads its answer into ex and
// returns when the answer arrived.
func (c *Client) roundTrip(ctx context.Context, r apiRequest, endpoint string, out any, ex *LogEntry) (time.Time, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, endpoint, body)
	if err != nil {
		return time.Time{}, &TransportError{Kind: KindNetwork, Endpoint: r.path, Err: err}
	}
	for k, vs := range r.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	req.Header.Set("Accept", "application/json")
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return time.Time{}, transportFailure(r.path, 0, err)
	}
	defer resp.Body.Close()
	ex.Status = resp.StatusCode
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	received := c.now()
	ex.ResponseBody = string(raw)
	if err != nil {
		if len(raw) > 0 && !isTimeout(err) {
			return received, &TransportError{Kind: KindTruncated, Endpoint: r.path, Status: resp.StatusCode, Snippet: snippet(raw), Err: err}
		}
		return received, transportFailure(r.path, resp.StatusCode, err)
	}
	return received, Decode(r.path, resp.StatusCode, raw, out)
}
