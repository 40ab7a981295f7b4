// Package cli is the command line of Douyin Auth Desk: the same binary as
// the window, run with a subcommand. It drives the one OAuth flow in package
// auth and keeps profiles and secrets in package storage, exactly as the
// window does, so the two can be used side by side.
//
// # Output
//
// Results go to standard output as "name: value" lines (or JSON with
// --json), so that scripts can read them. Everything meant for the person at
// the terminal — the authorization URL and instructions, prompts, warnings
// and errors — goes to standard error. No command prints a secret except
// token, whose whole output is the token. Text that comes from the platform
// or the configuration is printed without control characters or escape
// sequences (sanitize); JSON escapes them instead (writeJSON).
//
// # OpenAPI calls
//
// apis lists the catalogue of package auth (auth.Catalog) as a table or
// JSON; call sends one of its OpenAPIs through auth.Flow.Call with the
// profile's stored access token or client token, and prints the platform's
// JSON answer, one document per page with --all, the token masked in
// --curl. The scope check before sending and the platform's refusals exit
// with the statuses below.
//
// # Import
//
// import stores an account from a refresh token or an access token (with
// its open_id) obtained elsewhere, once the platform has shown it alive
// (auth.Flow.ImportRefreshToken, ImportAccessToken). It reads the token
// from standard input only: on the command line, other users and the shell
// history would see it.
//
// # Environment route
//
// Where no keyring keeps secrets between commands (CI runners, servers,
// containers), a command takes what the keyring lacks from the
// environment (envroute.go): the client_secret from $DOUYIN_CLIENT_SECRET,
// an account's tokens from $DOUYIN_REFRESH_TOKEN (refresh, verify, token,
// call) and $DOUYIN_ACCESS_TOKEN (verify, call). The keyring always comes
// first; a note on standard error says when the environment is used, and
// what is obtained with it stays in the process's memory, never written to
// the keyring or to disk. renew never renews a refresh token from the
// environment: the new one would be lost with the command.
//
// # Exit status
//
//	0  success
//	1  a platform or network error, or another failure (login timed out,
//	   authorization denied, keyring unusable)
//	2  a usage error: unknown command, bad flag, missing or invalid value,
//	   unknown profile, ambiguous account
//	3  authorization needed: the profile has no such account, the refresh
//	   token expired (10010), the renewal limit was reached (10020), the
//	   authorization code expired or was used (10007), or the stored secrets
//	   belong to another client_key or base URL than the profile names; run
//	   login again (and store the client secret again)
//
// # Language
//
// The command line's own messages — errors and their hints, warnings and
// notes, the login's instructions, usage lines, and the help of the
// commands that have it in Chinese (apis, call) — are in Chinese when
// $LC_ALL, $LC_MESSAGES or $LANG (the first one set) starts with "zh", in
// English otherwise. Where none is set, as on Windows, the user's display
// language decides. Results on standard output are the same in every
// language, for scripts; text quoted from the platform or the system stays
// as it came.
package cli
