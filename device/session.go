package device

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

// PTY geometry: tall and wide so that well-behaved CLIs neither page nor
// wrap. FortiOS pages by its own console setting anyway, so the pager is
// still answered.
const (
	ptyRows = 1000
	ptyCols = 511
)

// Session is one interactive CLI shell and the FortiOS operations on it
// (KB reads, validated scripts, the debug stream's commands). The
// conversation itself (read loop, prompt, pager, scopes, transcript) is
// its channel. Commands run one at a time; the methods are safe to call
// from several goroutines but serialise.
type Session struct {
	c      *Client
	t      Target
	ch     *channel.Channel
	status parse.SystemStatus

	// Debug duration (minutes) announced by the last arm line and when;
	// 0 = none or unlimited. Only the debug stream's goroutine uses them.
	armedFor int
	armedAt  time.Time
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
	if err := s.ch.Login(octx); err != nil {
		_ = s.Close()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return nil, fmt.Errorf("no CLI prompt within %s (last output %q): %w", c.t.commandTimeout(), s.ch.Tail(), ErrTimeout)
		}
		return nil, err
	}
	st, err := s.SystemStatus(ctx)
	if err != nil {
		_ = s.Close()
		return nil, err
	}
	s.setStatus(st)
	return s, nil
}

// setStatus keeps the `get system status` read, which says whether scopes
// need context commands.
func (s *Session) setStatus(st parse.SystemStatus) {
	s.status = st
	s.ch.SetMultiVDOM(st.MultiVDOM())
}

// channelConfig is what the channel needs of t and c.
func channelConfig(c *Client, t Target) channel.Config {
	return channel.Config{Label: t.label(), User: t.User, VDOM: t.vdom(), CommandTimeout: t.commandTimeout(),
		MaxOutput: t.maxOutput, Lost: c.lostCause, Abort: func() { _ = c.conn.Close() }}
}

// Role is the HA role the last prompt showed (`Primary`, `Secondary`; ""
// before FortiOS 7.6.7 or outside a cluster). It follows failovers.
func (s *Session) Role() string { return s.ch.Role() }

// Hostname is the hostname learned from the prompt.
func (s *Session) Hostname() string { return s.ch.Hostname() }

// ReadOnly reports a read-only admin (`$` prompt).
func (s *Session) ReadOnly() bool { return s.ch.ReadOnly() }

// Status is the `get system status` read when the session opened.
func (s *Session) Status() parse.SystemStatus { return s.status }

// Target is the device this session talks to.
func (s *Session) Target() Target { return s.t }

// SetTranscript tees every line sent (redacted) to f, for the audit log.
func (s *Session) SetTranscript(f func(TranscriptEntry)) { s.ch.SetTranscript(f) }

// Close ends the shell (sending `exit` first when it is idle). It does not
// close the Client. Idempotent.
func (s *Session) Close() error { return s.ch.Close() }

// Logout sends `exit` once, without waiting for the unit: FortiOS then
// ends the admin session at once. A caller that is done with the whole
// connection logs out each session and closes the Client, rather than
// waiting a round trip per session for the channel close (Close).
func (s *Session) Logout() { s.ch.Logout() }

// Run sends one command at the top level and returns its cleaned output
// (echo, pager residue and prompt removed). A CLI error is returned as a
// wrapped *parse.CLIError together with the output. A timeout or a
// cancelled ctx leaves the session unusable (it is closed).
func (s *Session) Run(ctx context.Context, cmd string) (string, error) { return s.ch.Run(ctx, cmd) }

// RunBatch runs commands at the top level one at a time and returns each
// output and error; outs[i] and errs[i] belong to cmds[i]. Nothing is ever
// typed ahead (fortios-wire.md §4).
func (s *Session) RunBatch(ctx context.Context, cmds []string) ([]string, []error) {
	return s.ch.RunBatch(ctx, cmds)
}

// RunBatchIn is RunBatch inside a scope: on a multi-VDOM unit the context
// lines (`config global`, or `config vdom` + `edit <Target.VDOM>`) run
// first, then the commands, one at a time; on a single-VDOM unit it is
// RunBatch. A refused context fails every command with ErrPermission and
// none of them is sent.
func (s *Session) RunBatchIn(ctx context.Context, sc Scope, cmds []string) ([]string, []error) {
	return s.ch.RunIn(ctx, sc, cmds)
}

// read runs one read command in scope. The context is kept for the next
// read in the same scope, so a run of reads in one scope costs one round
// trip each.
func (s *Session) read(ctx context.Context, sc Scope, cmd string) (string, error) {
	outs, errs := s.ch.RunIn(ctx, sc, []string{cmd})
	return outs[0], errs[0]
}
