package sandbox

import (
	"encoding/json"
	"net/http"
	"time"
)

func (s *Sandbox) controlRoutes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /_sandbox/fault", s.postFault)
	mux.HandleFunc("GET /_sandbox/fault", s.getFaults)
	mux.HandleFunc("DELETE /_sandbox/fault", func(w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /_sandbox/state", s.getState)
	mux.HandleFunc("GET /_sandbox/notes", func(w http.ResponseWriter, r *http.Request) {
		writeControlJSON(w, http.StatusOK, s.Notes())
	})
	mux.HandleFunc("POST /_sandbox/clock", s.postClock)
	mux.HandleFunc("POST /_sandbox/revoke", s.postRevoke)
	return mux
}

func writeControlJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", contentTypeJSON)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func controlError(w http.ResponseWriter, msg string) {
	writeControlJSON(w, http.StatusBadRequest, map[string]string{"error": msg})
}

// decodeControl decodes a JSON control body into v, refusing unknown
// fields.
func decodeControl(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		controlError(w, "bad JSON body: "+err.Error())
		return false
	}
	return true
}

func (s *Sandbox) postFault(w http.ResponseWriter, r *http.Request) {
	var fw faultWire
	if !decodeControl(w, r, &fw) {
		return
	}
	f := fw.fault()
	if err := f.validate(); err != nil {
		controlError(w, err.Error())
		return
	}
	s.Inject(f)
	writeControlJSON(w, http.StatusOK, map[string]any{"ok": true, "faults": len(s.Faults())})
}

func (s *Sandbox) getFaults(w http.ResponseWriter, r *http.Request) {
	faults := s.Faults()
	if faults == nil {
		faults = []Fault{}
	}
	writeControlJSON(w, http.StatusOK, faults)
}

// State is what GET /_sandbox/state reports: counts only, never secrets
// or tokens.
type State struct {
	Apps          int   `json:"apps"`
	Users         int   `json:"users"`
	LiveCodes     int   `json:"live_codes"`
	AccessTokens  int   `json:"access_tokens"`  // valid now
	RefreshTokens int   `json:"refresh_tokens"` // valid now
	ClientTokens  int   `json:"client_tokens"`  // valid now
	Faults        int   `json:"faults"`
	StringNumbers bool  `json:"string_numbers"`
	NowMS         int64 `json:"now_ms"`
	ClockOffsetMS int64 `json:"clock_offset_ms"`
}

// State returns the counts GET /_sandbox/state reports.
func (s *Sandbox) State() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.nowLocked()
	st := State{
		Apps: len(s.apps), Users: len(s.users), Faults: len(s.faults),
		StringNumbers: s.stringNumbers, NowMS: now.UnixMilli(), ClockOffsetMS: s.offset.Milliseconds(),
	}
	for _, c := range s.codes {
		if now.Before(c.expiry) {
			st.LiveCodes++
		}
	}
	for _, a := range s.access {
		if now.Before(a.expiry) {
			st.AccessTokens++
		}
	}
	for _, rt := range s.refresh {
		if now.Before(rt.expiry) {
			st.RefreshTokens++
		}
	}
	for _, cs := range s.clients {
		for _, t := range cs.tokens {
			if t.valid(now) {
				st.ClientTokens++
			}
		}
	}
	return st
}

func (s *Sandbox) getState(w http.ResponseWriter, r *http.Request) {
	writeControlJSON(w, http.StatusOK, s.State())
}

// maxAdvance bounds one advance of the clock.
const maxAdvance = 10 * 365 * 24 * time.Hour

func (s *Sandbox) postClock(w http.ResponseWriter, r *http.Request) {
	var body struct {
		AdvanceMS int64 `json:"advance_ms"`
	}
	if !decodeControl(w, r, &body) {
		return
	}
	if body.AdvanceMS < 0 || body.AdvanceMS > maxAdvance.Milliseconds() {
		controlError(w, "advance_ms must be between 0 and ten years")
		return
	}
	s.Advance(time.Duration(body.AdvanceMS) * time.Millisecond)
	st := s.State()
	writeControlJSON(w, http.StatusOK, map[string]int64{"now_ms": st.NowMS, "clock_offset_ms": st.ClockOffsetMS})
}
