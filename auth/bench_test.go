package auth

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

func BenchmarkDecode(b *testing.B) {
	for _, c := range []struct{ name, body string }{
		{"success", contractAccessTokenOK},
		{"strings", stringify(contractAccessTokenOK)},
		{"error", contractAccessTokenErr},
	} {
		b.Run(c.name, func(b *testing.B) {
			body := []byte(c.body)
			b.ReportAllocs()
			for b.Loop() {
				var d tokenData
				Decode(PathAccessToken, 200, body, &d)
			}
		})
	}
}

// BenchmarkCallbackHandler measures the loopback server's handler on a
// rejected (wrong state) request, the kind a flood would send.
func BenchmarkCallbackHandler(b *testing.B) {
	s := &CallbackServer{path: "/callback", port: "8791", state: newState(), lang: "en", result: make(chan Callback, 1)}
	target := "http://127.0.0.1:8791/callback?code=abc&state=" + url.QueryEscape("wrong")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusBadRequest {
			b.Fatal(w.Code)
		}
	}
}
