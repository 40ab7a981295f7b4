package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// ErrNothingToRevoke is RevokeAt's answer when the sandbox held no live
// token or code of the user for the app.
var ErrNothingToRevoke = errors.New("the sandbox holds no live authorization of that user for that app")

// RevokeAt asks the sandbox serving base to revoke the authorization openID
// gave clientKey (POST /_sandbox/revoke), as Revoke does in process: for the
// window and the command line, which may talk to a sandbox of another
// process. A sandbox that cannot be reached gives the transport's error.
func RevokeAt(ctx context.Context, base, clientKey, openID string) error {
	body, err := json.Marshal(map[string]string{"client_key": clientKey, "open_id": openID})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(base, "/")+"/_sandbox/revoke", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", contentTypeJSON)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	var answer struct {
		Revoked bool `json:"revoked"`
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return ErrNothingToRevoke
	case resp.StatusCode == http.StatusOK && json.Unmarshal(data, &answer) == nil && answer.Revoked:
		return nil
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(data)), "\n")
	return fmt.Errorf("HTTP %d: %s", resp.StatusCode, first)
}
