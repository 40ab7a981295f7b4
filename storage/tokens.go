package storage

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/douyinauthdesk/douyin-auth-desk/auth"
)

// Tokens returns the token store of the profile.
func (s *Store) Tokens(profile string) *TokenStore {
	return &TokenStore{s: s, profile: profile}
}

// TokenStore keeps the grants of one profile's accounts and its client
// token: the account data in profiles.json (as Profile.Accounts and
// Profile.ClientToken) and the tokens in the keyring. For a profile that
// does not exist, its methods return an error wrapping ErrNoProfile.
type TokenStore struct {
	s       *Store
	profile string
}

var _ auth.TokenStore = (*TokenStore)(nil)

// Grant returns the grant of openID, first finishing an interrupted
// replacement of its refresh token; a grant that could not be saved in full
// this session (see SaveGrant) comes from memory.
//
// It returns an error wrapping auth.ErrNoAccount for an unknown account,
// also wrapping ErrSecretNotFound when profiles.json knows the account but
// the keyring has lost its refresh token (for example after a session
// without a keyring), or, for an AccessOnly account, its access token: the
// user must authorize again. An AccessOnly account's grant has an empty
// RefreshToken. When only the access
// token is missing, as after a crash while a first grant was being saved,
// it returns the refresh token with an empty AccessToken and zero access
// times, so that the caller refreshes it. A token stored for another
// client_key or base URL is refused with a *BindingError.
func (t *TokenStore) Grant(openID string) (auth.Grant, error) {
	s := t.s
	if g, ok := s.heldGrant(t.profile, openID); ok {
		return g, nil
	}
	var g auth.Grant
	roll := false
	err := s.view(func(d *fileData) error {
		fp, fa, err := t.account(d, openID)
		if err != nil {
			return err
		}
		_, err = s.keyring().Get(refreshKey(t.profile, openID, fa.Generation+1))
		if err == nil {
			roll = true
			return nil
		}
		if !errors.Is(err, ErrSecretNotFound) {
			return err
		}
		g, err = t.load(fp, fa)
		return err
	})
	if err != nil || !roll {
		return g, err
	}
	err = s.update(func(tx *txn) error {
		if err := s.recoverAccount(tx, t.profile, openID); err != nil {
			return err
		}
		fp, fa, err := t.account(tx.d, openID)
		if err != nil {
			return err
		}
		g, err = t.load(fp, fa)
		return err
	})
	return g, err
}

// account finds the stored account openID and its profile.
func (t *TokenStore) account(d *fileData, openID string) (*fileProfile, *fileAccount, error) {
	fp, err := d.profile(t.profile)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", err, auth.ErrNoAccount)
	}
	fa := fp.account(openID)
	if fa == nil {
		return nil, nil, fmt.Errorf("%w: %q", auth.ErrNoAccount, openID)
	}
	return fp, fa, nil
}

// load reads the tokens of fa, an account of fp, from the keyring.
func (t *TokenStore) load(fp *fileProfile, fa *fileAccount) (auth.Grant, error) {
	id := fa.Account.OpenID
	if fa.Generation < 1 {
		return auth.Grant{}, fmt.Errorf("%w: %q", auth.ErrNoAccount, id)
	}
	if fa.Account.AccessOnly {
		at, err := t.get(fp, accessKey(t.profile, id), auth.ErrNoAccount)
		if err != nil {
			return auth.Grant{}, err
		}
		return auth.Grant{Account: fa.Account, AccessToken: at}, nil
	}
	rt, err := t.get(fp, refreshKey(t.profile, id, fa.Generation), auth.ErrNoAccount)
	if err != nil {
		return auth.Grant{}, err
	}
	g := auth.Grant{Account: fa.Account, RefreshToken: rt}
	g.AccessToken, err = t.get(fp, accessKey(t.profile, id), auth.ErrNoAccount)
	if errors.Is(err, ErrSecretNotFound) {
		// The refresh token can still get a new access token.
		g.AccessToken, g.AccessObtained, g.AccessExpiry = "", time.Time{}, time.Time{}
		err = nil
	}
	if err != nil {
		return auth.Grant{}, err
	}
	return g, nil
}

