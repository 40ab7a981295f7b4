package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
	"github.com/douyinauthdesk/douyin-auth-desk/storage"
)

// testFields are the fields a credentials test needs.
var testFields = []auth.Field{auth.FieldBaseURL, auth.FieldClientKey, auth.FieldClientSecret}

// testProblems returns those of errs, the form's problems, that keep its
// credentials from being tested.
func testProblems(errs []error) []error {
	return slices.DeleteFunc(slices.Clone(errs), func(err error) bool { return !slices.Contains(testFields, errField(err)) })
}

// usesStableToken reports whether a credentials test of p asks for the
// stable client token: on the platform's own hosts a new rotating
// client_token would end, after a grace, the one the app's server holds.
func usesStableToken(p storage.Profile) bool { return !storage.UsesBaseURL(p.Environment) }

// testCredentials asks the form's server for a client token with the
// form's client_key and client_secret, before any consent: the stable one
// on the platform, a rotating one in the sandbox or on a custom server.
// The token is not stored, so the profile's own client tokens stay as
// they were; the request shows in the HTTP log.
func (v *credentialsView) testCredentials() {
	p, secret, errs := v.check()
	if errs = testProblems(errs); len(errs) > 0 {
		for _, err := range errs {
			v.showFieldError(err)
		}
		return
	}
	stable := usesStableToken(p)
	client := v.u.flow(p, secret).Client
	v.u.background(v.busy, func(ctx context.Context) func() {
		fetch := client.ClientToken
		if stable {
			fetch = client.StableClientToken
		}
		_, err := fetch(ctx, p.ClientKey, secret)
		return func() { v.tested(p, stable, err) }
	})
}

// tested shows the outcome of a credentials test next to the form.
func (v *credentialsView) tested(p storage.Profile, stable bool, err error) {
	if err != nil {
		setError(v.testResult, lang.L("Credentials test failed: {{.Error}}", map[string]any{"Error": explainFor(p, err)}))
		return
	}
	text := lang.L("{{.URL}} accepted client_key and client_secret: it issued a client_token (not stored).",
		map[string]any{"URL": p.Endpoint()})
	if stable {
		text = lang.L("{{.URL}} accepted client_key and client_secret: it issued a stable_client_token (not stored; no rotating client_token was requested, so the one your server holds keeps working).",
			map[string]any{"URL": p.Endpoint()})
	}
	note(v.testResult, text, widget.SuccessImportance)
}
