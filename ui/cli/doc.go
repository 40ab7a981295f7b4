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
// Errors are shown in Chinese when $LC_ALL, $LC_MESSAGES or $LANG (the first
// one set) starts with "zh", in English otherwise. Where none is set, as on
// Windows, the user's display language decides.
package cli
