package auth

import (
	"slices"
	"strings"
	"sync"
)

// MemoryTokens is a TokenStore in the memory of one process: for a command
// that must keep what it obtains off the disk and out of the keyring, such
// as one given its tokens by the environment, and for tests.
type MemoryTokens struct {
	mu     sync.Mutex
	grants map[string]Grant
	client map[bool]ClientToken // by Stable
}

var _ TokenStore = (*MemoryTokens)(nil)

// NewMemoryTokens returns an empty MemoryTokens.
func NewMemoryTokens() *MemoryTokens {
	return &MemoryTokens{grants: map[string]Grant{}, client: map[bool]ClientToken{}}
}

// Grant returns the grant of openID, or ErrNoAccount.
func (m *MemoryTokens) Grant(openID string) (Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[openID]
	if !ok {
		return Grant{}, ErrNoAccount
	}
	return g, nil
}

// SaveGrant keeps g, replacing the grant with its OpenID.
func (m *MemoryTokens) SaveGrant(g Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.grants[g.OpenID] = g
	return nil
}

// Grants returns every grant kept, by open_id.
func (m *MemoryTokens) Grants() []Grant {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Grant, 0, len(m.grants))
	for _, g := range m.grants {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b Grant) int { return strings.Compare(a.OpenID, b.OpenID) })
	return out
}

// ClientToken returns the client token of the kind stable, or
// ErrNoClientToken.
func (m *MemoryTokens) ClientToken(stable bool) (ClientToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.client[stable]
	if !ok {
		return ClientToken{}, ErrNoClientToken
	}
	return t, nil
}

// SaveClientToken keeps t, replacing the client token of its kind.
func (m *MemoryTokens) SaveClientToken(t ClientToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.client[t.Stable] = t
	return nil
}
