// Package channel is the CLI conversation with a FortiOS shell, below the
// FortiOS operations: one reader over the shell's output, the prompt
// grammar (learned hostname, HA role, scopes, truncation), the banner and
// the pager, one command at a time to its prompt with cancellation, the
// scopes of a multi-VDOM unit (top level, `config global`, a VDOM), the
// transcript and the "lost" state. It knows nothing of FortiTokens: package
// device builds the reads, scripts and debug stream on it, and the
// transport (SSH) is given to it as a reader, a writer and a closer.
package channel

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// Limits.
const (
	// MaxOutput caps what one command may print before it is aborted.
	MaxOutput = 16 << 20
	// MaxLine caps one output line; longer lines are cut (hostile devices).
	MaxLine = 64 << 10
	// DefaultCommandTimeout bounds one command when Config leaves it zero.
	DefaultCommandTimeout = 20 * time.Second
)

// Config says what the channel needs to know about its unit and transport.
type Config struct {
	Label          string        // names the device in errors and the transcript
	User           string        // the admin, named when a scope is refused
	VDOM           string        // the VDOM ScopeVDOM enters on a multi-VDOM unit
	CommandTimeout time.Duration // per command; 0 = DefaultCommandTimeout
	MaxOutput      int           // per command; 0 = MaxOutput
	// Lost, when set, is the transport's own diagnosis of a dead connection
	// (a keepalive timeout), preferred over a bare read or write error.
	Lost func() error
	// Abort, when set, tears the whole transport down: Close uses it when
	// closing the shell does not end the read within two seconds.
	Abort func()
}

// Channel is one interactive CLI shell. Commands run one at a time; the
// methods are safe to call from several goroutines but serialise.
type Channel struct {
	cfg   Config
	shell io.Closer // closing it ends the shell (and unblocks a write)
	stdin io.Writer

	// The reader goroutine appends to buf; waiters are woken via notify.
	mu    sync.Mutex
	buf   []byte
	total int64 // bytes received since the channel opened
	// pagerDone is the stream offset of the last `--More--` answered: a
	// pager prompt is answered once, by position (see waitPrompt).
	pagerDone int64
	overflow  bool // buf exceeded MaxOutput and its head was dropped
	readErr   error
	notify    chan struct{}
	readDone  chan struct{}

	op         sync.Mutex // one command (or batch) at a time
	pm         *PromptMatcher
	host       string
	scope      string // scope of the last prompt ("" at top level)
	role       string // HA role of the last prompt ("" when none; changes on failover)
	base       string // scope of the login prompt: a VDOM admin starts inside its VDOM
	readOnly   bool
	multi      bool   // multi-VDOM unit: scopes need context commands
	ctxName    string // context for the transcript: "", "global", a VDOM or "?" (unknown)
	broken     error
	transcript func(TranscriptEntry)

	closeOnce sync.Once
	closed    atomic.Bool
	loggedOut bool         // `exit` sent (guarded by op)
	pages     atomic.Int64 // pager prompts answered (observability, tests)
	writes    atomic.Int64 // writes to the shell: round trips, roughly
}

// New starts the channel's reader over stdout; stdin takes what is typed and
// closing shell ends the shell. Login must follow before any command.
func New(stdout io.Reader, stdin io.Writer, shell io.Closer, cfg Config) *Channel {
	c := &Channel{cfg: cfg, shell: shell, stdin: stdin, pagerDone: -1,
		notify: make(chan struct{}, 1), readDone: make(chan struct{})}
	go c.readLoop(stdout)
	return c
}

// readChunks recycles readLoop's buffer: a fresh 32 KiB per session was
// 32 MB of garbage in a 1,000-device scan. Bytes are copied out of it.
var readChunks = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

