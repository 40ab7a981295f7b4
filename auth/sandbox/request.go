package sandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// The platform documents one request shape per endpoint: POST to the path
// with its trailing slash, with a form body (a form or JSON body for
// userinfo, a JSON body for the client token endpoints). Widely used
// clients send others: GET with a query string, a body on a GET, JSON or
// multipart/form-data bodies, parameters in the query string of a POST,
// userinfo's access token in an access-token or access_token header, and
// paths without the trailing slash. readParams accepts all of them and
// describes each difference from the documented shape as a deviation.

// bodyKind is how a request body carries its parameters.
type bodyKind int

const (
	bodyNone bodyKind = iota
	bodyForm
	bodyJSON
	bodyMultipart
)

// mediaType returns the Content-Type that labels a body of kind k.
func (k bodyKind) mediaType() string {
	switch k {
	case bodyForm:
		return contentTypeFormEncoded
	case bodyJSON:
		return "application/json"
	case bodyMultipart:
		return "multipart/form-data"
	}
	return ""
}

// name is how a note names kind k.
func (k bodyKind) name() string {
	switch k {
	case bodyForm:
		return "form"
	case bodyJSON:
		return "JSON"
	case bodyMultipart:
		return "multipart/form-data"
	}
	return "no"
}

func (k bodyKind) String() string { return "a " + k.name() + " body" }

// documented is the request shape the platform documents for an endpoint.
type documented struct {
	path   string     // with the trailing slash
	bodies []bodyKind // the body kinds the docs give
}

// The body kinds the docs give: a form for the token endpoints, JSON for the
// client token endpoints, and either for userinfo, whose header table says
// JSON and whose example sends a form.
var (
	formBodies     = []bodyKind{bodyForm}
	jsonBodies     = []bodyKind{bodyJSON}
	userInfoBodies = []bodyKind{bodyForm, bodyJSON}
)

// shape says what the docs give, as the second half of a note.
func (d documented) shape() string {
	names := make([]string, len(d.bodies))
	for i, k := range d.bodies {
		names[i] = k.name()
	}
	return "POST with a " + strings.Join(names, " or ") + " body"
}

// A deviation is one way a request differs from its endpoint's documented
// shape.
type deviation struct {
	what   string // the request, e.g. "GET /oauth/userinfo/"
	doc    string // what the platform documents instead
	status int    // the HTTP status that refuses it in strict mode; 0: error 10002
}

// note is the sentence that tells of d; verb is "accepted" or "refused".
func (d deviation) note(verb string) string {
	return d.what + " " + verb + "; the platform documents " + d.doc
}

// params are the parameters of one API call, the first value of each name.
type params map[string]string

// Get returns the value of name, or "".
func (p params) Get(name string) string { return p[name] }

// tokenHeaders are the headers some clients put userinfo's access token in.
var tokenHeaders = []string{"access-token", "access_token"}

// readParams reads the parameters of an API call to the endpoint doc
// describes, whatever shape the request has, and lists how that shape
// deviates from the documented one. Parameters come from a token header,
// then the query string, then the body; a later source wins. The error is
// a body that cannot be read as its kind says.
func readParams(r *http.Request, doc documented) (params, []deviation, *apiErr) {
	var devs []deviation
	what := r.Method + " " + doc.path
	if r.URL.Path != doc.path {
		devs = append(devs, deviation{what: r.Method + " " + r.URL.Path + " (no trailing slash)",
			doc: doc.path, status: http.StatusNotFound})
	}
	if r.Method != http.MethodPost {
		devs = append(devs, deviation{what: what, doc: doc.shape(), status: http.StatusMethodNotAllowed})
	}
	query := r.URL.Query()
	if len(query) > 0 && r.Method == http.MethodPost {
		devs = append(devs, deviation{what: what + " with parameters in the query string", doc: doc.shape()})
	}
	body, kind, label, e := readBody(r)
	switch {
	case e != nil, kind == bodyNone:
	case !slices.Contains(doc.bodies, kind):
		devs = append(devs, deviation{what: what + " with " + kind.String(), doc: doc.shape()})
	case label != kind.mediaType():
		devs = append(devs, deviation{what: what + " with " + kind.String() + labelText(label),
			doc: "Content-Type " + kind.mediaType()})
	}
	p := params{}
	for _, h := range tokenHeaders {
		if tok := r.Header.Get(h); tok != "" && query.Get("access_token") == "" && body.Get("access_token") == "" {
			p["access_token"] = tok
			devs = append(devs, deviation{what: what + " with the access token in an " + h + " header",
				doc: "access_token in the body"})
			break
		}
	}
	merge(p, query)
	merge(p, body)
	return p, devs, e
}

