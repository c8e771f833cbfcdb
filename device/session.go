package device

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// PTY geometry: tall and wide so that well-behaved CLIs neither page nor
// wrap. FortiOS pages by its own console setting anyway, so the pager is
// still answered.
const (
	ptyRows = 1000
	ptyCols = 511
	// bannerNudge is how long a banner answer may go unanswered before an
	// Enter follows it.
	bannerNudge = 2 * time.Second
)

// Session is one interactive CLI shell. Commands run one at a time; the
// methods are safe to call from several goroutines but serialise.
type Session struct {
	c     *Client
	t     Target
	sess  io.Closer // the *ssh.Session; closing it ends the shell
	stdin io.WriteCloser

	// The reader goroutine appends to buf; waiters are woken via notify.
	mu    sync.Mutex
	buf   []byte
	total int64 // bytes received since the session opened
	// pagerDone is the stream offset of the last `--More--` answered: a
	// pager prompt is answered once, by position (see waitPrompt).
	pagerDone int64
	overflow  bool // buf exceeded MaxOutput and its head was dropped
	readErr   error
	notify    chan struct{}
	readDone  chan struct{}

	op         sync.Mutex // one command (or batch) at a time
	pm         *promptMatcher
	host       string
	scope      string    // scope of the last prompt ("" at top level)
	role       string    // HA role of the last prompt ("" when none; changes on failover)
	armedFor   int       // debug duration (minutes) announced by the last arm line; 0 = none/unlimited
	armedAt    time.Time // when armedFor was announced
	base       string    // scope of the login prompt: a VDOM admin starts inside its VDOM
	readOnly   bool
	status     parse.SystemStatus
	ctxName    string // VDOM context for the transcript: "", "global" or a VDOM
	broken     error
	transcript func(TranscriptEntry)

	closeOnce sync.Once
	closed    atomic.Bool
	loggedOut bool         // `exit` sent (guarded by op)
	pages     atomic.Int64 // pager prompts answered (observability, tests)
	writes    atomic.Int64 // writes to the shell: round trips, roughly
}

// Open starts a PTY shell, accepts the post-login banner, learns the prompt
// and reads `get system status` (which says whether the unit is multi-VDOM).
func (c *Client) Open(ctx context.Context) (*Session, error) {
	s, err := c.open(ctx)
	if err != nil {
		return nil, opErr(c.t.label(), "open shell", err)
	}
	return s, nil
}

func (c *Client) open(ctx context.Context) (*Session, error) {
	octx, cancel := context.WithTimeout(ctx, c.t.commandTimeout())
	defer cancel()
	// NewSession and the shell requests block on the peer; a dead or hung
	// peer is unblocked by closing the socket.
	stop := context.AfterFunc(octx, func() { c.markLost(fmt.Errorf("opening the shell: %w", ErrTimeout)) })
	s, err := c.startShell()
	interrupted := !stop()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if interrupted {
			return nil, fmt.Errorf("opening the shell took longer than %s: %w", c.t.commandTimeout(), ErrTimeout)
		}
		if cause := c.lostCause(); cause != nil {
			return nil, cause
		}
		return nil, fmt.Errorf("opening the shell: %v: %w", err, ErrConnLost)
	}
	if err := s.login(octx); err != nil {
		_ = s.Close()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("no CLI prompt within %s (last output %q): %w", c.t.commandTimeout(), s.tail(), ErrTimeout)
		}
		return nil, err
	}
	st, err := s.SystemStatus(ctx)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.status = st
	return s, nil
}

