package fleet

import (
	"context"
	"errors"
	"fmt"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// The action path's seam. Planning, running, verifying and rolling back an
// action, and the debug capture around it, depend on these interfaces, not on
// device's SSH types: a second transport (the FortiOS REST API has activate,
// provision and token endpoints) implements Transport, and the tests drive
// the action path with an in-memory fake (fleet/fake_test.go).

// ActionSession is one open session an action runs on: the KB reads its plan
// and verification need, and the validated mutation scripts.
// *device.Session implements it over SSH.
type ActionSession interface {
	KBReader
	// Lines is exactly what Exec sends for sc on this unit (scope wrapping included).
	Lines(sc device.Script) []string
	// Exec runs the validated script, checking every line's answer.
	Exec(ctx context.Context, sc device.Script) (string, error)
	// SetTranscript sends every line written (and its outcome) to f.
	SetTranscript(f func(device.TranscriptEntry))
	Close() error
}

// ActionConn is one connection to a unit, on which action sessions open.
type ActionConn interface {
	Open(ctx context.Context) (ActionSession, error)
	Close() error
}

// DebugStream is a running debug capture on a unit: armed when started,
// disarmed (`diagnose debug disable`, `diagnose debug reset`) by Close.
// *device.DebugStream implements it.
type DebugStream interface {
	// Lines delivers the captured lines; closed when the stream ends.
	Lines() <-chan parse.DebugLine
	// Done is closed once the stream has ended.
	Done() <-chan struct{}
	// Close disarms debug on the unit and ends the stream.
	Close() error
	// Err is why the stream ended (nil after a clean Close or before the end).
	Err() error
	// Check reads the levels now and returns the armed apps found at 0.
	Check(ctx context.Context) ([]string, error)
	// ExternallyReset reports that another session reset debug meanwhile.
	ExternallyReset() bool
}

// Transport reaches a unit for the action path: a connection for the
// action's session, and a debug capture. Engine.Transport chooses it; nil is
// SSHTransport (the device package).
type Transport interface {
	Dial(ctx context.Context, t device.Target) (ActionConn, error)
	StartDebug(ctx context.Context, t device.Target, o device.DebugOptions) (DebugStream, error)
}

// SSHTransport is the default Transport: device.Dial, device.Client.Open and device.StartDebug.
type SSHTransport struct{}

var (
	_ ActionSession = (*device.Session)(nil)
	_ DebugStream   = (*device.DebugStream)(nil)
	_ Transport     = SSHTransport{}
)

// Dial connects over SSH.
func (SSHTransport) Dial(ctx context.Context, t device.Target) (ActionConn, error) {
	cl, err := device.Dial(ctx, t)
	if err != nil {
		return nil, err
	}
	return sshConn{cl}, nil
}

// StartDebug arms a debug capture on its own SSH connection.
func (SSHTransport) StartDebug(ctx context.Context, t device.Target, o device.DebugOptions) (DebugStream, error) {
	ds, err := device.StartDebug(ctx, t, o)
	if err != nil {
		return nil, err
	}
	return ds, nil
}

// sshConn adapts device.Client (whose Open returns the concrete session).
type sshConn struct{ cl *device.Client }

func (c sshConn) Open(ctx context.Context) (ActionSession, error) {
	s, err := c.cl.Open(ctx)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func (c sshConn) Close() error { return c.cl.Close() }

// ExtraSessions is what a connection may offer a scan beyond Open: more
// sessions beside the main one on the same connection (the pings and the
// account reads run there when round trips cost). Optional: a scan on a
// connection without it runs every read on its main session.
type ExtraSessions interface {
	OpenExtra(ctx context.Context, main ActionSession) (ActionSession, error)
}

// OpenExtra opens a shell like main's (same prompt, VDOM state) beside it.
func (c sshConn) OpenExtra(ctx context.Context, main ActionSession) (ActionSession, error) {
	like, ok := main.(*device.Session)
	if !ok {
		return nil, fmt.Errorf("extra session beside a %T: not an SSH session", main)
	}
	s, err := c.cl.OpenExtra(ctx, like)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// loggerOut is a session that can say goodbye without waiting for the
// unit's answer (device.Session: the scan hangs up without a round trip).
type loggerOut interface{ Logout() }

func (e *Engine) transport() Transport {
	if e.Transport != nil {
		return e.Transport
	}
	return SSHTransport{}
}

// connect connects to d through the engine's Transport (scans and actions).
func (e *Engine) connect(ctx context.Context, d inventory.Device) (ActionConn, error) {
	return dialWith(e, ctx, d, e.transport().Dial)
}

// dialWith dials d; with a failed password source an auth failure is
// reported as that source's error.
func dialWith[C any](e *Engine, ctx context.Context, d inventory.Device, dial func(context.Context, device.Target) (C, error)) (C, error) {
	t, pwErr := e.resolvedTarget(ctx, d)
	cl, err := dial(ctx, t)
	if err != nil && pwErr != nil {
		var hk *device.HostKeyError
		var de *device.DialError
		if !errors.As(err, &hk) && !errors.As(err, &de) {
			var zero C
			return zero, fmt.Errorf("%s: %w: %w", d.Name, errPasswordSource, pwErr)
		}
	}
	return cl, err
}

// openSession connects to d and opens one action session; close releases
// both (session first).
func (e *Engine) openSession(ctx context.Context, d inventory.Device) (s ActionSession, close func(), err error) {
	conn, err := e.connect(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	s, err = conn.Open(ctx)
	if err != nil {
		_ = conn.Close()
		return nil, nil, err
	}
	return s, func() {
		_ = s.Close()
		_ = conn.Close()
	}, nil
}

// startDebug arms a debug capture on d through the engine's Transport.
func (e *Engine) startDebug(ctx context.Context, d inventory.Device, o device.DebugOptions) (DebugStream, error) {
	t, _ := e.resolvedTarget(ctx, d)
	return e.transport().StartDebug(ctx, t, o)
}
