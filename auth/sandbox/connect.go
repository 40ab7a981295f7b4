package sandbox

import (
	"bytes"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// authRequest is a validated authorization request.
type authRequest struct {
	AppName      string
	ClientKey    string
	ResponseType string
	RedirectURI  string
	State        string
	ScopeParam   string
	Scopes       []string
	OptionalRaw  string
	Optional     []optionalScope
	Users        []User
	Action       string
}

type optionalScope struct {
	Name    string
	Checked bool
}

var consentPage = template.Must(template.New("consent").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Authorize {{.AppName}} - Douyin Open Platform Sandbox</title>
<style>
body{font-family:sans-serif;max-width:34em;margin:2em auto;padding:0 1em;color:#161823}
h1{font-size:1.4em}h2{font-size:1.05em;margin-top:1.4em}
code{background:#f1f1f2;padding:0 .2em}
ul{padding-left:1.2em}label{display:block;margin:.3em 0}
button{font-size:1em;padding:.5em 1.4em;margin-right:.6em}
#agree{background:#fe2c55;color:#fff;border:0;border-radius:4px}
.note{color:#666;font-size:.9em}
</style>
</head>
<body>
<h1>Authorize <span id="app-name">{{.AppName}}</span></h1>
<p class="note">Douyin Open Platform sandbox. client_key <code id="client-key">{{.ClientKey}}</code>
will be sent back to <code id="redirect-uri">{{.RedirectURI}}</code>.</p>
<form method="post" action="{{.Action}}">
<input type="hidden" name="client_key" value="{{.ClientKey}}">
<input type="hidden" name="response_type" value="{{.ResponseType}}">
<input type="hidden" name="scope" value="{{.ScopeParam}}">
<input type="hidden" name="redirect_uri" value="{{.RedirectURI}}">
<input type="hidden" name="state" value="{{.State}}">
<input type="hidden" name="optionalScope" value="{{.OptionalRaw}}">
<h2>The app asks for</h2>
<ul id="scopes">
{{- range .Scopes}}
<li class="scope">{{.}}</li>
{{- end}}
</ul>
{{- if .Optional}}
<h2>Optional permissions</h2>
<div id="optional-scopes">
{{- range .Optional}}
<label><input type="checkbox" name="optional_scope" value="{{.Name}}"{{if .Checked}} checked{{end}}> {{.Name}}</label>
{{- end}}
</div>
{{- end}}
<h2>Sign in as</h2>
<div id="users">
{{- range $i, $u := .Users}}
<label><input type="radio" name="open_id" value="{{$u.OpenID}}"{{if eq $i 0}} checked{{end}}> {{$u.Nickname}} <code>{{$u.OpenID}}</code></label>
{{- end}}
</div>
<p>
<button id="agree" type="submit" name="action" value="agree">Agree</button>
<button id="deny" type="submit" name="action" value="deny">Deny</button>
</p>
</form>
</body>
</html>
`))

var errorPage = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Authorization error {{.Code}} - Douyin Open Platform Sandbox</title>
<style>body{font-family:sans-serif;max-width:34em;margin:2em auto;padding:0 1em;color:#161823}</style>
</head>
<body>
<h1>Authorization failed</h1>
<p>error_code: <code id="error-code">{{.Code}}</code></p>
<p>description: <span id="error-description">{{.Description}}</span></p>
</body>
</html>
`))

// renderError shows the platform error e on an HTML page, without
// redirecting.
func renderError(w http.ResponseWriter, e *apiErr) {
	var b bytes.Buffer
	_ = errorPage.Execute(&b, struct {
		Code        int
		Description string
	}{e.code, e.desc})
	w.Header().Set("Content-Type", contentTypeHTML)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(b.Bytes())
}

// handleConnect serves the authorization page: GET shows the consent form,
// POST records the user's decision and redirects.
func (s *Sandbox) handleConnect(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPost:
	default:
		methodNotAllowed(w, []string{http.MethodGet, http.MethodHead, http.MethodPost})
		return
	}
	eff := s.takeFaults(r.URL.Path)
	if !s.sleep(r.Context(), eff.latency) {
		return
	}
	if eff.status != 0 {
		writeGateway(w, eff.status)
		return
	}
	if eff.errorCode != 0 {
		renderError(w, newErr(eff.errorCode))
		return
	}
	var v url.Values
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		if err := r.ParseForm(); err != nil {
			renderError(w, errf(10002, "malformed form"))
			return
		}
		v = r.Form
	} else {
		v = r.URL.Query()
	}
	req, e := s.parseAuthRequest(v)
	if e != nil {
		renderError(w, e)
		return
	}
	if r.Method != http.MethodPost {
		showConsent(w, req)
		return
	}
	s.decide(w, r, req, v)
}

// showConsent writes the consent page for req.
func showConsent(w http.ResponseWriter, req *authRequest) {
	req.Action = PathConnect
	var b bytes.Buffer
	if err := consentPage.Execute(&b, req); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentTypeHTML)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

// decide carries out the user's decision posted on the consent page.
func (s *Sandbox) decide(w http.ResponseWriter, r *http.Request, req *authRequest, v url.Values) {
	switch v.Get("action") {
	case "deny":
		q := url.Values{}
		q.Set("error", DenyError)
		q.Set("error_code", strconv.Itoa(DenyErrorCode))
		q.Set("error_description", DenyDescription)
		q.Set("state", req.State) // present even when empty, as on success
		http.Redirect(w, r, withQuery(req.RedirectURI, q), http.StatusFound)
	case "agree":
		s.agree(w, r, req, v)
	case "":
		renderError(w, missing("action"))
	default:
		renderError(w, errf(10002, "action must be agree or deny"))
	}
}

// agree issues a code for the chosen user and the granted scopes.
func (s *Sandbox) agree(w http.ResponseWriter, r *http.Request, req *authRequest, v url.Values) {
	openID := v.Get("open_id")
	if openID == "" && len(req.Users) > 0 {
		openID = req.Users[0].OpenID
	}
	if !slices.ContainsFunc(req.Users, func(u User) bool { return u.OpenID == openID }) {
		renderError(w, errf(10002, "unknown user"))
		return
	}
	granted := slices.Clone(req.Scopes)
	ticked := v["optional_scope"]
	for _, o := range req.Optional {
		if slices.Contains(ticked, o.Name) && !slices.Contains(granted, o.Name) {
			granted = append(granted, o.Name)
		}
	}
	code := newCode()
	s.mu.Lock()
	now := s.nowLocked()
	s.pruneLocked(now)
	// A new authorization voids the user's earlier unused codes for the app:
	// "不要再授权刷新，否则会导致上一次获取的 code 过期" (developer.open-douyin.com,
	// account-permission docs, get-access-token page; douyin-openapi.md §1).
	s.voidCodesLocked(req.ClientKey, openID, now)
	s.codes[code] = &codeRec{clientKey: req.ClientKey, openID: openID, scopes: granted, expiry: now.Add(s.codeTTL)}
	s.mu.Unlock()

	// The callback carries state= even when the request sent none, and
	// scopes= always (douyin-openapi.md §1, as observed from the platform).
	q := url.Values{}
	q.Set("code", code)
	q.Set("state", req.State)
	q.Set("scopes", strings.Join(granted, ","))
	http.Redirect(w, r, withQuery(req.RedirectURI, q), http.StatusFound)
}

// parseAuthRequest validates the parameters of an authorization request in
// the platform's order: missing parameters, response_type, client_key,
// redirect_uri, then scopes.
func (s *Sandbox) parseAuthRequest(v url.Values) (*authRequest, *apiErr) {
	req := &authRequest{
		ClientKey:    v.Get("client_key"),
		ResponseType: v.Get("response_type"),
		ScopeParam:   v.Get("scope"),
		RedirectURI:  v.Get("redirect_uri"),
		State:        v.Get("state"),
		OptionalRaw:  v.Get("optionalScope"),
	}
	if m := missingParams(v.Get, "client_key", "response_type", "scope", "redirect_uri"); m != nil {
		return nil, missing(m...)
	}
	if req.ResponseType != "code" {
		return nil, errf(10002, "response_type must be code")
	}
	s.mu.Lock()
	app := s.apps[req.ClientKey]
	var a App
	if app != nil {
		a = *app
		a.Scopes = slices.Clone(app.Scopes)
	}
	req.Users = slices.Clone(s.users)
	s.mu.Unlock()
	if app == nil {
		return nil, newErr(10003)
	}
	req.AppName = a.Name
	if !redirectMatches(a.RedirectURI, req.RedirectURI) {
		return nil, newErr(10006)
	}
	req.RedirectURI = stripFragment(req.RedirectURI)
	req.Scopes = splitScopes(req.ScopeParam)
	if len(req.Scopes) == 0 {
		return nil, missing("scope")
	}
	for _, sc := range req.Scopes {
		if !slices.Contains(a.Scopes, sc) {
			return nil, errf(10004, sc)
		}
	}
	if e := req.parseOptional(a.Scopes); e != nil {
		return nil, e
	}
	return req, nil
}

// parseOptional reads the optionalScope "scope,default" pairs of req, each
// a scope the app holds.
func (req *authRequest) parseOptional(held []string) *apiErr {
	if req.OptionalRaw == "" {
		return nil
	}
	parts := strings.Split(req.OptionalRaw, ",")
	if len(parts)%2 != 0 {
		return errf(10002, "optionalScope must be scope,default pairs")
	}
	for i := 0; i < len(parts); i += 2 {
		name, def := strings.TrimSpace(parts[i]), strings.TrimSpace(parts[i+1])
		if name == "" || (def != "0" && def != "1") {
			return errf(10002, "optionalScope must be scope,default pairs")
		}
		if !slices.Contains(held, name) {
			return errf(10004, name)
		}
		if slices.ContainsFunc(req.Optional, func(o optionalScope) bool { return o.Name == name }) {
			continue
		}
		req.Optional = append(req.Optional, optionalScope{Name: name, Checked: def == "1"})
	}
	return nil
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// redirectMatches reports whether got may be used as the redirect URI of an
// app that registered registered. Only the part before '#' is compared. A
// registered loopback http URI with port 0 accepts any port on the same
// host and path.
func redirectMatches(registered, got string) bool {
	reg, g := stripFragment(registered), stripFragment(got)
	if reg == g {
		return true
	}
	ru, err := url.Parse(reg)
	if err != nil || ru.Scheme != "http" || ru.Port() != "0" || !isLoopbackHost(ru.Hostname()) {
		return false
	}
	gu, err := url.Parse(g)
	if err != nil || gu.Scheme != "http" || gu.User != nil || !strings.EqualFold(gu.Hostname(), ru.Hostname()) {
		return false
	}
	port, err := strconv.Atoi(gu.Port())
	if err != nil || port < 1 || port > 65535 {
		return false
	}
	return gu.EscapedPath() == ru.EscapedPath() && gu.RawQuery == ru.RawQuery && gu.ForceQuery == ru.ForceQuery
}

// withQuery appends q to the redirect URI u.
func withQuery(u string, q url.Values) string {
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
		if strings.HasSuffix(u, "?") || strings.HasSuffix(u, "&") {
			sep = ""
		}
	}
	return u + sep + q.Encode()
}