// readLoop is the only reader of the shell. It never blocks on consumers:
// the buffer is capped by dropping its head (the command then fails with
// ErrOutputTooLarge) so a hostile device cannot exhaust memory.
func (c *Channel) readLoop(r io.Reader) {
	defer close(c.readDone)
	cp := readChunks.Get().(*[]byte)
	defer readChunks.Put(cp)
	chunk := *cp
	for {
		n, err := r.Read(chunk)
		c.mu.Lock()
		if n > 0 {
			c.buf = append(c.buf, chunk[:n]...)
			c.total += int64(n)
			if limit := c.maxOutput(); len(c.buf) > limit+tailWindow {
				keep := min(64<<10, limit/2)
				c.buf = append(c.buf[:0:0], c.buf[len(c.buf)-keep:]...)
				c.overflow = true
			}
		}
		if err != nil {
			if err == io.EOF {
				err = errors.New("shell closed by the device")
			}
			c.readErr = err
		}
		c.mu.Unlock()
		select {
		case c.notify <- struct{}{}:
		default:
		}
		if err != nil {
			return
		}
	}
}

func (c *Channel) maxOutput() int {
	if c.cfg.MaxOutput > 0 {
		return c.cfg.MaxOutput
	}
	return MaxOutput
}

func (c *Channel) commandTimeout() time.Duration {
	if c.cfg.CommandTimeout > 0 {
		return c.cfg.CommandTimeout
	}
	return DefaultCommandTimeout
}

// SetMultiVDOM says whether the unit is multi-VDOM (from `get system
// status`): only then do scopes need context commands.
func (c *Channel) SetMultiVDOM(multi bool) {
	c.op.Lock()
	c.multi = multi
	c.op.Unlock()
}

// SetCommandTimeout changes the per-command timeout from the next command
// on (0 = DefaultCommandTimeout).
func (c *Channel) SetCommandTimeout(d time.Duration) {
	c.op.Lock()
	c.cfg.CommandTimeout = d
	c.op.Unlock()
}

// Role is the HA role the last prompt showed (`Primary`, `Secondary`; ""
// before FortiOS 7.6.7 or outside a cluster). It follows failovers.
func (c *Channel) Role() string {
	c.op.Lock()
	defer c.op.Unlock()
	return c.role
}

// PromptScope is the scope the last prompt showed ("" at the top level).
func (c *Channel) PromptScope() string {
	c.op.Lock()
	defer c.op.Unlock()
	return c.scope
}

// Hostname is the hostname learned from the login prompt.
func (c *Channel) Hostname() string { return c.host }

// ReadOnly reports a read-only admin (`$` prompt at login).
func (c *Channel) ReadOnly() bool { return c.readOnly }

// Prompts is the prompt matcher learned at login (nil before it).
func (c *Channel) Prompts() *PromptMatcher { return c.pm }

// Pages counts the pager prompts answered.
func (c *Channel) Pages() int64 { return c.pages.Load() }

// Writes counts the writes to the shell (round trips, roughly).
func (c *Channel) Writes() int64 { return c.writes.Load() }

// Close ends the shell (sending `exit` first when it is idle) and waits for
// the reader. Idempotent.
func (c *Channel) Close() error {
	c.closeOnce.Do(func() {
		c.closed.Store(true)
		c.Logout()
		_ = c.shell.Close()
		select {
		case <-c.readDone:
		case <-time.After(2 * time.Second):
			// The shell's close did not end the read: tear the transport
			// down, which always does.
			if c.cfg.Abort != nil {
				c.cfg.Abort()
			}
			<-c.readDone
		}
	})
	return nil
}

// Logout sends `exit` once, without waiting for the unit: FortiOS then
// ends the admin session at once. It does nothing while a command runs
// (Close ends that one).
func (c *Channel) Logout() {
	if !c.op.TryLock() {
		return
	}
	defer c.op.Unlock()
	if !c.loggedOut && c.broken == nil && c.readErrNow() == nil {
		_, _ = io.WriteString(c.stdin, "exit\n")
	}
	c.loggedOut = true
}

// Tail is the end of the unconsumed output, cleaned and redacted, for
// error messages about a prompt that never came.
func (c *Channel) Tail() string {
	c.mu.Lock()
	b := c.buf
	if len(b) > 120 {
		b = b[len(b)-120:]
	}
	t := string(b)
	c.mu.Unlock()
	return parse.Redact(parse.Clean(t))
}

func (c *Channel) readErrNow() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.readErr
}