// get reads key for fp, reporting a missing entry as an error wrapping both
// absent and ErrSecretNotFound.
func (t *TokenStore) get(fp *fileProfile, key string, absent error) (string, error) {
	v, err := t.s.getFor(fp, key)
	if errors.Is(err, ErrSecretNotFound) {
		return "", fmt.Errorf("%w (%w in the keyring: %s)", absent, ErrSecretNotFound, key)
	}
	if errors.Is(err, ErrSecretBinding) {
		return "", err
	}
	if err != nil {
		return "", fmt.Errorf("storage: reading %s: %w", key, err)
	}
	return v, nil
}

// SaveGrant stores g. It needs a non-empty OpenID (without "/" or control
// characters) and RefreshToken; an empty AccessToken, as in a grant whose
// access token was lost, is stored as none, so that renewing such a grant
// keeps its new refresh token. When g leaves Nickname, Avatar, UnionID, Role
// or Scope empty, those of the stored account are kept. No token may be
// longer than MaxSecretSize bytes.
//
// A grant marked AccessOnly, an imported access token, needs an AccessToken
// instead of a RefreshToken. It never drops a refresh token: an account
// stored with one keeps it, and only its access token and data change (its
// AccessOnly stays false); otherwise the account holds the access token only
// (see the package documentation).
//
// It replaces the refresh token as the package documentation describes:
// once it has written the new refresh token, an error is an
// *auth.UnsavedError and Grant returns the new grant for the rest of the
// session; an error of any other type leaves the grant stored before
// unchanged.
func (t *TokenStore) SaveGrant(g auth.Grant) error {
	id := g.OpenID
	if err := validateID(auth.FieldOpenID, id, 0); err != nil {
		return err
	}
	accessOnly := g.AccessOnly && g.RefreshToken == ""
	if g.AccessToken != "" || accessOnly {
		if err := checkSecret("access_token", g.AccessToken); err != nil {
			return err
		}
	}
	if !accessOnly {
		if err := checkSecret("refresh_token", g.RefreshToken); err != nil {
			return err
		}
	}
	err := t.s.update(func(tx *txn) error { return t.saveGrant(tx, g) })
	t.s.hold(t.profile, g, err)
	return err
}

// saveGrant is SaveGrant under the exclusive lock.
func (t *TokenStore) saveGrant(tx *txn, g auth.Grant) error {
	s, id := t.s, g.OpenID
	fp, err := tx.d.profile(t.profile)
	if err != nil {
		return err
	}
	if fp.account(id) != nil {
		// Start from a consistent state.
		if err := s.recoverAccount(tx, t.profile, id); err != nil {
			return err
		}
	}
	fa := fp.account(id)
	var meta auth.Account
	gen := 0
	if fa != nil {
		meta, gen = fa.Account, fa.Generation
	}
	meta = mergeAccount(meta, g.Account)
	if g.RefreshToken == "" {
		return t.saveAccessOnly(tx, fp, fa, meta, g.AccessToken)
	}
	meta.AccessOnly = false
	g.Account = meta
	if gen > 0 {
		cur, err := s.getFor(fp, refreshKey(t.profile, id, gen))
		if err == nil && cur == g.RefreshToken {
			return t.replaceAccess(tx, fp, fa, meta, g.AccessToken)
		}
	}
	return t.rotate(tx, fp, gen, meta, g)
}

