// Command seed prepares a configuration directory with one sandbox profile,
// one authorized account and a client token, as a developer would have after
// a sandbox flow, so that the window opens on the Tokens screen. It uses the
// keyring of the session ($DOUYIN_AUTH_DESK_CONFIG_DIR selects the directory).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox/sandboxtest"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

func main() {
	if err := seed(); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func seed() error {
	st, err := storage.Open("")
	if err != nil {
		return err
	}
	if st.SessionOnly() {
		return fmt.Errorf("no keyring: run inside .ci/desktop-session")
	}
	sb := sandbox.New(sandbox.Options{})
	sb.AddApp(sandbox.App{Name: "Bench", ClientKey: "awbench0000001", ClientSecret: "bench-secret-0001",
		RedirectURI: "http://127.0.0.1:0/callback", Scopes: sandbox.DefaultScopes()})
	base, err := sb.Start("127.0.0.1:0")
	if err != nil {
		return err
	}
	defer sb.Close()
	p := storage.Profile{Name: "bench", Environment: storage.EnvSandbox, BaseURL: base, ClientKey: "awbench0000001",
		Scopes: []string{"user_info", "renew_refresh_token"}, RedirectURI: "http://127.0.0.1:0/callback"}
	if err := st.SaveProfile(p); err != nil {
		return err
	}
	if err := st.SetSecret(p.Name, "bench-secret-0001"); err != nil {
		return err
	}
	flow := st.Flow(p, "bench-secret-0001")
	opts, err := st.LoginOptions(p)
	if err != nil {
		return err
	}
	l, err := flow.Begin(opts)
	if err != nil {
		return err
	}
	go sandboxtest.Agree(l.URL)
	if _, err := l.Wait(context.Background()); err != nil {
		return err
	}
	if _, err := flow.FetchClientToken(context.Background(), false); err != nil {
		return err
	}
	set, err := st.Settings()
	if err != nil {
		return err
	}
	set.LastProfile = p.Name
	return st.SaveSettings(set)
}
