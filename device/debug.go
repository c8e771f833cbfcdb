package device

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

// Debug applications StartDebug can arm.
const (
	AppForticldd  = "forticldd"
	AppFortitoken = "fortitoken"
	AppAlertmail  = "alertmail"
)

// Debug stream limits.
const (
	DefaultDebugBuffer = 4096
	maxDebugLine       = 8 << 10
	reconnectAttempts  = 6
	reconnectMaxDelay  = 4 * time.Second
)

// DebugOptions selects what a debug stream arms.
type DebugOptions struct {
	Apps   []string // forticldd, fortitoken, alertmail; empty = all three
	Buffer int      // channel capacity; when full the oldest line is dropped
	// Transcript, when set, receives every line the stream sends (arm,
	// disarm, context changes), redacted, for the audit log.
	Transcript func(TranscriptEntry)

	// Keepalive is how often an invisible keystroke keeps the admin session
	// alive (0 = DefaultDebugKeepalive); keep it well below the device's
	// admin idle timeout.
	Keepalive time.Duration
	// MinuteLength is how long one minute of the device's debug duration
	// lasts (0 = a minute); tests shorten it with a simulator's scaled
	// duration.
	MinuteLength time.Duration
	// CheckEvery is how often the stream verifies that its levels are
	// still armed (0 = DefaultDebugCheck, negative = never).
	CheckEvery time.Duration

	reconnectAttempts int // tests: fewer, faster reconnects
}

// DebugStream tails asynchronous debug output of one device on its own
// connection. Whatever ends it, the device is left with `diagnose debug
// disable` and `diagnose debug reset` sent.
type DebugStream struct {
	t       Target
	arm     []string
	lines   chan parse.DebugLine
	cancel  context.CancelFunc
	done    chan struct{}
	once    sync.Once
	closed  atomic.Bool
	dropped atomic.Int64
	// transcript is DebugOptions.Transcript, set on every session the stream opens.
	transcript func(TranscriptEntry)
	mu         sync.Mutex
	err        error

	attempts  int           // reconnect attempts (reconnectAttempts)
	baseDelay time.Duration // first reconnect delay

	keepaliveInterval time.Duration // DebugOptions.Keepalive
	minute            time.Duration // DebugOptions.MinuteLength
	keepalives        atomic.Int64  // keystrokes sent (tests)
	rearms            atomic.Int64  // re-arms after the duration expired (tests)
	checkEvery        time.Duration // see DebugOptions.CheckEvery
	reset             atomic.Bool   // a check found the levels cleared by someone else
}

// armLines is the KB step 4 sequence for the chosen applications.
func armLines(apps []string) ([]string, error) {
	if len(apps) == 0 {
		apps = []string{AppForticldd, AppFortitoken, AppAlertmail}
	}
	lines := []string{"diagnose debug console timestamp enable"}
	seen := map[string]bool{}
	for _, a := range apps {
		if seen[a] {
			continue
		}
		seen[a] = true
		switch a {
		case AppForticldd:
			lines = append(lines, "diagnose debug application forticldd 255")
		case AppFortitoken:
			lines = append(lines, "diagnose fortitoken debug enable")
		case AppAlertmail:
			lines = append(lines, "diagnose debug application alertmail -1")
		default:
			return nil, fmt.Errorf("debug application %s (want forticldd, fortitoken or alertmail): %w", parse.Quote(a), ErrInvalidInput)
		}
	}
	return append(lines, "diagnose debug enable"), nil
}

var disarmLines = []string{"diagnose debug disable", "diagnose debug reset"}

// DebugArmLines is what StartDebug sends to arm apps (after `config global`
// on multi-VDOM units), so plans can show it before anything is sent.
func DebugArmLines(apps []string) ([]string, error) { return armLines(apps) }

// DebugDisarmLines is what every end of a debug stream sends.
func DebugDisarmLines() []string { return append([]string(nil), disarmLines...) }