// saveAccessOnly stores an access token without a refresh token for the
// account fa of fp (nil when new). An account whose refresh token is in the
// keyring keeps it; one that lost it, or a new one, becomes AccessOnly. A new
// account is noted first, as for a first grant, so that a crash leaves no
// entry that profiles.json does not lead to; a failure removes it again.
func (t *TokenStore) saveAccessOnly(tx *txn, fp *fileProfile, fa *fileAccount, meta auth.Account, access string) error {
	s := t.s
	meta.AccessOnly = true
	if fa != nil && fa.Generation > 0 {
		if !fa.Account.AccessOnly {
			_, err := s.keyring().Get(refreshKey(t.profile, meta.OpenID, fa.Generation))
			if err != nil && !errors.Is(err, ErrSecretNotFound) {
				return fmt.Errorf("storage: reading %s: %w", refreshKey(t.profile, meta.OpenID, fa.Generation), err)
			}
			meta.AccessOnly = err != nil
		}
		return t.replaceAccess(tx, fp, fa, meta, access)
	}
	id := meta.OpenID
	err := t.noteIntent(tx, fp, id, meta)
	if err == nil {
		err = step("access")
	}
	if err == nil {
		err = t.writeAccess(fp, accessKey(t.profile, id), access)
	}
	if err == nil {
		*fp.account(id) = fileAccount{Account: meta, Generation: 1}
		err = tx.commit()
	}
	if fa := fp.account(id); err != nil && fa != nil {
		// The caller still holds the token, so nothing is lost by undoing:
		// back to a first grant that never got its tokens, which recovery
		// removes now or at the next start.
		fa.Generation, fa.Pending = 0, nil
		s.recoverAccount(tx, t.profile, id)
	}
	return err
}

// replaceAccess stores a grant that kept its refresh token: only the access
// token and the account data change, and a failure puts back the access
// token held before, since the stored grant still works.
func (t *TokenStore) replaceAccess(tx *txn, fp *fileProfile, fa *fileAccount, meta auth.Account, access string) error {
	s := t.s
	akey := accessKey(t.profile, fa.Account.OpenID)
	old, err := s.keyring().Get(akey)
	had := err == nil
	if err != nil && !errors.Is(err, ErrSecretNotFound) {
		return fmt.Errorf("storage: reading %s: %w", akey, err)
	}
	err = step("access")
	if err == nil {
		err = t.writeAccess(fp, akey, access)
	}
	if err == nil {
		fa.Account = meta
		err = tx.commit()
	}
	if err != nil {
		if had {
			s.keyring().Set(akey, old)
		} else {
			s.deleteKeys(akey)
		}
	}
	return err
}

// writeAccess stores the access token for fp; a grant without one (its
// access token was lost) leaves none.
func (t *TokenStore) writeAccess(fp *fileProfile, key, access string) error {
	if access == "" {
		return t.s.deleteKeys(key)
	}
	return t.s.setFor(fp, key, access)
}

// rotate stores a grant with a new refresh token in the steps of the
// package documentation. Once the new refresh token is in the keyring no
// failure deletes it: the grant is kept in memory for the session and the
// next Open or Grant finishes the save.
func (t *TokenStore) rotate(tx *txn, fp *fileProfile, gen int, meta auth.Account, g auth.Grant) error {
	s, id := t.s, g.OpenID
	existed := fp.account(id) != nil
	// 1 and 2: the new refresh token, under the next generation, and a note
	// of the incoming account data. For an account already stored, the
	// token goes first: the one it replaces may be dead, and with the token
	// in the keyring a later start rolls forward even without the note. A
	// new account is noted first, so that no token is stored where a later
	// start cannot find it.
	if !existed {
		if err := t.noteIntent(tx, fp, id, meta); err != nil {
			return &auth.UnsavedError{Grant: g, Err: err}
		}
	}
	nkey := refreshKey(t.profile, id, gen+1)
	err := step("refresh")
	if err == nil {
		err = s.setFor(fp, nkey, g.RefreshToken)
	}
	if err != nil {
		return &auth.UnsavedError{Grant: g, Err: err}
	}
	if existed {
		if err := t.noteIntent(tx, fp, id, meta); err != nil {
			return &auth.UnsavedError{Grant: g, RefreshStored: true, Err: err}
		}
	}
	// 3. The new access token. Should it fail, the refresh token gets
	// another, so the access token is recorded as unknown.
	akey := accessKey(t.profile, id)
	accessErr := step("access")
	if accessErr == nil {
		accessErr = t.writeAccess(fp, akey, g.AccessToken)
	}
	if accessErr != nil {
		meta.AccessObtained, meta.AccessExpiry = time.Time{}, time.Time{}
		s.deleteKeys(akey)
	}
	// 4. The account data, now at the new generation.
	fa := fp.account(id)
	retired := s.pruneRetired(t.profile, id, fa.Retired)
	if gen > 0 {
		retired = append(retired, gen)
	}
	*fa = fileAccount{Account: meta, Generation: gen + 1, Retired: retired}
	if err := tx.commit(); err != nil {
		return &auth.UnsavedError{Grant: g, RefreshStored: true, Err: err}
	}
	// 5. The old refresh token. Should this fail, it stays listed as
	// retired and a later change deletes it.
	if gen > 0 {
		s.retire(tx, t.profile, id, gen)
	}
	if accessErr != nil {
		return &auth.UnsavedError{Grant: g, RefreshStored: true, Err: accessErr}
	}
	return nil
}

