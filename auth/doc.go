// Package auth speaks the Douyin Open Platform's OAuth contract for the
// desktop: everything between an app's credentials and a stored grant, and
// the OpenAPI calls a grant allows.
//
// It holds the platform Client (one request per endpoint, all through one
// exchange that masks the secrets it logs, with the envelope decoder that
// turns every answer into data, a *PlatformError with its zh/en
// explanation, or a *TransportError), redaction of secrets in everything it
// logs or reports, the loopback callback server, the parsing of a pasted
// redirect address, the relay page, and Flow: the one implementation of
// state → authorize URL → callback or paste → exchange → save → refresh,
// renew, client token and verify. The window and the command line both
// drive a Flow; neither repeats a step.
//
// A token obtained elsewhere becomes an account through Flow's imports
// (ImportRefreshToken, ImportAccessToken, import.go): the platform must
// show it alive first, and an imported access token is kept with its
// expiry and scopes unknown.
//
// The catalogue (Catalog, FindAPI, catalog.go) describes the OpenAPIs a
// grant or a client token can try: method, path, where the token and
// open_id travel, the scope each needs and its parameters. Flow.Call
// (call.go) sends one with the stored token, after checking the scope and
// the token's life, and returns the answer masked with a curl command line
// of the request.
//
// A Flow saves grants through the small TokenStore interface, which the
// storage package implements; auth never imports storage, nor any user
// interface. Any TokenStore will do: the command line's environment route
// gives a Flow one in memory, so that tokens taken from the environment
// where no keyring exists are used and never stored. Bad input from the
// user is a *FieldError naming the field.
//
// The contract it follows, endpoints, content types, lifetimes and error
// codes, is emulated by the sandbox subpackage, which reads it
// independently and imports nothing of this package.
package auth
