package auth

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The browser's page tells how the callback ended, not only that it came:
// when the server awaits the outcome, the callback's page waits up to
// outcomeWait for the owner's Finish. If the exchange takes longer, the page
// says the code was received and refreshes itself to the status address
// until the outcome is known. The server stays up only for that: it closes
// once a browser was shown the outcome, and never later than outcomeLinger
// after it, or pendingLimit after the callback when nobody reports one.
const (
	outcomeWait   = 10 * time.Second
	pollWait      = 5 * time.Second
	pendingLimit  = 90 * time.Second
	outcomeLinger = 30 * time.Second
	// finishGrace bounds how long Finish gives a polling browser to be shown
	// the outcome before the owner goes on (a command line may exit next).
	finishGrace = 2 * time.Second
)

// errOutcomeUnknown settles an outcome nobody reported within pendingLimit.
var errOutcomeUnknown = errors.New("the outcome of the exchange was not reported in time")

// outcome is what became of the accepted callback, as the pages show it.
type outcome struct {
	await    bool
	pageWait time.Duration
	known    chan struct{} // closed once err is set
	settling sync.Once
	err      error
	// code is the delivered code, kept out of every page; it is written
	// before delivered is set.
	code      string
	delivered atomic.Bool // a callback was handed over
	shown     atomic.Bool // a browser was shown how it ended
}

func newOutcome(await bool, pageWait time.Duration) outcome {
	if pageWait <= 0 {
		pageWait = outcomeWait
	}
	return outcome{await: await, pageWait: pageWait, known: make(chan struct{})}
}

// settle records how the callback ended; the first report wins.
func (o *outcome) settle(err error) {
	o.settling.Do(func() {
		o.err = err
		close(o.known)
	})
}

// isKnown reports whether the outcome was settled.
func (o *outcome) isKnown() bool {
	select {
	case <-o.known:
		return true
	default:
		return false
	}
}

// deliver hands the accepted callback to the owner. A failure callback, or
// a code on a server that awaits no exchange, is its own outcome.
func (s *CallbackServer) deliver(cb Callback) {
	s.code = cb.Code
	s.delivered.Store(true)
	s.result <- cb
	switch {
	case cb.failed():
		s.settle(&CallbackError{Callback: cb})
	case !s.await:
		s.settle(nil)
	default:
		go s.giveUpAfter(pendingLimit)
	}
}

// giveUpAfter settles the outcome as unknown when nobody reported one in d.
func (s *CallbackServer) giveUpAfter(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		s.Finish(errOutcomeUnknown)
	case <-s.known:
	case <-s.stopping:
	}
}

// Finish reports how the owner's exchange ended, nil for a stored grant,
// and closes the server: at once, unless a browser has yet to be shown that
// outcome; then once it was, and after outcomeLinger at the latest. It
// returns when the server has closed, or after finishGrace.
func (s *CallbackServer) Finish(err error) {
	s.settle(err)
	if !s.delivered.Load() || s.shown.Load() {
		s.Close()
		return
	}
	linger := time.AfterFunc(outcomeLinger, func() { s.Close() })
	grace := time.NewTimer(finishGrace)
	defer grace.Stop()
	select {
	case <-s.done:
		linger.Stop()
	case <-grace.C:
	}
}

// serveStatus answers the waiting page's question: how did it end?
func (s *CallbackServer) serveStatus(w http.ResponseWriter, r *http.Request, lang string) {
	switch {
	case !s.delivered.Load():
		s.page(w, r, lang, http.StatusNotFound, pageNoCode, "")
	case r.Method == http.MethodHead:
		s.page(w, r, lang, http.StatusOK, pageExchanging, "")
	default:
		s.showOutcome(w, r, lang, pollWait)
	}
}

// showOutcome waits up to wait for the outcome and writes its page, or the
// page that waits for it. Once a browser was shown the outcome the server
// has done its work and closes.
func (s *CallbackServer) showOutcome(w http.ResponseWriter, r *http.Request, lang string, wait time.Duration) {
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-s.known:
	case <-s.stopping:
	case <-r.Context().Done():
	case <-t.C:
	}
	kind, detail := s.outcomePage(lang)
	s.page(w, r, lang, http.StatusOK, kind, detail)
	if kind.final() {
		s.shown.Store(true)
		go s.Close()
	}
}

// outcomePage is the page of the outcome as known now, with the error
// explained in lang.
func (s *CallbackServer) outcomePage(lang string) (pageKind, string) {
	if !s.isKnown() {
		select {
		case <-s.stopping:
			return pageUnknown, ""
		default:
			return pageExchanging, ""
		}
	}
	var ce *CallbackError
	var ue *UnsavedError
	switch err := s.err; {
	case err == nil && s.await:
		return pageSuccess, ""
	case err == nil:
		return pageReceived, ""
	case errors.Is(err, errOutcomeUnknown):
		return pageUnknown, ""
	case errors.As(err, &ce):
		return pageFailure, s.scrub(Message(err, lang))
	case errors.As(err, &ue):
		return pageUnsaved, s.scrub(Message(err, lang))
	default:
		return pageExchangeFailed, s.scrub(Message(err, lang))
	}
}

// scrub keeps the code and anything like a token out of an explanation
// shown in the browser.
func (s *CallbackServer) scrub(text string) string {
	if s.code != "" {
		text = strings.ReplaceAll(text, s.code, "…")
	}
	return redactText(text)
}