// noteIntent records meta as the pending data of account id, adding the
// account when it is new.
func (t *TokenStore) noteIntent(tx *txn, fp *fileProfile, id string, meta auth.Account) error {
	if err := step("intent"); err != nil {
		return err
	}
	fa := fp.account(id)
	if fa == nil {
		fp.Accounts = append(fp.Accounts, fileAccount{Account: auth.Account{OpenID: id}})
		fa = &fp.Accounts[len(fp.Accounts)-1]
	}
	pending := meta
	fa.Pending = &pending
	return tx.write("intent")
}

// mergeAccount returns a, with the descriptive fields of old where a leaves
// them empty.
func mergeAccount(old, a auth.Account) auth.Account {
	keep := func(v *string, o string) {
		if *v == "" {
			*v = o
		}
	}
	keep(&a.UnionID, old.UnionID)
	keep(&a.Nickname, old.Nickname)
	keep(&a.Avatar, old.Avatar)
	keep(&a.Role, old.Role)
	keep(&a.Scope, old.Scope)
	return a
}

// retire deletes the refresh token of generation gen, which tx already
// lists as retired, and then drops it from the list. Failures are left for a
// later change to retry.
func (s *Store) retire(tx *txn, profile, openID string, gen int) {
	if step("retire") != nil || s.deleteKeys(refreshKey(profile, openID, gen)) != nil {
		return
	}
	fp, err := tx.d.profile(profile)
	if err != nil {
		return
	}
	if fa := fp.account(openID); fa != nil {
		fa.Retired = slices.DeleteFunc(fa.Retired, func(g int) bool { return g == gen })
		if len(fa.Retired) == 0 {
			fa.Retired = nil
		}
		tx.write("tidy")
	}
}

// pruneRetired deletes the refresh tokens of the retired generations and
// returns those that could not be deleted.
func (s *Store) pruneRetired(profile, openID string, retired []int) []int {
	var left []int
	for _, g := range retired {
		if s.deleteKeys(refreshKey(profile, openID, g)) != nil {
			left = append(left, g)
		}
	}
	return left
}

// unsettled reports whether the account has a refresh-token replacement
// or a first grant that a process left half done, or retired tokens left.
func (a *fileAccount) unsettled() bool {
	return a.Pending != nil || len(a.Retired) > 0 || a.Generation == 0
}

// unsettled reports whether any account of d is unsettled.
func (d *fileData) unsettled() bool {
	for i := range d.Profiles {
		for j := range d.Profiles[i].Accounts {
			if d.Profiles[i].Accounts[j].unsettled() {
				return true
			}
		}
	}
	return false
}

