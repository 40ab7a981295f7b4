// Package sandbox emulates the Douyin Open Platform OAuth endpoints in
// process and serves them on a loopback address.
//
// A Sandbox answers the same paths as https://open.douyin.com with the same
// JSON shapes, error codes and quirks: the consent page at
// /platform/oauth/connect/, the token endpoints under /oauth/ and
// /oauth/userinfo/. It keeps every app, code and token in memory.
//
// Beyond the platform's own paths it serves:
//
//	GET    /_sandbox/avatar/{open_id}.png  a generated avatar image
//	GET    /_sandbox/cover/{key}.png       a demo video's cover image
//	POST   /_sandbox/fault                 inject a Fault (JSON body)
//	GET    /_sandbox/fault                 list the pending faults
//	DELETE /_sandbox/fault                 clear all faults
//	GET    /_sandbox/state                 counts of apps, codes and tokens
//	POST   /_sandbox/clock                 {"advance_ms":N} moves the clock on
//	POST   /_sandbox/revoke                {"client_key":…,"open_id":…} the user
//	                                       cancels the app's authorization (Revoke)
//	GET    /_sandbox/notes                 recent notes on request shapes the
//	                                       platform does not document (Notes)
//
// It also serves a few OpenAPIs (apis.go: video list and data, fans and
// following lists, fan data, the hot video billboard), which answer with
// generated demo data (demodata.go), page through it by cursor, and check
// the token, the app's capability and the user's grant as the platform's
// gateways do, with their error codes (apiauth.go).
//
// Requests in shapes that real clients send but the documentation does not
// give (GET with a query string, JSON or multipart bodies, token headers,
// paths without the trailing slash) are accepted, each with a Note; with
// Options.Strict they are refused as the platform would refuse them (see
// request.go).
//
// The control endpoints and the consent form's POST refuse
// what another machine or a web page of another origin could send: they
// require a loopback peer, a Host of a loopback IP literal or localhost
// with the port the server listens on, and no Origin or Sec-Fetch-Site
// naming another origin (see GuardControl). The fault, clock and revoke endpoints also
// require Content-Type: application/json on POST and DELETE, which a web
// page of another origin cannot send without a CORS preflight the sandbox
// never answers. A refusal is HTTP 403 (415 for the Content-Type) with the
// reason in plain text.
//
// Where the platform's documentation is silent the sandbox behaves as
// follows:
//
//   - A denied consent redirects to redirect_uri with error=access_denied,
//     error_code=2100007 (DenyErrorCode), an error_description and state=,
//     empty when the request sent none.
//   - A refresh token that was never issued, was replaced by a renewal, or
//     belongs to another client_key is answered with 10002; an expired or
//     revoked one with 10010.
//   - Refreshing never changes the refresh token or its expiry; it hands back
//     the grant's access token while valid, with a new expiry, as documented.
//   - An authorization code presented by another client_key is answered with
//     10014 and is not consumed; an unknown, used or expired code gives 10007.
//   - /oauth/userinfo/ answers 10005 for a missing access_token or open_id,
//     28001003 for an unknown or revoked token, 28001008 for an expired one,
//     28001015 when open_id is not the token's user, 28001014 when the app no
//     longer holds user_info, 28001021 when it is an expired test app,
//     28001020 when the user is not bound to the test app, and 28001012 when
//     the grant lacks the user_info scope, in that order.
//   - Revoke (POST /_sandbox/revoke) ends every token of the user's grant and
//     the user's unused codes for the app; see revoke.go for the codes.
//   - stable_client_token keeps one token per app for its two hours, apart
//     from client_token's rotation: neither ends the other's tokens.
//   - /oauth/client_token/ documents a JSON body (other shapes are taken with
//     a Note, or refused with 10002 in strict mode) and answers 10005 for a
//     missing field. A new client token leaves the
//     previous one valid for a five-minute grace period and invalidates the
//     one before it at once, so at most two are valid at any time. Calls are
//     counted per known client_key across client_token and
//     stable_client_token; the 501st accepted call within five minutes gets
//     10020.
//   - Consent page errors are HTML pages with HTTP status 400 that show the
//     code and never redirect.
//   - Wrong methods on the platform paths get HTTP 405 with a short text body.
package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// The demo app every Sandbox created with nil Options.Apps registers.
const (
	DemoClientKey    = "awsandboxdemo0001"
	DemoClientSecret = "sandbox-demo-secret-0001"
	DemoRedirectURI  = "http://127.0.0.1:8791/callback"
	DemoAppName      = "Sandbox Demo App"
)

