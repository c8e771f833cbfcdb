package sim

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// errIdle ends a session whose admin idle timeout expired.
var errIdle = errors.New("admin idle timeout")

// maxInput bounds unread input; more is dropped.
const maxInput = 1 << 20

// inq is the input of a shell session: a reader goroutine appends what the
// client sends; the CLI (the shell goroutine) takes it byte by byte. Input
// that arrives while a command runs is echoed at once by the "terminal"
// (rawEcho) and again by the CLI when it reads it at the next prompt, as
// FortiOS does (fortios-wire.md §4).
type inq struct {
	mu      sync.Mutex
	buf     []byte
	echoedN int // leading bytes of buf already echoed raw
	err     error
	wake    chan struct{} // cap 1: new data or error
	last    atomic.Int64  // time of the last input (unix ns): the idle clock
	popped  byte          // the last byte the CLI took
}

func newInq() *inq {
	q := &inq{wake: make(chan struct{}, 1)}
	q.last.Store(time.Now().UnixNano())
	return q
}

// fill is the reader goroutine: it ends when the channel does.
func (q *inq) fill(r io.Reader) {
	b := make([]byte, 4096)
	for {
		n, err := r.Read(b)
		q.mu.Lock()
		if n > 0 && len(q.buf) < maxInput {
			q.buf = append(q.buf, b[:n]...)
			q.last.Store(time.Now().UnixNano())
		}
		if err != nil {
			q.err = err
		}
		q.mu.Unlock()
		select {
		case q.wake <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// pop takes the next byte, if any.
func (q *inq) pop() (byte, bool, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.buf) == 0 {
		return 0, false, q.err
	}
	b := q.buf[0]
	q.buf = q.buf[1:]
	q.popped = b
	if q.echoedN > 0 {
		q.echoedN--
	}
	if len(q.buf) == 0 {
		q.buf = q.buf[:0:0]
	}
	return b, true, nil
}

// skipLF drops a '\n' waiting first (the LF of a CRLF).
func (q *inq) skipLF() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.buf) > 0 && q.buf[0] == '\n' {
		q.buf = q.buf[1:]
		q.popped = '\n'
		if q.echoedN > 0 {
			q.echoedN--
		}
	}
}

// buffered reports how many bytes wait for the CLI.
func (q *inq) buffered() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.buf)
}

// takeRaw returns the terminal echo of input not echoed yet and marks it
// echoed: printable bytes as is, each line end as "\r\n".
func (q *inq) takeRaw() string {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.echoedN >= len(q.buf) {
		return ""
	}
	// The byte before the first one to echo decides whether a '\n' is the
	// second half of a CRLF line end.
	prev := q.popped
	if q.echoedN > 0 {
		prev = q.buf[q.echoedN-1]
	}
	var out []byte
	for _, c := range q.buf[q.echoedN:] {
		switch {
		case c == '\n' && prev == '\r':
		case c == '\r' || c == '\n':
			out = append(out, '\r', '\n')
		case c == 0x7f || c == 0x08:
			out = append(out, '\b', ' ', '\b')
		case c >= 0x20 && c < 0x7f:
			out = append(out, c)
		}
		prev = c
	}
	q.echoedN = len(q.buf)
	return string(out)
}

// readByte reads one input byte for the CLI. Before blocking it sends the
// held output, so a client waiting for an answer is never left waiting. It
// fails with errIdle when no input came for the admin idle timeout.
func (s *session) readByte() (byte, error) {
	for {
		b, ok, err := s.in.pop()
		if ok {
			return b, nil
		}
		if err != nil {
			return 0, err
		}
		if !s.flush() {
			return 0, io.ErrClosedPipe
		}
		var idle <-chan time.Time
		var t *time.Timer
		if to := s.d.f.o.IdleTimeout; to > 0 {
			left := time.Until(time.Unix(0, s.in.last.Load()).Add(to))
			if left <= 0 {
				s.write("Timeout" + s.eol())
				return 0, errIdle
			}
			t = time.NewTimer(left)
			idle = t.C
		}
		var werr error
		select {
		case <-s.in.wake:
		case <-idle:
			werr = errIdle
		case <-s.closed:
			werr = io.ErrClosedPipe
		case <-s.d.f.done:
			werr = io.ErrClosedPipe
		}
		if t != nil {
			t.Stop()
		}
		if werr == errIdle {
			// admintimeout: FortiOS prints this on the prompt's line and
			// logs the admin out (GATEDEBUG "...# Timeout").
			s.write("Timeout" + s.eol())
		}
		if werr != nil {
			return 0, werr
		}
	}
}

// typedAhead reports whether more input is already waiting.
func (s *session) typedAhead() bool { return s.in.buffered() > 0 }

// rawEcho is the terminal echoing input that arrived while a command runs.
func (s *session) rawEcho() bool {
	if s.in == nil {
		return true
	}
	if e := s.in.takeRaw(); e != "" {
		return s.write(e)
	}
	return true
}

// busySleep waits d as a running command does: input that arrives is
// echoed raw at once. (readByte pops before it waits, so a wake taken
// here loses nothing.)
func (s *session) busySleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	var wake chan struct{}
	if s.in != nil {
		wake = s.in.wake
	}
	for {
		select {
		case <-t.C:
			return s.rawEcho()
		case <-wake:
			if !s.rawEcho() {
				return false
			}
		case <-s.closed:
			return false
		case <-s.d.f.done:
			return false
		}
	}
}