// recoverAll finishes or cleans up every interrupted refresh-token
// replacement in tx.
func (s *Store) recoverAll(tx *txn) error {
	var errs []error
	for i := range tx.d.Profiles {
		fp := &tx.d.Profiles[i]
		var ids []string
		for _, a := range fp.Accounts {
			if a.unsettled() {
				ids = append(ids, a.Account.OpenID)
			}
		}
		for _, id := range ids {
			if err := s.recoverAccount(tx, fp.Name, id); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// recoverAccount brings the account openID of the profile to a consistent
// state under the exclusive lock: when the keyring holds the refresh token
// of the generation after the recorded one, it rolls forward to it;
// otherwise it drops a stale pending note and a first grant that never got
// its tokens stored. It also deletes retired refresh tokens.
func (s *Store) recoverAccount(tx *txn, profile, openID string) error {
	fp, err := tx.d.profile(profile)
	if err != nil {
		return nil
	}
	fa := fp.account(openID)
	if fa == nil {
		return nil
	}
	gen := fa.Generation
	_, err = s.keyring().Get(refreshKey(profile, openID, gen+1))
	switch {
	case err == nil:
		meta := fa.Account
		if fa.Pending != nil {
			meta = *fa.Pending
			meta.OpenID = openID
		}
		// The access token may still be the old one, so its life is
		// unknown; the account now has a refresh token.
		meta.AccessObtained, meta.AccessExpiry = time.Time{}, time.Time{}
		meta.AccessOnly = false
		retired := s.pruneRetired(profile, openID, fa.Retired)
		if gen > 0 {
			retired = append(retired, gen)
		}
		*fa = fileAccount{Account: meta, Generation: gen + 1, Retired: retired}
		if err := tx.write("recover"); err != nil {
			return err
		}
		if gen > 0 {
			s.retire(tx, profile, openID, gen)
		}
		return nil
	case errors.Is(err, ErrSecretNotFound):
		changed := fa.Pending != nil
		fa.Pending = nil
		if len(fa.Retired) > 0 {
			left := s.pruneRetired(profile, openID, fa.Retired)
			changed = changed || len(left) != len(fa.Retired)
			fa.Retired = left
		}
		if gen == 0 && s.deleteKeys(accessKey(profile, openID)) == nil {
			fp.Accounts = slices.DeleteFunc(fp.Accounts, func(a fileAccount) bool { return a.Account.OpenID == openID })
			changed = true
		}
		if changed {
			return tx.write("recover")
		}
		return nil
	default:
		return fmt.Errorf("storage: reading %s: %w", refreshKey(profile, openID, gen+1), err)
	}
}

// ClientToken returns the stored client token, the stable one when stable
// is set, or an error wrapping auth.ErrNoClientToken (and ErrSecretNotFound
// when the keyring lost it).
func (t *TokenStore) ClientToken(stable bool) (auth.ClientToken, error) {
	var ct auth.ClientToken
	err := t.s.view(func(d *fileData) error {
		fp, err := d.profile(t.profile)
		if err != nil {
			return fmt.Errorf("%w: %w", err, auth.ErrNoClientToken)
		}
		meta := *fp.clientToken(stable)
		if meta == nil {
			return auth.ErrNoClientToken
		}
		v, err := t.get(fp, clientTokenKey(t.profile, stable), auth.ErrNoClientToken)
		if err != nil {
			return err
		}
		ct = *meta
		ct.Token, ct.Stable = v, stable
		return nil
	})
	return ct, err
}

// SaveClientToken stores ct in place of the client token of its kind
// (ct.Stable); its Token must not be empty nor longer than MaxSecretSize
// bytes. When it fails, the client token held before stays.
func (t *TokenStore) SaveClientToken(ct auth.ClientToken) error {
	name := "client_token"
	if ct.Stable {
		name = "client_token_stable"
	}
	if err := checkSecret("client_token", ct.Token); err != nil {
		return err
	}
	s := t.s
	return s.update(func(tx *txn) error {
		fp, err := tx.d.profile(t.profile)
		if err != nil {
			return err
		}
		key := clientTokenKey(t.profile, ct.Stable)
		old, err := s.keyring().Get(key)
		had := err == nil
		if err != nil && !errors.Is(err, ErrSecretNotFound) {
			return fmt.Errorf("storage: reading %s: %w", key, err)
		}
		err = step(name)
		if err == nil {
			err = s.setFor(fp, key, ct.Token)
		}
		if err == nil {
			meta := ct
			meta.Token = ""
			*fp.clientToken(ct.Stable) = &meta
			err = tx.commit()
		}
		if err != nil {
			// Put back the token held before.
			if had {
				s.keyring().Set(key, old)
			} else {
				s.deleteKeys(key)
			}
			return err
		}
		return nil
	})
}

// clientToken returns where fp keeps the metadata of its client token, or
// of its stable one.
func (fp *fileProfile) clientToken(stable bool) **auth.ClientToken {
	if stable {
		return &fp.StableClientToken
	}
	return &fp.ClientToken
}
