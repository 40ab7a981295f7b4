package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// A Fault changes how the sandbox answers matching calls, to exercise a
// client's handling of a misbehaving platform. Several faults may be pending
// at once; their effects add up.
type Fault struct {
	// Endpoint is the path the fault applies to, such as
	// "/oauth/access_token/" (the trailing slash is optional). The empty
	// string matches every platform API endpoint under /oauth/; the consent
	// page (/platform/oauth/connect/) is matched only when named, and then
	// only Latency, Status and ErrorCode apply to it.
	Endpoint string

	// Latency delays the answer.
	Latency time.Duration

	// Status, when non-zero, answers with an HTML gateway page and this
	// HTTP status (such as 500 or 502) instead of handling the call.
	Status int

	// Truncate handles the call, then sends only the first half of the
	// JSON answer with HTTP status 200.
	Truncate bool

	// StringNumbers sends every number in the JSON answer as a string.
	StringNumbers bool

	// ErrorCode answers the next matching call with this platform error
	// code and its description instead of handling it. A fault with an
	// ErrorCode always applies once; ErrorCode faults queue up, one per
	// call, and wait while a Status fault answers calls.
	ErrorCode int

	// Once removes the fault after the next matching call.
	Once bool
}

// faultWire is the JSON form of a Fault.
type faultWire struct {
	Endpoint      string `json:"endpoint"`
	LatencyMS     int64  `json:"latency_ms"`
	Status        int    `json:"status"`
	Truncate      bool   `json:"truncate"`
	StringNumbers bool   `json:"string_numbers"`
	ErrorCode     int    `json:"error_code"`
	Once          bool   `json:"once"`
}

// MarshalJSON encodes f as the control endpoint expects it:
// {"endpoint","latency_ms","status","truncate","string_numbers","error_code","once"}.
func (f Fault) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultWire{
		Endpoint: f.Endpoint, LatencyMS: f.Latency.Milliseconds(), Status: f.Status,
		Truncate: f.Truncate, StringNumbers: f.StringNumbers, ErrorCode: f.ErrorCode, Once: f.Once,
	})
}

// UnmarshalJSON decodes the form MarshalJSON produces.
func (f *Fault) UnmarshalJSON(b []byte) error {
	var w faultWire
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	*f = w.fault()
	return nil
}

func (w faultWire) fault() Fault {
	return Fault{
		Endpoint: w.Endpoint, Latency: time.Duration(w.LatencyMS) * time.Millisecond, Status: w.Status,
		Truncate: w.Truncate, StringNumbers: w.StringNumbers, ErrorCode: w.ErrorCode, Once: w.Once,
	}
}

// validate reports what makes f unusable.
func (f Fault) validate() error {
	switch {
	case f.Latency < 0:
		return fmt.Errorf("latency must not be negative")
	case f.Latency > 10*time.Minute:
		return fmt.Errorf("latency must not exceed 10 minutes")
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return fmt.Errorf("status must be 0 or between 400 and 599")
	case f.ErrorCode < 0:
		return fmt.Errorf("error_code must not be negative")
	case f.Endpoint != "" && !strings.HasPrefix(f.Endpoint, "/"):
		return fmt.Errorf("endpoint must be a path starting with /")
	}
	return nil
}

// Inject adds f to the pending faults, just as POST /_sandbox/fault does.
func (s *Sandbox) Inject(f Fault) {
	s.mu.Lock()
	s.faults = append(s.faults, f)
	s.mu.Unlock()
}

// ClearFaults removes every pending fault, just as DELETE /_sandbox/fault
// does. Numbers-as-strings mode set by Options or SetStringNumbers stays.
func (s *Sandbox) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// Faults returns the pending faults.
func (s *Sandbox) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Fault(nil), s.faults...)
}

// effect is the combined effect of the faults matching one call.
type effect struct {
	latency       time.Duration
	status        int
	truncate      bool
	stringNumbers bool
	errorCode     int
}

func normPath(p string) string { return strings.TrimSuffix(p, "/") }

func (f Fault) matches(path string) bool {
	if f.Endpoint == "" {
		return strings.HasPrefix(path, "/oauth/")
	}
	return normPath(f.Endpoint) == normPath(path)
}

// takeFaults combines the faults matching path and removes those that apply
// once. The first matching Status wins. Only the first pending ErrorCode
// fault applies to a call, and none to a call answered with a gateway page;
// the others wait for later calls.
func (s *Sandbox) takeFaults(path string) effect {
	s.mu.Lock()
	defer s.mu.Unlock()
	var e effect
	for _, f := range s.faults {
		if f.matches(path) && f.Status != 0 {
			e.status = f.Status
			break
		}
	}
	var kept []Fault
	for _, f := range s.faults {
		if !f.matches(path) || (f.ErrorCode != 0 && (e.errorCode != 0 || e.status != 0)) {
			kept = append(kept, f)
			continue
		}
		e.latency += f.Latency
		e.truncate = e.truncate || f.Truncate
		e.stringNumbers = e.stringNumbers || f.StringNumbers
		if f.ErrorCode != 0 {
			e.errorCode = f.ErrorCode
		}
		if f.Once || f.ErrorCode != 0 {
			continue
		}
		kept = append(kept, f)
	}
	s.faults = kept
	return e
}

// faultStep takes the faults injected for r's path and plays the ones that
// come before an answer: the added latency, then a gateway status in place
// of the answer. It reports whether the handler goes on to answer, with
// the effect whose other faults shape that answer.
func (s *Sandbox) faultStep(w http.ResponseWriter, r *http.Request) (effect, bool) {
	eff := s.takeFaults(r.URL.Path)
	if !s.sleep(r.Context(), s.latency+eff.latency) {
		return eff, false
	}
	if eff.status != 0 {
		writeGateway(w, eff.status)
		return eff, false
	}
	return eff, true
}
