package auth

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// TestOAuthExchangeShape: an OAuth endpoint goes through the one exchange
// of every endpoint as a POST with its content type and no headers of its
// own; the log entry says so, and expiries count from when the answer
// arrived on the client's clock.
func TestOAuthExchangeShape(t *testing.T) {
	var got *http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(context.Background())
		w.Write([]byte(`{"data":{"access_token":"act.AccessAnswer0123456789","expires_in":100,"open_id":"o1",` +
			`"refresh_token":"rft.RefreshAnswer0123456789","refresh_expires_in":200,"scope":"user_info","error_code":0},"message":"success"}`))
	}))
	defer srv.Close()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var logged []LogEntry
	c := &Client{BaseURL: srv.URL + "/", Now: func() time.Time { return at }, Log: func(ex LogEntry) { logged = append(logged, ex) }}
	g, err := c.Refresh(context.Background(), "awkey", "rft.SentRefreshToken0123456789")
	if err != nil {
		t.Fatal(err)
	}
	if got.Method != http.MethodPost || got.URL.Path != PathRefreshToken || got.Header.Get("Content-Type") != "application/x-www-form-urlencoded" ||
		got.Header.Get("Accept") != "application/json" || got.Header.Get("access-token") != "" {
		t.Errorf("request: %s %s %v", got.Method, got.URL, got.Header)
	}
	if !g.AccessExpiry.Equal(at.Add(100*time.Second)) || !g.RefreshExpiry.Equal(at.Add(200*time.Second)) || !g.AccessObtained.Equal(at) {
		t.Errorf("grant times: %+v", g.Account)
	}
	if len(logged) != 1 {
		t.Fatalf("%d log entries", len(logged))
	}
	ex := logged[0]
	if ex.Method != http.MethodPost || ex.URL != srv.URL+PathRefreshToken || ex.RequestType != "application/x-www-form-urlencoded" ||
		ex.Status != http.StatusOK || ex.RequestHeader != nil || ex.Err != nil || !ex.Time.Equal(at) {
		t.Errorf("log entry: %+v", ex)
	}
	if l := leaks(ex.RequestBody+ex.ResponseBody, "rft.SentRefreshToken0123456789", "act.AccessAnswer0123456789", "rft.RefreshAnswer0123456789"); len(l) > 0 {
		t.Errorf("the log entry leaks %q", l)
	}
}
