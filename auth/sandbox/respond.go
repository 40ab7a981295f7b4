package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds every request body the sandbox reads.
const maxBody = 1 << 20

// Paths of the platform endpoints the sandbox serves.
const (
	PathConnect           = "/platform/oauth/connect/"
	PathAccessToken       = "/oauth/access_token/"
	PathRefreshToken      = "/oauth/refresh_token/"
	PathRenewRefreshToken = "/oauth/renew_refresh_token/"
	PathClientToken       = "/oauth/client_token/"
	PathStableClientToken = "/oauth/stable_client_token/"
	PathUserInfo          = "/oauth/userinfo/"
)

const (
	pathAvatarPrefix       = "/_sandbox/avatar/"
	pathControlPrefix      = "/_sandbox/"
	contentTypeJSON        = "application/json; charset=utf-8"
	contentTypeHTML        = "text/html; charset=utf-8"
	contentTypeFormEncoded = "application/x-www-form-urlencoded"
)

// shape selects how an endpoint reports errors.
type shape int

const (
	shapeOAuth    shape = iota // data{description,error_code}, extra{…}, message "error"
	shapeUserInfo              // err_no, err_msg, log_id, data{description,error_code "…"}
)

// call is one API request being answered.
type call struct {
	r     *http.Request
	now   time.Time
	logID string
	p     params  // read by api before the handler runs
	pErr  *apiErr // why p could not be read, or the strict refusal
}

// params returns the call's parameters, or why they were not accepted.
func (c *call) params() (params, *apiErr) { return c.p, c.pErr }

type apiHandler func(c *call) (map[string]any, *apiErr)

func (s *Sandbox) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(PathConnect+"{$}", s.handleConnect)
	// The consent POST mints a code: only the sandbox's own page may send it.
	mux.Handle(http.MethodPost+" "+PathConnect+"{$}", localOnly(http.HandlerFunc(s.handleConnect)))
	s.handleAPI(mux, PathAccessToken, shapeOAuth, formBodies, s.accessToken)
	s.handleAPI(mux, PathRefreshToken, shapeOAuth, formBodies, s.refreshToken)
	s.handleAPI(mux, PathRenewRefreshToken, shapeOAuth, formBodies, s.renewRefreshToken)
	s.handleAPI(mux, PathClientToken, shapeOAuth, jsonBodies, func(c *call) (map[string]any, *apiErr) {
		return s.clientToken(c, false)
	})
	s.handleAPI(mux, PathStableClientToken, shapeOAuth, jsonBodies, func(c *call) (map[string]any, *apiErr) {
		return s.clientToken(c, true)
	})
	s.handleAPI(mux, PathUserInfo, shapeUserInfo, userInfoBodies, s.userInfo)
	mux.HandleFunc("GET "+pathAvatarPrefix+"{file}", s.handleAvatar)
	s.openAPIRoutes(mux)
	mux.Handle(pathControlPrefix, GuardControl(s.controlRoutes()))
	return mux
}

// handleAPI serves the platform API endpoint at path, which ends in a slash,
// and at path without the slash, answered directly since some clients do
// not follow a redirect.
func (s *Sandbox) handleAPI(mux *http.ServeMux, path string, sh shape, bodies []bodyKind, h apiHandler) {
	a := s.api(sh, documented{path: path, bodies: bodies}, h)
	mux.Handle(path+"{$}", a)
	mux.Handle(strings.TrimSuffix(path, "/"), a)
}

// api wraps an endpoint handler with the method check and the reading of
// the parameters (readCall), faults, latency and the JSON encoding every
// platform API endpoint shares.
func (s *Sandbox) api(sh shape, doc documented, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, pErr, ok := s.readCall(w, r, doc)
		if !ok {
			return
		}
		eff, ok := s.faultStep(w, r)
		if !ok {
			return
		}
		s.mu.Lock()
		c := &call{r: r, now: s.nowLocked(), p: p, pErr: pErr}
		stringNumbers := s.stringNumbers || eff.stringNumbers
		s.mu.Unlock()
		c.logID = logID(c.now)

		var body map[string]any
		var e *apiErr
		if eff.errorCode != 0 {
			e = newErr(eff.errorCode)
		} else {
			body, e = h(c)
		}
		if e != nil {
			body = errorBody(sh, c, e)
		}
		writeAnswer(w, c.logID, body, stringNumbers, eff.truncate)
	})
}

// writeAnswer writes body as the platform's JSON answer with its log id:
// numbers as strings in numbers-as-strings mode, cut in half for a
// Truncate fault.
func writeAnswer(w http.ResponseWriter, logID string, body any, stringNumbers, truncate bool) {
	if stringNumbers {
		body = stringify(body)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(body); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	if truncate {
		b = b[:len(b)/2]
	}
	w.Header().Set("Content-Type", contentTypeJSON)
	w.Header().Set("X-Tt-Logid", logID)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(b)
}

func methodNotAllowed(w http.ResponseWriter, methods []string) {
	w.Header().Set("Allow", strings.Join(methods, ", "))
	http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
}

// errorBody renders e in the error shape of the endpoint.
func errorBody(sh shape, c *call, e *apiErr) map[string]any {
	if sh == shapeUserInfo {
		return map[string]any{
			"err_no":  plainNumber(e.code),
			"err_msg": e.desc,
			"log_id":  c.logID,
			"data": map[string]any{
				"description": e.desc,
				"error_code":  strconv.Itoa(e.code),
			},
		}
	}
	return map[string]any{
		"data": map[string]any{
			"description": e.desc,
			"error_code":  e.code,
		},
		"extra": map[string]any{
			"logid":           c.logID,
			"now":             c.now.UnixMilli(),
			"sub_error_code":  0,
			"sub_description": "",
		},
		"message": "error",
	}
}

// stringify returns v with every number replaced by its decimal string.
func stringify(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = stringify(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = stringify(e)
		}
		return out
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	default:
		return v
	}
}

// writeGateway answers like a gateway in front of a failing platform: an
// HTML page with status.
func writeGateway(w http.ResponseWriter, status int) {
	text := http.StatusText(status)
	if text == "" {
		text = "Error"
	}
	w.Header().Set("Content-Type", contentTypeHTML)
	w.WriteHeader(status)
	fmt.Fprintf(w, "<html>\r\n<head><title>%d %s</title></head>\r\n<body>\r\n"+
		"<center><h1>%d %s</h1></center>\r\n<hr><center>gateway</center>\r\n</body>\r\n</html>\r\n",
		status, text, status, text)
}

// sleep waits d, or until the request is cancelled or the sandbox closed;
// it reports whether the full wait happened.
func (s *Sandbox) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return b
}

func randHex(n int) string { return hex.EncodeToString(randBytes(n)) }

func newAccessToken() string  { return "act." + randHex(24) }
func newRefreshToken() string { return "rft." + randHex(24) }
func newClientToken() string  { return "clt." + randHex(24) }
func newCode() string         { return base64.RawURLEncoding.EncodeToString(randBytes(24)) }

// logID returns a log id shaped like the platform's: a timestamp followed
// by random hex digits.
func logID(now time.Time) string {
	return now.UTC().Format("20060102150405") + strings.ToUpper(randHex(10))
}

func seconds(d time.Duration) int64 {
	if d < 0 {
		return 0
	}
	return int64(d / time.Second)
}

func splitScopes(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
