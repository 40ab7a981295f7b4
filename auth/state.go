package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// newState returns 32 random bytes, URL-safe base64 encoded, for the
// authorization request's state parameter.
func newState() string {
	b := make([]byte, 32)
	rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// stateMatches compares a received state with the expected one in constant time.
func stateMatches(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