// The second demo app, permitted the user_info scope only. It shares the
// demo app's redirect URI.
const (
	BasicClientKey    = "awsandboxbasic0002"
	BasicClientSecret = "sandbox-basic-secret-0002"
	BasicAppName      = "Sandbox Basic App"
)

// The trial demo app: a test app (测试应用) holding user_info and
// trial.whitelist, to which the first two demo users are bound. The third
// demo user may sign in on its consent page, and then /oauth/userinfo/
// answers 28001020. It shares the demo app's redirect URI.
const (
	TrialClientKey    = "awsandboxtrial003"
	TrialClientSecret = "sandbox-trial-secret-0003"
	TrialAppName      = "Sandbox Trial App"
)

// Default lifetimes, as the platform documents them.
const (
	DefaultAccessTTL  = 15 * 24 * time.Hour
	DefaultRefreshTTL = 30 * 24 * time.Hour
	DefaultClientTTL  = 2 * time.Hour
	DefaultCodeTTL    = 10 * time.Minute
)

// MaxRenewals is how many times a refresh token chain may be renewed before
// /oauth/renew_refresh_token/ answers 10020.
const MaxRenewals = 5

// Client token limits: one client_key may make ClientTokenLimit calls to
// the client token endpoints within ClientTokenWindow before the sandbox
// answers 10020, and a client token stays valid for ClientTokenGrace after
// the next one is issued.
const (
	ClientTokenLimit  = 500
	ClientTokenWindow = 5 * time.Minute
	ClientTokenGrace  = 5 * time.Minute
)

// DefaultScopes returns the scopes an app without an explicit scope list is
// permitted.
func DefaultScopes() []string {
	return []string{
		"user_info", "trial.whitelist", "renew_refresh_token", "video.list.bind",
		"video.data.bind", "fans.check", "data.external.item", "data.external.user",
		"following.list", "fans.list", "im.share", "aweme.share", "h5.share",
		"open.account.data", "incremental_authorization",
	}
}

// App is an app registered with the sandbox.
type App struct {
	Name         string   `json:"name"`
	ClientKey    string   `json:"client_key"`
	ClientSecret string   `json:"client_secret"`
	RedirectURI  string   `json:"redirect_uri"`
	Scopes       []string `json:"scopes"` // permitted scopes

	// Trial marks a test app: only the users in TrialUsers (open_ids bound
	// with trial.whitelist) may call OpenAPIs with its tokens, and none may
	// once TrialExpired is set. The sandbox answers both at
	// /oauth/userinfo/ (28001020, 28001021): they are codes of the OpenAPI
	// gateway (28001xxx), so authorization and the token endpoints are not
	// refused.
	Trial        bool     `json:"trial,omitempty"`
	TrialUsers   []string `json:"trial_users,omitempty"`
	TrialExpired bool     `json:"trial_expired,omitempty"`
}

// User is a Douyin user the consent page offers to sign in as.
type User struct {
	OpenID   string `json:"open_id"`
	UnionID  string `json:"union_id"`
	Nickname string `json:"nickname"`
	Role     string `json:"e_account_role"`
}

