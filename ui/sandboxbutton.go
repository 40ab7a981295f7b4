package ui

import (
	"context"
	"slices"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/auth/sandbox"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// sandboxProfileName is the name of the profile the Sandbox button
// creates, or the stem of the next free one when it is taken.
const sandboxProfileName = "sandbox"

// useSandbox starts the window's sandbox, if it is not running, on the
// port of the settings or the next free one, and opens the demo app's
// profile for it, created when there is none: the profile open before is
// left as it was.
func (v *credentialsView) useSandbox() {
	v.u.leaveForm(v.openSandbox, nil)
}

func (v *credentialsView) openSandbox() {
	u := v.u
	st, base, port := u.st, u.runningSandbox(), u.sandboxPort()
	opts := sandbox.Options{OnNote: u.log.addNote}
	u.background(v.busy, func(context.Context) func() {
		var sb *sandbox.Sandbox
		var err error
		if base == "" {
			sb, base, err = listenSandbox(opts, "127.0.0.1", port, true)
		}
		var r profileRead
		if err == nil {
			r, err = sandboxProfile(st, base)
		}
		return func() {
			if sb != nil {
				u.addSandbox(sb, base)
			}
			if err != nil {
				setError(v.status, message(err))
				return
			}
			if problem := u.openProfile(r, tabCredentials); problem != "" {
				setError(v.status, problem)
				return
			}
			note(v.status, lang.L("The sandbox is running at {{.URL}} with the demo app “{{.App}}”.",
				map[string]any{"URL": base, "App": sandbox.DemoAppName})+" "+
				lang.L("Its profile “{{.Name}}” is open.", map[string]any{"Name": r.profile.Name}),
				widget.MediumImportance)
		}
	})
}

// sandboxDemoScopes are the scopes the sandbox's profile asks for: the
// default ones and those of the user-token OpenAPIs the API step tries, so
// that the demo shows every call working.
func sandboxDemoScopes() []string {
	scopes := auth.SplitScopes(auth.DefaultScopes)
	for _, a := range auth.Catalog() {
		if a.Auth == auth.AuthUser && !slices.Contains(scopes, a.Scope) {
			scopes = append(scopes, a.Scope)
		}
	}
	return scopes
}

// sandboxProfile reads the demo app's profile for the sandbox at base,
// storing it first, under the next free name, when there is none. It may
// block on the keyring: call it in the background.
func sandboxProfile(st *storage.Store, base string) (profileRead, error) {
	ps, err := st.Profiles()
	if err != nil {
		return profileRead{}, err
	}
	for _, p := range ps {
		if p.Environment == storage.EnvSandbox && p.ClientKey == sandbox.DemoClientKey &&
			strings.EqualFold(p.Endpoint(), strings.TrimRight(base, "/")) {
			return readProfile(st, p, true), nil
		}
	}
	p := storage.Profile{
		Name: freeName(ps, sandboxProfileName, sandboxProfileName), Environment: storage.EnvSandbox, BaseURL: base,
		ClientKey: sandbox.DemoClientKey, Scopes: sandboxDemoScopes(),
		RedirectURI: sandbox.DemoRedirectURI, CallbackMode: storage.ModeLoopback,
	}
	if err := st.SaveProfile(p); err != nil {
		return profileRead{}, err
	}
	if err := st.SetSecret(p.Name, sandbox.DemoClientSecret); err != nil {
		return profileRead{}, err
	}
	if p, err = st.Profile(p.Name); err != nil {
		return profileRead{}, err
	}
	return readProfile(st, p, true), nil
}
