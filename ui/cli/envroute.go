package cli

import (
	"os"
	"strings"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Where no keyring keeps secrets between commands (CI runners, servers,
// containers), a command takes what the keyring lacks from the environment:
// the client_secret from $DOUYIN_CLIENT_SECRET, an account's tokens from
// $DOUYIN_REFRESH_TOKEN and $DOUYIN_ACCESS_TOKEN. The keyring always comes
// first. What a command obtains with an account's token from the
// environment stays in the process's memory (auth.MemoryTokens): it is never
// written to the keyring, and never to disk.
const (
	secretEnv       = "DOUYIN_CLIENT_SECRET"
	refreshTokenEnv = "DOUYIN_REFRESH_TOKEN"
	accessTokenEnv  = "DOUYIN_ACCESS_TOKEN"
)

// fromEnv returns the environment variable name without the white space
// around it, "" when it is not set.
func fromEnv(name string) string { return strings.TrimSpace(os.Getenv(name)) }

// inMemory returns a copy of flow that keeps what it obtains in this
// process's memory only.
func inMemory(flow *auth.Flow) *auth.Flow {
	f := *flow
	f.Store = auth.NewMemoryTokens()
	return &f
}