// Options configures a Sandbox. The zero value gives the demo apps and
// users, the platform's lifetimes and the real clock.
type Options struct {
	Apps  []App  // nil: DemoApps()
	Users []User // empty: DemoUsers()

	// Lifetimes; zero means the platform's: 15 days, 30 days, 2 hours and
	// 10 minutes.
	AccessTTL, RefreshTTL, ClientTTL, CodeTTL time.Duration

	Now           func() time.Time // nil: time.Now
	Latency       time.Duration    // added to every API response
	StringNumbers bool             // send every JSON number as a string

	// Strict refuses the request shapes the platform does not document
	// (see Note) with the answer the platform would give, instead of
	// accepting them with a note.
	Strict bool

	// OnNote, if set, is called with every note as it is recorded, from
	// the goroutine serving the request; it must not block.
	OnNote func(Note)
}

// BillboardScope is the app capability the hot video billboard
// (PathHotVideos) needs; no user grants it.
const BillboardScope = "data.external.billboard_hot_video"

// DemoApps returns the apps a Sandbox registers when Options.Apps is nil.
// The first is the demo app (DemoClientKey), permitted DefaultScopes and
// holding BillboardScope, so that it can call every OpenAPI the sandbox
// serves; the second is permitted the user_info scope only; the third is
// the trial app (TrialClientKey), to which the first two of DemoUsers are
// bound.
func DemoApps() []App {
	users := DemoUsers()
	return []App{
		{Name: DemoAppName, ClientKey: DemoClientKey, ClientSecret: DemoClientSecret,
			RedirectURI: DemoRedirectURI, Scopes: append(DefaultScopes(), BillboardScope)},
		{Name: BasicAppName, ClientKey: BasicClientKey, ClientSecret: BasicClientSecret,
			RedirectURI: DemoRedirectURI, Scopes: []string{"user_info"}},
		{Name: TrialAppName, ClientKey: TrialClientKey, ClientSecret: TrialClientSecret,
			RedirectURI: DemoRedirectURI, Scopes: []string{"user_info", "trial.whitelist"},
			Trial: true, TrialUsers: []string{users[0].OpenID, users[1].OpenID}},
	}
}

// DemoUsers returns the users a Sandbox offers when Options.Users is empty.
func DemoUsers() []User {
	return []User{
		{OpenID: "_000SandboxAliceOpenID0000000000001", UnionID: "sandbox-union-0001",
			Nickname: "Sandbox Alice", Role: ""},
		{OpenID: "_000SandboxBobOpenID00000000000002", UnionID: "sandbox-union-0002",
			Nickname: "Sandbox Bob", Role: "EAccountM"},
		{OpenID: "_000SandboxZhangOpenID00000000003", UnionID: "sandbox-union-0003",
			Nickname: "沙盒用户小张", Role: "EAccountS"},
	}
}

// A Sandbox is an in-memory Douyin Open Platform. Its methods are safe for
// concurrent use.
type Sandbox struct {
	accessTTL, refreshTTL, clientTTL, codeTTL time.Duration
	now                                       func() time.Time
	latency                                   time.Duration
	handler                                   http.Handler
	done                                      chan struct{}
	closeOnce                                 sync.Once
	strict                                    bool     // Options.Strict
	notes                                     *noteLog // has its own lock

	mu            sync.Mutex
	offset        time.Duration
	stringNumbers bool
	apps          map[string]*App
	appOrder      []string
	users         []User
	codes         map[string]*codeRec
	access        map[string]*accessRec
	refresh       map[string]*refreshRec
	clients       map[string]*clientState
	faults        []Fault
	closed        bool
	server        *http.Server
	serveDone     chan struct{}
	baseURL       string
}

type codeRec struct {
	clientKey string
	openID    string
	scopes    []string
	expiry    time.Time
}

type accessRec struct {
	clientKey string
	openID    string
	scopes    []string
	expiry    time.Time
	revoked   bool // the user cancelled the authorization (Revoke)
}

