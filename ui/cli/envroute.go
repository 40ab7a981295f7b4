package cli

import (
	"os"
	"strings"
	"sync"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Where no keyring keeps secrets between commands (CI runners, servers,
// containers), a command takes what the keyring lacks from the environment:
// the client_secret from $DOUYIN_CLIENT_SECRET, an account's tokens from
// $DOUYIN_REFRESH_TOKEN and $DOUYIN_ACCESS_TOKEN. The keyring always comes
// first. What a command obtains with an account's token from the
// environment stays in the process's memory (memoryTokens): it is never
// written to the keyring, and never to disk.
const (
	secretEnv       = "DOUYIN_CLIENT_SECRET"
	refreshTokenEnv = "DOUYIN_REFRESH_TOKEN"
	accessTokenEnv  = "DOUYIN_ACCESS_TOKEN"
)

// fromEnv returns the environment variable name without the white space
// around it, "" when it is not set.
func fromEnv(name string) string { return strings.TrimSpace(os.Getenv(name)) }

// memoryTokens is an auth.TokenStore in the memory of this process only.
type memoryTokens struct {
	mu     sync.Mutex
	grants map[string]auth.Grant
	client map[bool]auth.ClientToken // by Stable
}

var _ auth.TokenStore = (*memoryTokens)(nil)

func newMemoryTokens() *memoryTokens {
	return &memoryTokens{grants: map[string]auth.Grant{}, client: map[bool]auth.ClientToken{}}
}

func (m *memoryTokens) Grant(openID string) (auth.Grant, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	g, ok := m.grants[openID]
	if !ok {
		return auth.Grant{}, auth.ErrNoAccount
	}
	return g, nil
}

func (m *memoryTokens) SaveGrant(g auth.Grant) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.grants[g.OpenID] = g
	return nil
}

func (m *memoryTokens) ClientToken(stable bool) (auth.ClientToken, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.client[stable]
	if !ok {
		return auth.ClientToken{}, auth.ErrNoClientToken
	}
	return t, nil
}

func (m *memoryTokens) SaveClientToken(t auth.ClientToken) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.client[t.Stable] = t
	return nil
}

// inMemory returns a copy of flow that keeps what it obtains in this
// process's memory only.
func inMemory(flow *auth.Flow) *auth.Flow {
	f := *flow
	f.Store = newMemoryTokens()
	return &f
}