// merge sets in p the first value of every name in v that has one.
func merge(p params, v url.Values) {
	for k, vs := range v {
		if len(vs) > 0 && vs[0] != "" {
			p[k] = vs[0]
		}
	}
}

func labelText(label string) string {
	if label == "" {
		return " without a Content-Type"
	}
	return " labelled " + label
}

// readBody reads r's body and decodes it as its Content-Type says, or,
// without a Content-Type it knows, as JSON when it starts with "{" and as
// a form otherwise. label is the media type the request named.
func readBody(r *http.Request) (v url.Values, kind bodyKind, label string, e *apiErr) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody))
	if err != nil {
		return nil, bodyNone, "", errf(10002, "unreadable request body")
	}
	label, mparams, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	trimmed := bytes.TrimSpace(raw)
	switch {
	case len(trimmed) == 0:
		return nil, bodyNone, label, nil
	case label == "multipart/form-data":
		v, e = decodeMultipart(raw, mparams["boundary"])
		return v, bodyMultipart, label, e
	case isJSONType(label), label != contentTypeFormEncoded && trimmed[0] == '{':
		v, e = decodeJSONObject(trimmed)
		return v, bodyJSON, label, e
	}
	if v, err = url.ParseQuery(string(raw)); err != nil {
		e = errf(10002, "malformed form body")
	}
	return v, bodyForm, label, e
}

// decodeMultipart returns the values of the fields of a multipart/form-data
// body; it ignores file parts.
func decodeMultipart(raw []byte, boundary string) (url.Values, *apiErr) {
	if boundary == "" {
		return nil, errf(10002, "multipart/form-data body without a boundary")
	}
	form, err := multipart.NewReader(bytes.NewReader(raw), boundary).ReadForm(maxBody)
	if err != nil {
		return nil, errf(10002, "malformed multipart/form-data body")
	}
	defer form.RemoveAll()
	return url.Values(form.Value), nil
}

// readCall reads the parameters of an API call and records a note for each
// deviation from doc; it answers 405 itself to a method other than GET and
// POST. In strict mode a deviation is refused as the platform refuses what
// it does not route or cannot read. A path without the trailing slash gets
// 404 and a GET 405 with Allow: POST, an HTTP server's answers to a path or
// method it does not route (a 307 to the documented path would be followed
// silently by most clients and hide the deviation). Any other deviation gets
// error 10002, parameter error with HTTP 200 in the endpoint's JSON shape,
// naming the deviation: the platform's code for parameters it cannot read.
// ok is false when readCall has answered.
func (s *Sandbox) readCall(w http.ResponseWriter, r *http.Request, doc documented) (p params, e *apiErr, ok bool) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		allow := []string{http.MethodGet, http.MethodPost}
		if s.strict {
			allow = allow[1:]
		}
		methodNotAllowed(w, allow)
		return nil, nil, false
	}
	p, devs, e := readParams(r, doc)
	s.notes.add(s.Now(), doc.path, devs, s.strict)
	if !s.strict || len(devs) == 0 {
		return p, e, true
	}
	switch d := devs[0]; d.status { // the HTTP refusals come first
	case http.StatusNotFound:
		http.NotFound(w, r)
	case http.StatusMethodNotAllowed:
		methodNotAllowed(w, []string{http.MethodPost})
	default:
		return nil, errf(10002, d.note("refused")), true
	}
	return nil, nil, false
}

func isJSONType(ct string) bool {
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

// decodeJSONObject decodes a JSON object whose values are scalars into
// strings.
func decodeJSONObject(b []byte) (url.Values, *apiErr) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil || dec.More() {
		return nil, errf(10002, "request body is not a JSON object")
	}
	out := make(url.Values, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case string:
			out.Set(k, x)
		case json.Number:
			out.Set(k, x.String())
		case bool:
			out.Set(k, strconv.FormatBool(x))
		case nil:
		default:
			return nil, errf(10002, k+" must be a string")
		}
	}
	return out, nil
}