type refreshRec struct {
	clientKey string
	openID    string
	scopes    []string
	expiry    time.Time
	renewals  int
	access    string // the access token last issued with this grant
	revoked   bool   // the user cancelled the authorization (Revoke)
}

// live reports whether an access token may be used at now.
func (a *accessRec) live(now time.Time) bool { return !a.revoked && now.Before(a.expiry) }

// live reports whether a refresh token may be used at now.
func (r *refreshRec) live(now time.Time) bool { return !r.revoked && now.Before(r.expiry) }

type clientTok struct {
	token      string
	expiry     time.Time
	graceUntil time.Time
	stable     bool // issued by /oauth/stable_client_token/
}

// clientState is what the sandbox keeps of one app's client tokens: at most
// two of client_token's rotation, oldest first, and stable_client_token's
// own, marked stable.
type clientState struct {
	tokens []clientTok
	calls  []time.Time
}

// New returns a Sandbox configured by opts. It serves nothing until Start
// is called or its Handler is mounted.
func New(opts Options) *Sandbox {
	s := &Sandbox{
		accessTTL:     orDefault(opts.AccessTTL, DefaultAccessTTL),
		refreshTTL:    orDefault(opts.RefreshTTL, DefaultRefreshTTL),
		clientTTL:     orDefault(opts.ClientTTL, DefaultClientTTL),
		codeTTL:       orDefault(opts.CodeTTL, DefaultCodeTTL),
		now:           opts.Now,
		latency:       opts.Latency,
		stringNumbers: opts.StringNumbers,
		strict:        opts.Strict,
		notes:         newNoteLog(opts.OnNote),
		done:          make(chan struct{}),
		apps:          make(map[string]*App),
		codes:         make(map[string]*codeRec),
		access:        make(map[string]*accessRec),
		refresh:       make(map[string]*refreshRec),
		clients:       make(map[string]*clientState),
	}
	if s.now == nil {
		s.now = time.Now
	}
	apps := opts.Apps
	if apps == nil {
		apps = DemoApps()
	}
	for _, a := range apps {
		s.addAppLocked(a)
	}
	if len(opts.Users) == 0 {
		s.users = DemoUsers()
	} else {
		s.users = slices.Clone(opts.Users)
	}
	s.handler = s.routes()
	return s
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// AddApp registers a, replacing any app with the same client key. An app
// without scopes is permitted DefaultScopes and one without a name is
// named after its client key.
func (s *Sandbox) AddApp(a App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addAppLocked(a)
}

func (s *Sandbox) addAppLocked(a App) {
	a.Scopes = slices.Clone(a.Scopes)
	a.TrialUsers = slices.Clone(a.TrialUsers)
	if len(a.Scopes) == 0 {
		a.Scopes = DefaultScopes()
	}
	if a.Name == "" {
		a.Name = a.ClientKey
	}
	if _, ok := s.apps[a.ClientKey]; !ok {
		s.appOrder = append(s.appOrder, a.ClientKey)
	}
	s.apps[a.ClientKey] = &a
}

// Apps returns a copy of the registered apps in registration order.
func (s *Sandbox) Apps() []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]App, 0, len(s.appOrder))
	for _, k := range s.appOrder {
		a := *s.apps[k]
		a.Scopes = slices.Clone(a.Scopes)
		a.TrialUsers = slices.Clone(a.TrialUsers)
		out = append(out, a)
	}
	return out
}

// Users returns a copy of the users the consent page offers.
func (s *Sandbox) Users() []User {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.users)
}

// appFile is the on-disk form of an App; it also accepts the Go field names.
type appFile struct {
	Name            string   `json:"name"`
	ClientKey       string   `json:"client_key"`
	ClientSecret    string   `json:"client_secret"`
	RedirectURI     string   `json:"redirect_uri"`
	Scopes          []string `json:"scopes"`
	GoClientKey     string   `json:"ClientKey"`
	GoClientSecret  string   `json:"ClientSecret"`
	GoRedirectURI   string   `json:"RedirectURI"`
	CommaSeparScope string   `json:"scope"`
	Trial           bool     `json:"trial"`
	TrialUsers      []string `json:"trial_users"`
	TrialExpired    bool     `json:"trial_expired"`
}

