package storage_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/zalando/go-keyring"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// benchFlow returns a flow on an in-process sandbox storing through the
// go-keyring mock.
func benchFlow(b *testing.B) (*auth.Flow, *storage.Store) {
	b.Helper()
	keyring.MockInit()
	st, err := storage.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	sb := sandbox.New(sandbox.Options{})
	sb.AddApp(sandbox.App{Name: "Bench", ClientKey: "awbench0000001", ClientSecret: "bench-secret-0001",
		RedirectURI: "http://127.0.0.1:0/callback", Scopes: sandbox.DefaultScopes()})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { sb.Close() })
	p := storage.Profile{Name: "bench", Environment: storage.EnvSandbox, BaseURL: base, ClientKey: "awbench0000001",
		Scopes: []string{"user_info"}, RedirectURI: "http://127.0.0.1:0/callback"}
	if err := st.SaveProfile(p); err != nil {
		b.Fatal(err)
	}
	return &auth.Flow{Client: auth.NewClient(base), Store: st.Tokens("bench"),
		Credentials: auth.Credentials{ClientKey: p.ClientKey, ClientSecret: "bench-secret-0001", Scopes: p.Scopes, RedirectURI: p.RedirectURI}}, st
}

// BenchmarkCallbackToStored measures from the browser's request to the
// loopback callback until the tokens are stored: the code exchange, the
// userinfo call and the keyring writes.
func BenchmarkCallbackToStored(b *testing.B) {
	flow, _ := benchFlow(b)
	for b.Loop() {
		b.StopTimer()
		l, err := flow.Begin(auth.LoginOptions{Listen: true})
		if err != nil {
			b.Fatal(err)
		}
		loc, err := sandboxtest.Consent(l.URL, "agree")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		// As in the app, the login waits while the browser follows the
		// redirect: the callback page waits for the outcome of the
		// exchange, which Wait makes.
		done := make(chan error, 1)
		go func() { _, err := l.Wait(context.Background()); done <- err }()
		resp, err := http.Get(loc.String())
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		if err := <-done; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExchangeAndStore measures one code exchange against the sandbox
// and storing the grant in the (mock) keyring.
func BenchmarkExchangeAndStore(b *testing.B) {
	flow, _ := benchFlow(b)
	l, err := flow.Begin(auth.LoginOptions{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		b.StopTimer()
		loc, err := sandboxtest.Consent(l.URL, "agree")
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		g, err := flow.Client.ExchangeCode(context.Background(), flow.Credentials, loc.Query().Get("code"))
		if err != nil {
			b.Fatal(err)
		}
		if err := flow.Store.SaveGrant(g); err != nil {
			b.Fatal(err)
		}
	}
}
