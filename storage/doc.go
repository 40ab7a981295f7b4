// Package storage keeps the app profiles, accounts and settings of Douyin
// Auth Desk, and their secrets.
//
// # Files
//
// Everything that is not secret lives in one JSON file, profiles.json, in the
// configuration directory: DefaultDir, which is $DOUYIN_AUTH_DESK_CONFIG_DIR
// when that variable is set and otherwise the douyin-auth-desk directory
// under os.UserConfigDir. The directory is created with mode 0700 and the
// file is written with mode 0600. The file is versioned:
//
//	{"version": 1, "profiles": [...], "settings": {...}}
//
// Every write goes to a temporary file in the same directory, which is
// synced and then renamed over profiles.json, after which the directory is
// synced, so the file is always either the old or the new version.
//
// The GUI and the command line tool may run at the same time. Each change
// takes an exclusive lock on a separate file, profiles.lock (flock on Unix,
// LockFileEx on Windows), re-reads profiles.json under the lock, applies the
// change and writes the result before unlocking. Reads take a shared lock.
//
// A profiles.json that cannot be parsed, or that was written by a newer
// format version, is never overwritten: it is renamed to
// profiles.json.<timestamp>.bak, the store starts with no profiles, and a
// Notice tells the user where the old file was kept.
//
// # Secrets
//
// Secrets are kept only in the system keyring (Secret Service on Linux and
// the BSDs, the Keychain on macOS, the Credential Manager on Windows), never
// in profiles.json. All entries use the keyring service name
// "douyin-auth-desk" (ServiceName), one entry per secret, with these user
// names:
//
//	profile/<name>/client_secret
//	profile/<name>/client_token
//	profile/<name>/client_token_stable
//	profile/<name>/account/<open_id>/access_token
//	profile/<name>/account/<open_id>/refresh_token/<generation>
//	probe/<pid>
//
// <name> is the profile name and <open_id> the user's open_id; neither can
// contain "/". <generation> is a decimal number starting at 1 that grows by
// one each time the refresh token of the account is replaced; profiles.json
// records the current generation of every account, so that the entries can be
// found again (a keyring cannot be listed). The probe entry, named after the
// process id, is written, read and deleted to find out whether the keyring
// works, when the store first needs it. The names do not depend on the
// configuration directory: two directories holding profiles of the same
// name share their keyring entries. So every value is bound to what it was
// stored for:
//
//	douyin-auth-desk/bound/1 LF <client_key> LF <endpoint> LF <secret>
//
// and a profile whose client_key or endpoint (base URL, scheme and host in
// any case) differs gets a *BindingError instead of the secret: a profile
// planted in another directory, or edited to point elsewhere, never sends
// it. A value stored before values were bound is given only to a profile
// whose endpoint is the platform itself or a loopback address. No secret may
// be longer than MaxSecretSize bytes, nor a bound value than the smallest
// limit among the keyrings.
//
// When the keyring cannot be used (no Secret Service running, a locked
// collection that cannot be unlocked, ...), Open keeps secrets in memory for
// the life of the process instead (Store.SessionOnly) and records a Notice.
// Secrets are never written anywhere else.
//
// # Replacing a refresh token
//
// A renewed refresh token is the only credential that still works once the
// platform has issued it, so SaveGrant replaces one in an order that survives
// a crash or a failure at any point, and never deletes a token the platform
// has just issued:
//
//  1. the new refresh token is stored under generation g+1;
//  2. profiles.json notes the incoming account data as pending;
//  3. the new access token is stored;
//  4. profiles.json is rewritten with generation g+1;
//  5. the refresh token of generation g is deleted.
//
// For an account's first grant (g = 0) steps 1 and 2 swap, so that no token
// is stored under a name that profiles.json does not lead to.
//
// When Open or Grant finds an entry for generation g+1 while profiles.json
// still says g, the process stopped between steps 1 and 4: the store rolls
// forward to g+1 and deletes generation g. The access token's expiry is then
// recorded as unknown (zero), since it may still be the old one; refreshing
// it with the new refresh token is always possible.
//
// When a step fails with an error, nothing already written is undone.
// SaveGrant returns an *auth.UnsavedError and the Store keeps the new grant
// in memory, so that it goes on working for the rest of the session:
// RefreshStored reports whether the new refresh token is in the keyring for
// the next start to roll forward to (a failure after step 1; a failure of
// step 3 alone leaves the grant stored with its access token unknown), or in
// memory only (a failure of step 1), for the user to copy. A refresh that
// returns the same refresh token keeps the generation and only replaces the
// access token; a failure there puts back the access token held before.
//
// # Accounts without a refresh token
//
// An imported access token may come without a refresh token. Such an account
// is recorded with "access_only": true in its account data and a generation
// of 1 whose refresh token entry does not exist; only its access_token entry
// does. A positive generation keeps the account for a program that predates
// this, which sees a lost refresh token and asks for a new authorization,
// where a generation of 0 would be removed as an unfinished first grant. A
// new one is saved like a first grant: the account is noted as pending, the
// access token stored, then the account recorded at generation 1; a crash at
// any point leaves at most an unfinished first grant, which the next Open
// removes, and a failure removes it at once. Saving an access token alone
// never drops a refresh token: an account whose refresh token is in the
// keyring keeps it and changes only its access token (one whose refresh
// token the keyring lost becomes access only). A refresh token saved later
// for the account goes to the next generation, as any replacement does, and
// the account is no longer access only.
package storage