// LoadApps reads a JSON array of apps, such as
//
//	[{"name":"My App","client_key":"aw…","client_secret":"…",
//	  "redirect_uri":"http://127.0.0.1:0/callback","scopes":["user_info"]}]
//
// Scopes may also be given as a comma-separated "scope" string. A test app
// adds "trial":true, the open_ids of its bound users as "trial_users" and,
// to answer 28001021, "trial_expired":true. Every app
// needs a client_key, a client_secret and an absolute redirect_uri; client
// keys must be unique.
func LoadApps(r io.Reader) ([]App, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var raw []appFile
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("sandbox: reading apps: %w", err)
	}
	if dec.More() {
		return nil, errors.New("sandbox: reading apps: data after the JSON array")
	}
	seen := make(map[string]bool)
	apps := make([]App, 0, len(raw))
	for i, f := range raw {
		a := App{
			Name:         f.Name,
			ClientKey:    firstNonEmpty(f.ClientKey, f.GoClientKey),
			ClientSecret: firstNonEmpty(f.ClientSecret, f.GoClientSecret),
			RedirectURI:  firstNonEmpty(f.RedirectURI, f.GoRedirectURI),
			Scopes:       f.Scopes,
			Trial:        f.Trial || len(f.TrialUsers) > 0 || f.TrialExpired,
			TrialUsers:   f.TrialUsers,
			TrialExpired: f.TrialExpired,
		}
		if len(a.Scopes) == 0 && f.CommaSeparScope != "" {
			a.Scopes = splitScopes(f.CommaSeparScope)
		}
		switch {
		case a.ClientKey == "":
			return nil, fmt.Errorf("sandbox: app %d: client_key is empty", i)
		case a.ClientSecret == "":
			return nil, fmt.Errorf("sandbox: app %d (%s): client_secret is empty", i, a.ClientKey)
		case seen[a.ClientKey]:
			return nil, fmt.Errorf("sandbox: app %d: client_key %s appears twice", i, a.ClientKey)
		}
		u, err := url.Parse(a.RedirectURI)
		if err != nil || !u.IsAbs() || u.Host == "" {
			return nil, fmt.Errorf("sandbox: app %d (%s): redirect_uri %q is not an absolute URL", i, a.ClientKey, a.RedirectURI)
		}
		for _, sc := range a.Scopes {
			if sc == "" || strings.ContainsAny(sc, ", \t\r\n") {
				return nil, fmt.Errorf("sandbox: app %d (%s): malformed scope %q", i, a.ClientKey, sc)
			}
		}
		if slices.Contains(a.TrialUsers, "") {
			return nil, fmt.Errorf("sandbox: app %d (%s): empty open_id in trial_users", i, a.ClientKey)
		}
		if a.Name == "" {
			a.Name = a.ClientKey
		}
		seen[a.ClientKey] = true
		apps = append(apps, a)
	}
	return apps, nil
}

func firstNonEmpty(v ...string) string {
	for _, s := range v {
		if s != "" {
			return s
		}
	}
	return ""
}

// Handler returns the handler serving the sandbox's endpoints. It may be
// mounted on any server, for instance an httptest.Server.
func (s *Sandbox) Handler() http.Handler { return s.handler }

