package sandbox

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Paths of the OpenAPIs the sandbox serves with demo data, beyond OAuth.
// Each takes its token in the access-token header and answers
// {"data":{…,"error_code","description"},"extra":{"error_code",
// "description","sub_error_code","sub_description","logid","now"}}, as
// their pages document (developer.open-douyin.com, user data, video
// management and billboard pages).
const (
	PathVideoList     = "/api/douyin/v1/video/video_list/"
	PathVideoData     = "/api/douyin/v1/video/video_data/"
	PathFansList      = "/fans/list/"
	PathFollowingList = "/following/list/"
	PathUserFans      = "/data/external/user/fans/"
	PathHotVideos     = "/data/extern/billboard/hot_video/"
)

// pathCoverPrefix serves the demo videos' cover images.
const pathCoverPrefix = "/_sandbox/cover/"

// openAPI is one OpenAPI the sandbox serves: how it is called and what it
// needs.
type openAPI struct {
	path   string
	method string
	client bool // takes a client_token, not a user's access_token
	// scope is what the grant must hold, or for a client API the app.
	scope string
	codes gatewayCodes
	serve func(c *apiCall) (map[string]any, *apiErr)
}

// apiCall is one OpenAPI request being answered.
type apiCall struct {
	r     *http.Request
	now   time.Time
	logID string
	query url.Values
	body  []byte // a POST's body
	base  string // the base URL the client used, for image links
	user  grantView
	codes gatewayCodes
}

// openAPIs lists the OpenAPIs, with the handler of each.
func (s *Sandbox) openAPIs() []openAPI {
	return []openAPI{
		{path: PathVideoList, method: http.MethodGet, scope: "video.list.bind", codes: v1Codes, serve: s.videoList},
		{path: PathVideoData, method: http.MethodPost, scope: "video.data.bind", codes: v1Codes, serve: s.videoData},
		{path: PathFansList, method: http.MethodGet, scope: "fans.list", codes: legacyCodes, serve: s.fansList},
		{path: PathFollowingList, method: http.MethodGet, scope: "following.list", codes: legacyCodes, serve: s.followingList},
		{path: PathUserFans, method: http.MethodGet, scope: "data.external.user", codes: legacyCodes, serve: s.userFans},
		{path: PathHotVideos, method: http.MethodGet, client: true, scope: BillboardScope, codes: legacyCodes, serve: s.hotVideos},
	}
}

// openAPIRoutes registers the OpenAPIs at their paths, with and without the
// trailing slash, and the cover images.
func (s *Sandbox) openAPIRoutes(mux *http.ServeMux) {
	for _, a := range s.openAPIs() {
		h := s.serveOpenAPI(a)
		mux.Handle(a.path+"{$}", h)
		mux.Handle(strings.TrimSuffix(a.path, "/"), h)
	}
	mux.HandleFunc("GET "+pathCoverPrefix+"{file}", s.handleCover)
}

// serveOpenAPI answers a: the method, where the token came from, faults and
// latency, then the token's checks and a's handler.
func (s *Sandbox) serveOpenAPI(a openAPI) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != a.method {
			methodNotAllowed(w, []string{a.method})
			return
		}
		token, pErr, ok := s.readAPIToken(w, r, a)
		if !ok {
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
		if err != nil && pErr == nil {
			pErr = errf(10002, "unreadable request body")
		}
		eff, ok := s.faultStep(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		c := &apiCall{r: r, now: s.nowLocked(), query: r.URL.Query(), body: body, base: s.requestBase(r), codes: a.codes}
		stringNumbers := s.stringNumbers || eff.stringNumbers
		s.mu.Unlock()
		c.logID = logID(c.now)
		var d map[string]any
		switch e := pErr; {
		case eff.errorCode != 0:
			pErr = newErr(eff.errorCode)
		case e == nil:
			d, pErr = s.answerAPI(a, c, token)
		}
		writeAnswer(w, c.logID, apiBody(c, d, pErr), stringNumbers, eff.truncate)
	})
}

// answerAPI checks the token for a, then runs a's handler.
func (s *Sandbox) answerAPI(a openAPI, c *apiCall, token string) (map[string]any, *apiErr) {
	var e *apiErr
	if a.client {
		e = s.authorizeClient(a, token, c.now)
	} else {
		c.user, e = s.authorizeUser(a, token, c.query.Get("open_id"), c.now)
	}
	if e != nil {
		return nil, e
	}
	return a.serve(c)
}

// readAPIToken returns the token of r: the access-token header the docs
// give, or an access_token query parameter or header that clients send,
// accepted with a note and refused in strict mode (see readCall), like a
// path without its trailing slash. ok is false when it has answered.
func (s *Sandbox) readAPIToken(w http.ResponseWriter, r *http.Request, a openAPI) (string, *apiErr, bool) {
	var devs []deviation
	what := r.Method + " " + a.path
	if r.URL.Path != a.path {
		devs = append(devs, deviation{what: r.Method + " " + r.URL.Path + " (no trailing slash)", doc: a.path, status: http.StatusNotFound})
	}
	token := r.Header.Get("access-token")
	if token == "" {
		for _, src := range []struct{ v, where string }{
			{r.URL.Query().Get("access_token"), "the query string"},
			{r.Header.Get("access_token"), "an access_token header"},
		} {
			if src.v != "" {
				token = src.v
				devs = append(devs, deviation{what: what + " with the token in " + src.where, doc: "the access-token header"})
				break
			}
		}
	}
	s.notes.add(s.Now(), a.path, devs, s.strict)
	if !s.strict || len(devs) == 0 {
		return token, nil, true
	}
	if devs[0].status == http.StatusNotFound {
		http.NotFound(w, r)
		return "", nil, false
	}
	return "", errf(10002, devs[0].note("refused")), true
}

// apiBody is the answer of an OpenAPI: d within data, or e, with extra.
func apiBody(c *apiCall, d map[string]any, e *apiErr) map[string]any {
	code, desc := 0, ""
	if e != nil {
		code, desc, d = e.code, e.desc, map[string]any{}
	}
	d["error_code"], d["description"] = code, desc
	return map[string]any{
		"data": d,
		"extra": map[string]any{
			"error_code":      code,
			"description":     desc,
			"sub_error_code":  0,
			"sub_description": "",
			"logid":           c.logID,
			"now":             c.now.UnixMilli(),
		},
	}
}
