package sandbox

import (
	"slices"
	"sync"
	"time"
)

// MaxNotes is how many of the most recent notes a Sandbox keeps.
const MaxNotes = 200

// A Note tells of one request whose shape the platform does not document,
// such as "GET /oauth/userinfo/ accepted; the platform documents POST with
// a form or JSON body". GET /_sandbox/notes lists the recent ones.
type Note struct {
	Time     time.Time `json:"time"`     // on the sandbox's clock
	Endpoint string    `json:"endpoint"` // the documented path, e.g. "/oauth/userinfo/"
	Text     string    `json:"text"`
	Refused  bool      `json:"refused"` // refused in strict mode
}

// noteLog keeps the recent notes and hands each new one to a callback.
type noteLog struct {
	onNote func(Note)

	mu    sync.Mutex
	notes []Note
}

func newNoteLog(onNote func(Note)) *noteLog { return &noteLog{onNote: onNote} }

// add records a note for each deviation, then calls the callback, outside
// the lock, with each.
func (l *noteLog) add(now time.Time, endpoint string, devs []deviation, refused bool) {
	if len(devs) == 0 {
		return
	}
	verb := "accepted"
	if refused {
		verb = "refused"
	}
	added := make([]Note, len(devs))
	for i, d := range devs {
		added[i] = Note{Time: now, Endpoint: endpoint, Text: d.note(verb), Refused: refused}
	}
	l.mu.Lock()
	l.notes = append(l.notes, added...)
	if n := len(l.notes) - MaxNotes; n > 0 {
		l.notes = slices.Delete(l.notes, 0, n)
	}
	l.mu.Unlock()
	if l.onNote != nil {
		for _, n := range added {
			l.onNote(n)
		}
	}
}

// Notes returns the most recent notes, oldest first, at most MaxNotes.
func (s *Sandbox) Notes() []Note {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	return append([]Note{}, s.notes.notes...)
}