// StartDebug connects, arms debug and starts delivering lines. The stream
// ends when ctx ends, on Close, or when the device stays unreachable after
// bounded reconnect attempts; in every case it disarms first.
func StartDebug(ctx context.Context, t Target, o DebugOptions) (*DebugStream, error) {
	arm, err := armLines(o.Apps)
	if err != nil {
		return nil, opErr(t.label(), "debug", err)
	}
	n := o.Buffer
	if n <= 0 {
		n = DefaultDebugBuffer
	}
	d := &DebugStream{t: t, arm: arm, lines: make(chan parse.DebugLine, n), done: make(chan struct{}),
		attempts: reconnectAttempts, baseDelay: 250 * time.Millisecond, transcript: o.Transcript,
		keepaliveInterval: o.Keepalive, minute: o.MinuteLength}
	d.checkEvery = o.CheckEvery
	if d.checkEvery == 0 {
		d.checkEvery = DefaultDebugCheck
	}
	if o.reconnectAttempts > 0 {
		d.attempts, d.baseDelay = o.reconnectAttempts, 20*time.Millisecond
	}
	cli, s, err := d.connect(ctx)
	if err != nil {
		return nil, err
	}
	rctx, cancel := context.WithCancel(ctx)
	d.cancel = cancel
	go d.run(rctx, cli, s)
	return d, nil
}

// Lines delivers parsed, redacted debug lines; closed when the stream ends.
func (d *DebugStream) Lines() <-chan parse.DebugLine { return d.lines }

// Dropped counts lines discarded because the consumer was slow.
func (d *DebugStream) Dropped() int64 { return d.dropped.Load() }

// Err is why the stream ended (nil after a clean Close or before the end).
func (d *DebugStream) Err() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.err
}

// Done is closed once the stream has ended and disarmed.
func (d *DebugStream) Done() <-chan struct{} { return d.done }

// Close stops the stream, disarms the device (bounded by timeouts) and
// waits for that. Idempotent and safe from any goroutine.
func (d *DebugStream) Close() error {
	d.once.Do(func() {
		d.closed.Store(true)
		d.cancel()
	})
	<-d.done
	return d.Err()
}

// connect dials, opens a shell and arms debug; a partial arm is undone.
func (d *DebugStream) connect(ctx context.Context) (*Client, *Session, error) {
	cli, err := Dial(ctx, d.t)
	if err != nil {
		return nil, nil, err
	}
	s, err := cli.Open(ctx)
	if err != nil {
		_ = cli.Close()
		return nil, nil, err
	}
	if d.transcript != nil {
		s.SetTranscript(d.transcript)
	}
	if err := d.armOn(ctx, s); err != nil {
		// Any line of the arm may already have reached the device (a cancel
		// or deadline lands while the device is still answering), and the
		// levels it set are device-wide: undo them, on a fresh connection
		// when this one is broken, whatever the caller's ctx says.
		if derr := d.disarm(s); derr != nil {
			err = fmt.Errorf("%w; cleanup after the failed arm: %w", err, derr)
		}
		_ = s.Close()
		_ = cli.Close()
		return nil, nil, err
	}
	return cli, s, nil
}

