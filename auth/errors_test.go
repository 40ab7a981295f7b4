package auth

import (
	"errors"
	"strings"
	"testing"
)

// TestTransportMessages renders every kind of transport error in both
// languages: each names the endpoint and none has a formatting slip.
func TestTransportMessages(t *testing.T) {
	for k := KindNetwork; k <= KindBadResponse; k++ {
		e := &TransportError{Kind: k, Endpoint: PathUserInfo, Status: 502, Snippet: "<html>", Err: errTest}
		for _, lang := range []string{"zh", "en"} {
			m := e.Message(lang)
			if !strings.Contains(m, PathUserInfo) || strings.Contains(m, "%!") || !strings.Contains(m, "<html>") {
				t.Errorf("kind %d in %s: %q", k, lang, m)
			}
		}
	}
}

var errTest = errors.New("connection refused")
