package auth

import (
	"io"
	"log"
)

// discardLog silences net/http's own error log, which could otherwise echo
// request details.
var discardLog = log.New(io.Discard, "", 0)
