// Package auth speaks the Douyin Open Platform's OAuth contract for the
// desktop: everything between an app's credentials and a stored grant.
//
// It holds the platform Client (one request per endpoint, with the
// envelope decoder that turns every answer into data, a *PlatformError
// with its zh/en explanation, or a *TransportError), redaction of secrets
// in everything it logs or reports, the loopback callback server, the
// parsing of a pasted redirect address, the relay page, and Flow: the one
// implementation of state → authorize URL → callback or paste → exchange →
// save → refresh, renew, client token and verify. The window and the
// command line both drive a Flow; neither repeats a step.
//
// A Flow saves grants through the small TokenStore interface, which the
// storage package implements; auth never imports storage, nor any user
// interface. Bad input from the user is a *FieldError naming the field.
//
// The contract it follows, endpoints, content types, lifetimes and error
// codes, is emulated by the sandbox subpackage, which reads it
// independently and imports nothing of this package.
package auth
