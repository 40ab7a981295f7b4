package storage

import (
	"errors"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// heldKey names the account openID of the profile among the held grants.
func heldKey(profile, openID string) string { return profile + "/" + openID }

// hold keeps g in memory for the rest of the session when err says that it
// could not be saved in full, and forgets the account's held grant once a
// save succeeds.
func (s *Store) hold(profile string, g auth.Grant, err error) {
	var ue *auth.UnsavedError
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case err == nil:
		delete(s.held, heldKey(profile, g.OpenID))
	case errors.As(err, &ue):
		if s.held == nil {
			s.held = map[string]auth.Grant{}
		}
		s.held[heldKey(profile, g.OpenID)] = ue.Grant
	}
}

// heldGrant returns the grant held in memory for the account, if any.
func (s *Store) heldGrant(profile, openID string) (auth.Grant, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.held[heldKey(profile, openID)]
	return g, ok
}

// forgetHeld drops the held grants of the profile's account openID, or of
// all its accounts when openID is "", or of every profile when both are "".
func (s *Store) forgetHeld(profile, openID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k := range s.held {
		if profile == "" || k == heldKey(profile, openID) || openID == "" && strings.HasPrefix(k, profile+"/") {
			delete(s.held, k)
		}
	}
}
