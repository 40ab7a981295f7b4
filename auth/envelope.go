package auth

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Number is a JSON number that the platform may also send as a string
// ("error_code":"0", "expires_in":"86400"); an empty string is zero.
type Number int64

// UnmarshalJSON accepts 12, "12", "", and null.
func (n *Number) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || string(b) == "null" {
		*n = 0
		return nil
	}
	if b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(strings.TrimSpace(s))
		if len(b) == 0 {
			*n = 0
			return nil
		}
	}
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(string(b), 64)
		if ferr != nil || f != float64(int64(f)) {
			return &json.UnmarshalTypeError{Value: "number " + string(b), Type: numberType}
		}
		v = int64(f)
	}
	*n = Number(v)
	return nil
}

var numberType = reflect.TypeOf(Number(0))

// envelope is the outer shape of every platform answer: the data object,
// extra, message, and the err_no/err_msg pair of /oauth/userinfo/.
type envelope struct {
	Data    json.RawMessage `json:"data"`
	Extra   extra           `json:"extra"`
	Message string          `json:"message"`
	ErrNo   Number          `json:"err_no"`
	ErrMsg  string          `json:"err_msg"`
	LogID   string          `json:"log_id"`
}

// extra carries the platform's diagnostics.
type extra struct {
	LogID          string `json:"logid"`
	Now            Number `json:"now"`
	ErrorCode      Number `json:"error_code"`
	SubErrorCode   Number `json:"sub_error_code"`
	SubDescription string `json:"sub_description"`
}

// dataHeader is the part of data every endpoint shares.
type dataHeader struct {
	ErrorCode   Number `json:"error_code"`
	Description string `json:"description"`
	LogID       string `json:"log_id"`
}

// Decode parses a platform answer for endpoint, received with HTTP status,
// into out (a pointer to the endpoint's data struct, or nil). It returns a
// *PlatformError for a non-zero error_code or err_no, and a *TransportError
// for anything that is not a well-formed envelope.
func Decode(endpoint string, status int, body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		kind := KindNotJSON
		if status >= 400 {
			kind = KindHTTPStatus
		}
		return &TransportError{Kind: kind, Endpoint: endpoint, Status: status, Snippet: snippet(body)}
	}
	var env envelope
	if err := json.Unmarshal(trimmed, &env); err != nil {
		kind := KindNotJSON
		var se *json.SyntaxError
		if !json.Valid(trimmed) && (errors.As(err, &se) && int(se.Offset) >= len(trimmed) || strings.Contains(err.Error(), "unexpected end")) {
			kind = KindTruncated
		} else if json.Valid(trimmed) {
			kind = KindBadResponse
		}
		return &TransportError{Kind: kind, Endpoint: endpoint, Status: status, Snippet: snippet(body), Err: err}
	}
	var head dataHeader
	if len(env.Data) > 0 && env.Data[0] == '{' {
		if err := json.Unmarshal(env.Data, &head); err != nil {
			return &TransportError{Kind: KindBadResponse, Endpoint: endpoint, Status: status, Snippet: snippet(body), Err: err}
		}
	}
	logID := firstNonEmpty(env.Extra.LogID, env.LogID, head.LogID)
	if env.ErrNo != 0 {
		return &PlatformError{Endpoint: endpoint, HTTPStatus: status, Code: int(env.ErrNo),
			Description: firstNonEmpty(env.ErrMsg, head.Description), LogID: logID,
			SubCode: int(env.Extra.SubErrorCode), SubDescription: env.Extra.SubDescription}
	}
	// Some answers carry the failure in extra only, with data.error_code 0.
	if code := firstNonZero(head.ErrorCode, env.Extra.ErrorCode, env.Extra.SubErrorCode); code != 0 {
		return &PlatformError{Endpoint: endpoint, HTTPStatus: status, Code: int(code),
			Description: firstNonEmpty(head.Description, env.Extra.SubDescription), LogID: logID,
			SubCode: int(env.Extra.SubErrorCode), SubDescription: env.Extra.SubDescription}
	}
	if status < 200 || status > 299 {
		return &TransportError{Kind: KindHTTPStatus, Endpoint: endpoint, Status: status, Snippet: snippet(body)}
	}
	if len(env.Data) == 0 || env.Data[0] != '{' {
		return &TransportError{Kind: KindBadResponse, Endpoint: endpoint, Status: status, Snippet: snippet(body), Err: errors.New("no data object")}
	}
	if out != nil {
		if err := json.Unmarshal(env.Data, out); err != nil {
			return &TransportError{Kind: KindBadResponse, Endpoint: endpoint, Status: status, Snippet: snippet(body), Err: err}
		}
	}
	return nil
}

func firstNonZero(n ...Number) Number {
	for _, v := range n {
		if v != 0 {
			return v
		}
	}
	return 0
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// snippetLen is how much of an unusable body an error quotes.
const snippetLen = 120

// snippet returns the first bytes of body, redacted and made printable, for
// quoting in an error.
func snippet(body []byte) string {
	s := redactText(string(body))
	if len(s) > snippetLen {
		cut := snippetLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		if r < 0x20 || r == utf8.RuneError {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}