// readChunks recycles readLoop's buffer: a fresh 32 KiB per session was
// 32 MB of garbage in a 1,000-device scan. Bytes are copied out of it.
var readChunks = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// readLoop is the only reader of the shell. It never blocks on consumers:
// the buffer is capped by dropping its head (the command then fails with
// ErrOutputTooLarge) so a hostile device cannot exhaust memory.
func (s *Session) readLoop(r io.Reader) {
	defer close(s.readDone)
	cp := readChunks.Get().(*[]byte)
	defer readChunks.Put(cp)
	chunk := *cp
	for {
		n, err := r.Read(chunk)
		s.mu.Lock()
		if n > 0 {
			s.buf = append(s.buf, chunk[:n]...)
			s.total += int64(n)
			if limit := s.maxOutput(); len(s.buf) > limit+tailWindow {
				keep := min(64<<10, limit/2)
				s.buf = append(s.buf[:0:0], s.buf[len(s.buf)-keep:]...)
				s.overflow = true
			}
		}
		if err != nil {
			if err == io.EOF {
				err = errors.New("shell closed by the device")
			}
			s.readErr = err
		}
		s.mu.Unlock()
		select {
		case s.notify <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

// login waits for the first prompt, answering the post-login banner with
// `a` (no Enter, as FortiOS reads a single key). A terminal that does not
// react within bannerNudge is given an Enter as well, for line-buffered
// emulations; a device that already moved on never gets the extra key.
func (s *Session) login(ctx context.Context) error {
	var answered int64 = -1
	var nudge <-chan time.Time
	for {
		s.mu.Lock()
		host, pr, ok := learnPrompt(s.buf)
		banner := !ok && tailMatch(bannerRe, s.buf) && s.total > answered
		total, rerr := s.total, s.readErr
		if ok {
			s.buf = s.buf[:0]
		}
		s.mu.Unlock()
		switch {
		case ok:
			s.host, s.base, s.readOnly = host, pr.scope, pr.char == '$'
			s.setPrompt(pr)
			s.pm = newPromptMatcher(host)
			return nil
		case banner:
			answered = total
			if err := s.write(ctx, "a"); err != nil {
				return err
			}
			s.record("a", "banner accepted", nil)
			nudge = time.After(bannerNudge)
			continue
		case rerr != nil:
			return s.lost(rerr)
		}
		select {
		case <-s.notify:
		case <-nudge:
			nudge = nil
			s.mu.Lock()
			still := s.total == answered
			s.mu.Unlock()
			if still {
				if err := s.write(ctx, "\r"); err != nil {
					return err
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// write sends p; a peer that stops reading cannot block it past ctx.
func (s *Session) write(ctx context.Context, p string) error {
	stop := context.AfterFunc(ctx, func() { _ = s.sess.Close() })
	s.writes.Add(1)
	_, err := io.WriteString(s.stdin, p)
	if !stop() {
		return ctx.Err()
	}
	if err != nil {
		return s.lost(err)
	}
	return nil
}

func (s *Session) maxOutput() int {
	if s.t.maxOutput > 0 {
		return s.t.maxOutput
	}
	return MaxOutput
}

// lost converts a read/write failure into ErrConnLost, preferring the
// keepalive's diagnosis when there is one.
func (s *Session) lost(err error) error {
	if cause := s.c.lostCause(); cause != nil {
		return cause
	}
	return fmt.Errorf("%v: %w", err, ErrConnLost)
}

// fail marks the session unusable (its prompt sync is lost) and closes it.
func (s *Session) fail(err error) {
	if s.broken == nil {
		s.broken = err
	}
	_ = s.sess.Close()
}

// setPrompt records what the last prompt says about the session.
func (s *Session) setPrompt(pr prompt) {
	s.scope, s.role = pr.scope, pr.role
}

// Role is the HA role the last prompt showed (`Primary`, `Secondary`; ""
// before FortiOS 7.6.7 or outside a cluster). It follows failovers.
func (s *Session) Role() string {
	s.op.Lock()
	defer s.op.Unlock()
	return s.role
}

// Hostname is the hostname learned from the prompt.
func (s *Session) Hostname() string { return s.host }

// ReadOnly reports a read-only admin (`$` prompt).
func (s *Session) ReadOnly() bool { return s.readOnly }

// Status is the `get system status` read when the session opened.
func (s *Session) Status() parse.SystemStatus { return s.status }

// Target is the device this session talks to.
func (s *Session) Target() Target { return s.t }

// Close ends the shell (sending `exit` first when it is idle). It does not
// close the Client. Idempotent.
func (s *Session) Close() error {
	s.closeOnce.Do(func() {
		s.closed.Store(true)
		s.Logout()
		_ = s.sess.Close()
		select {
		case <-s.readDone:
		case <-time.After(2 * time.Second):
			// The channel close did not end the read: close the whole
			// connection, which always does.
			_ = s.c.conn.Close()
			<-s.readDone
		}
	})
	return nil
}

// Logout sends `exit` once, without waiting for the unit: FortiOS then
// ends the admin session at once. A caller that is done with the whole
// connection logs out each session and closes the Client, rather than
// waiting a round trip per session for the channel close (Close).
func (s *Session) Logout() {
	if !s.op.TryLock() {
		return // a command is still running: Close ends it
	}
	defer s.op.Unlock()
	if !s.loggedOut && s.broken == nil && s.readErrNow() == nil {
		_, _ = io.WriteString(s.stdin, "exit\n")
	}
	s.loggedOut = true
}

// tail is the end of the unconsumed output, cleaned and redacted, for
// error messages about a prompt that never came.
func (s *Session) tail() string {
	s.mu.Lock()
	b := s.buf
	if len(b) > 120 {
		b = b[len(b)-120:]
	}
	t := string(b)
	s.mu.Unlock()
	return redact(parse.Clean(t))
}

func (s *Session) readErrNow() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.readErr
}
