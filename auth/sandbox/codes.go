package sandbox

import "strconv"

// DenyError, DenyErrorCode and DenyDescription are the callback parameters
// error, error_code and error_description the sandbox sends when the user
// denies the authorization request. DenyErrorCode is the platform's "no
// permission" code.
const (
	DenyError       = "access_denied"
	DenyErrorCode   = 2100007
	DenyDescription = "The user denied the authorization request"
)

// descriptions maps every platform error code the sandbox knows to the
// description it sends with it.
var descriptions = map[int]string{
	10001:    "System error",
	10002:    "Parameter error",
	10003:    "client_key not found",
	10004:    "Scope not permitted for this app",
	10005:    "Missing parameter",
	10006:    "Illegal redirect_uri",
	10007:    "Authorization code expired or already used",
	10008:    "access_token invalid or expired",
	10010:    "refresh_token expired",
	10011:    "App package name mismatch",
	10012:    "App is under review",
	10013:    "client_key or client_secret error",
	10014:    "Authorization code was issued to another client_key",
	10015:    "Wrong app type",
	10020:    "Limit reached",
	2100004:  "System busy",
	2100005:  "Invalid parameter",
	2100007:  "No permission",
	2190002:  "access_token invalid",
	2190003:  "The user did not authorize this API",
	2190004:  "The app has not obtained this capability",
	2190008:  "access_token expired",
	2190015:  "access_token and open_id do not match",
	28001003: "access_token invalid",
	28001005: "System error",
	28001006: "Network error",
	28001007: "Parameter invalid",
	28001008: "access_token expired",
	28001012: "The user did not grant this OpenAPI",
	28001014: "The app holds no capability for this OpenAPI",
	28001015: "access_token and open_id do not match",
	28001016: "App banned or offline",
	28001018: "Capability not available",
	28001020: "The user is not bound to this test app",
	28001021: "The test app has expired",
	28003017: "Quota used up",
	28003018: "Request rate too high",
}

// Description returns the description the sandbox sends with the platform
// error code, or "Unknown error" for a code it does not know.
func Description(code int) string {
	if d, ok := descriptions[code]; ok {
		return d
	}
	return "Unknown error"
}

// Codes returns every platform error code Description knows.
func Codes() []int {
	out := make([]int, 0, len(descriptions))
	for c := range descriptions {
		out = append(out, c)
	}
	return out
}

// apiErr is a platform error answer: a code and its description.
type apiErr struct {
	code int
	desc string
}

func newErr(code int) *apiErr { return &apiErr{code: code, desc: Description(code)} }

// errf returns an error for code whose description adds detail to the
// table's.
func errf(code int, detail string) *apiErr {
	return &apiErr{code: code, desc: Description(code) + ": " + detail}
}

func (e *apiErr) Error() string { return strconv.Itoa(e.code) + " " + e.desc }