func (d *DebugStream) armOn(ctx context.Context, s *Session) error {
	return s.ch.Do(func(tx *channel.Tx) error {
		if err := tx.EnterGlobal(ctx); err != nil {
			return err
		}
		for _, l := range d.arm {
			if err := s.runAmid(ctx, tx, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// runAmid runs one debug command on the held channel and keeps the debug
// duration it announces (see expiryTimer).
func (s *Session) runAmid(ctx context.Context, tx *channel.Tx, line string) error {
	out, err := tx.RunAmid(ctx, line)
	if n := armedMinutes(out); n > 0 {
		s.armedFor, s.armedAt = n, time.Now()
	}
	return err
}

// run owns the connection: pump lines, reconnect on loss, disarm at the end.
func (d *DebugStream) run(ctx context.Context, cli *Client, s *Session) {
	defer close(d.done)
	defer close(d.lines)
	stopWatch := d.startWatch(ctx)
	defer stopWatch() // before the channel closes: the watch emits
	var err error
	for {
		err = d.pump(ctx, s)
		if ctx.Err() != nil {
			err = nil
			break
		}
		_ = s.Close()
		_ = cli.Close()
		cli, s = nil, nil
		var rerr error
		cli, s, rerr = d.reconnect(ctx)
		if rerr != nil {
			if ctx.Err() == nil {
				err = fmt.Errorf("debug stream gave up reconnecting after %v: %w", err, rerr)
			} else {
				err = nil
			}
			break
		}
		d.emit(notice("connection lost (" + redact(err.Error()) + "); reconnected and re-armed debug"))
	}
	stopWatch() // our own disarm is not someone else's reset
	derr := d.disarm(s)
	if s != nil {
		_ = s.Close()
	}
	if cli != nil {
		_ = cli.Close()
	}
	// Ending by Close or by the caller's ctx is not a failure; a cleanup
	// that did not happen always is.
	switch {
	case err == nil:
		err = derr
	case derr != nil:
		err = fmt.Errorf("%w; cleanup: %w", err, derr)
	}
	d.mu.Lock()
	d.err = err
	d.mu.Unlock()
}

// reconnect retries with bounded exponential backoff.
func (d *DebugStream) reconnect(ctx context.Context) (*Client, *Session, error) {
	delay := d.baseDelay
	var last error
	for i := 0; i < d.attempts; i++ {
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, nil, ctx.Err()
		case <-t.C:
		}
		cli, s, err := d.connect(ctx)
		if err == nil {
			return cli, s, nil
		}
		last = err
		var hk *HostKeyError
		if errors.As(err, &hk) || errors.Is(err, ErrAuth) || errors.Is(err, ErrPermission) {
			return nil, nil, err // retrying cannot fix these
		}
		delay = min(delay*2, reconnectMaxDelay)
	}
	return nil, nil, last
}

// disarmAttempts is how many fresh connections a disarm tries: a device
// that stalls for a few seconds (the very stall that broke the session)
// must still end disarmed once it answers again.
const disarmAttempts = 3

// disarm sends disable + reset on s when it is healthy, else on a fresh
// connection, retried a few times; bounded whatever the device does.
func (d *DebugStream) disarm(s *Session) error {
	if s != nil && d.disarmOn(s) == nil {
		return nil
	}
	var err error
	for i := range disarmAttempts {
		if i > 0 {
			time.Sleep(time.Duration(i) * 500 * time.Millisecond)
		}
		if err = d.disarmFresh(); err == nil {
			return nil
		}
		var hk *HostKeyError
		if errors.As(err, &hk) || errors.Is(err, ErrAuth) || errors.Is(err, ErrPermission) {
			break // retrying cannot fix these
		}
	}
	return err
}

// disarmFresh disarms over a new connection.
func (d *DebugStream) disarmFresh() error {
	ctx, cancel := context.WithTimeout(context.Background(), d.t.dialTimeout()+3*d.t.commandTimeout())
	defer cancel()
	cli, err := Dial(ctx, d.t)
	if err != nil {
		return fmt.Errorf("disarm debug: %w", err)
	}
	defer cli.Close()
	fresh, err := cli.Open(ctx)
	if err != nil {
		return fmt.Errorf("disarm debug: %w", err)
	}
	defer fresh.Close()
	if d.transcript != nil {
		fresh.SetTranscript(d.transcript)
	}
	if err := d.disarmOn(fresh); err != nil {
		return fmt.Errorf("disarm debug: %w", err)
	}
	return nil
}

func (d *DebugStream) disarmOn(s *Session) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*d.t.commandTimeout())
	defer cancel()
	return s.ch.Do(func(tx *channel.Tx) error {
		if tx.Gone() {
			return fmt.Errorf("debug session is gone: %w", ErrConnLost)
		}
		if err := tx.EnterGlobal(ctx); err != nil {
			return err
		}
		var first error
		for _, l := range disarmLines {
			if err := s.runAmid(ctx, tx, l); err != nil && first == nil {
				first = err
				if !channel.IsCLI(err) {
					return err
				}
			}
		}
		return first
	})
}

func notice(msg string) parse.DebugLine {
	m := "ftktui: " + msg
	return parse.DebugLine{Time: time.Now(), Source: parse.SourceOther, Message: m, Raw: m}
}

// emit delivers l, dropping the oldest queued line when the consumer lags:
// the reader must never block on a slow UI.
func (d *DebugStream) emit(l parse.DebugLine) {
	for {
		select {
		case d.lines <- l:
			return
		default:
		}
		select {
		case <-d.lines:
			d.dropped.Add(1)
		default:
		}
	}
}