// Start listens on addr, which must be a loopback address such as
// "127.0.0.1:0", and serves the sandbox in a new goroutine. It returns the
// base URL, such as "http://127.0.0.1:8790".
func (s *Sandbox) Start(addr string) (baseURL string, err error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: bad address %q: %w", addr, err)
	}
	if !isLoopbackHost(host) {
		return "", fmt.Errorf("sandbox: refusing to listen on non-loopback address %q", addr)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("sandbox: Start after Close")
	}
	if s.server != nil {
		return "", errors.New("sandbox: already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sandbox: %w", err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	s.server, s.serveDone = srv, done
	s.baseURL = "http://" + ln.Addr().String()
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	return s.baseURL, nil
}

// URL returns the base URL Start returned, or "" before Start.
func (s *Sandbox) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// Close stops the server Start started, ending any injected latency early,
// and waits for it to finish. Close on a Sandbox that was never started
// only ends pending latency.
func (s *Sandbox) Close() error {
	s.closeOnce.Do(func() { close(s.done) })
	s.mu.Lock()
	s.closed = true
	srv, serveDone := s.server, s.serveDone
	s.server = nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err != nil {
		err = srv.Close()
	}
	<-serveDone
	return err
}

// Summary returns what a person needs to point a client at the sandbox:
// a "base_url: " line (empty before Start), then for every app the lines
// app, client_key, client_secret, redirect_uri and scopes, and for a test
// app trial_users and trial_expired, one "name: value" per line.
func (s *Sandbox) Summary() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b bytes.Buffer
	fmt.Fprintf(&b, "base_url: %s\n", s.baseURL)
	for _, k := range s.appOrder {
		a := s.apps[k]
		fmt.Fprintf(&b, "app: %s\n", oneLine(a.Name))
		fmt.Fprintf(&b, "client_key: %s\n", oneLine(a.ClientKey))
		fmt.Fprintf(&b, "client_secret: %s\n", oneLine(a.ClientSecret))
		fmt.Fprintf(&b, "redirect_uri: %s\n", oneLine(a.RedirectURI))
		fmt.Fprintf(&b, "scopes: %s\n", oneLine(strings.Join(a.Scopes, ",")))
		if a.Trial {
			fmt.Fprintf(&b, "trial_users: %s\n", oneLine(strings.Join(a.TrialUsers, ",")))
			fmt.Fprintf(&b, "trial_expired: %t\n", a.TrialExpired)
		}
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}

// Now returns the sandbox's current time: Options.Now plus any advance of
// the clock.
func (s *Sandbox) Now() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nowLocked()
}

func (s *Sandbox) nowLocked() time.Time { return s.now().Add(s.offset) }

// Advance moves the sandbox's clock on by d, so that codes and tokens
// expire without waiting. Negative values are ignored.
func (s *Sandbox) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	s.mu.Lock()
	s.offset += d
	s.mu.Unlock()
}

// SetStringNumbers switches numbers-as-strings mode on or off for every
// response.
func (s *Sandbox) SetStringNumbers(on bool) {
	s.mu.Lock()
	s.stringNumbers = on
	s.mu.Unlock()
}

// TokenValid reports whether token is an access, refresh or client token
// the sandbox would accept now.
func (s *Sandbox) TokenValid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	if a, ok := s.access[token]; ok {
		return a.live(now)
	}
	if r, ok := s.refresh[token]; ok {
		return r.live(now)
	}
	for _, cs := range s.clients {
		for _, t := range cs.tokens {
			if t.token == token {
				return t.valid(now)
			}
		}
	}
	return false
}

// SetTrialExpired marks the test app clientKey expired, so that
// /oauth/userinfo/ answers 28001021 for its tokens, or renewed again. It
// reports whether clientKey is a test app.
func (s *Sandbox) SetTrialExpired(clientKey string, expired bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.apps[clientKey]
	if a == nil || !a.Trial {
		return false
	}
	a.TrialExpired = expired
	return true
}

func (t clientTok) valid(now time.Time) bool {
	return now.Before(t.expiry) && (t.graceUntil.IsZero() || now.Before(t.graceUntil))
}

// isLoopbackHost reports whether host (without port) names the loopback
// interface.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	if i := strings.IndexByte(host, '%'); i >= 0 {
		host = host[:i]
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
