package channel

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// TranscriptEntry is one line sent to a device, redacted, with its outcome.
type TranscriptEntry struct {
	Time    time.Time
	Device  string
	VDOM    string // "" (top level), "global" or the VDOM name
	Line    string // redacted
	Outcome string // ok | error | timeout | lost | banner accepted | refused
	Err     error  // redacted cause when Outcome is not ok
}

// SetTranscript tees every line sent (redacted) to f, for the audit log.
func (c *Channel) SetTranscript(f func(TranscriptEntry)) {
	c.op.Lock()
	c.transcript = f
	c.op.Unlock()
}

func (c *Channel) record(line, outcome string, err error) {
	if c.transcript == nil {
		return
	}
	vdom := c.ctxName
	if vdom == "" {
		vdom = c.base
	}
	c.transcript(TranscriptEntry{Time: time.Now(), Device: c.cfg.Label, VDOM: vdom,
		Line: parse.Redact(line), Outcome: outcome, Err: RedactErr(err)})
}

func outcomeOf(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrConnLost):
		return "lost"
	case errors.Is(err, ErrInvalidInput), errors.Is(err, ErrPermission) && !IsCLI(err):
		return "refused"
	}
	return "error"
}

// CheckLine refuses anything that could smuggle a second command or a
// control sequence onto the CLI.
func CheckLine(line string) error {
	if strings.TrimSpace(line) == "" {
		return fmt.Errorf("empty command: %w", ErrInvalidInput)
	}
	if len(line) > 1024 {
		return fmt.Errorf("command longer than 1024 bytes: %w", ErrInvalidInput)
	}
	for _, r := range line {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("control character %q in command: %w", r, ErrInvalidInput)
		}
	}
	return nil
}

// Run sends one command at the top level and returns its cleaned output
// (echo, pager residue and prompt removed). A CLI error is returned as a
// wrapped *parse.CLIError together with the output. A timeout or a
// cancelled ctx leaves the session unusable (it is closed).
func (c *Channel) Run(ctx context.Context, cmd string) (string, error) {
	c.op.Lock()
	defer c.op.Unlock()
	if err := c.toTop(ctx); err != nil {
		return "", err
	}
	return c.run(ctx, cmd)
}

// run is Run without the lock and without leaving the current context.
func (c *Channel) run(ctx context.Context, cmd string) (string, error) {
	if err := CheckLine(cmd); err != nil {
		c.record(cmd, "refused", err)
		return "", Op(c.cfg.Label, cmd, err)
	}
	if c.closed.Load() {
		return "", Op(c.cfg.Label, cmd, ErrClosed)
	}
	if c.broken != nil {
		return "", Op(c.cfg.Label, cmd, fmt.Errorf("session unusable after an earlier failure (%v): %w", c.broken, ErrConnLost))
	}
	rctx, cancel := context.WithTimeout(ctx, c.commandTimeout())
	defer cancel()
	if err := c.send(ctx, rctx, cmd); err != nil {
		return "", err
	}
	seg, pr, over, err := c.waitPrompt(ctx, rctx)
	if err != nil {
		// The line reached the device: a mutating one may have taken
		// effect, so the error must not read as "not sent".
		err = fmt.Errorf("sent, but %w", err)
		c.record(cmd, outcomeOf(err), err)
		return "", Op(c.cfg.Label, cmd, err)
	}
	out, err := c.finish(cmd, seg, pr, over)
	c.record(cmd, outcomeOf(err), err)
	return out, err
}

// send writes cmd as one line on a fresh buffer (anything unsolicited
// before the command is noise). A write that fails leaves the channel
// lost; the error is recorded and wrapped for the caller.
func (c *Channel) send(ctx, rctx context.Context, cmd string) error {
	c.mu.Lock()
	c.buf = c.buf[:0]
	c.overflow = false
	c.mu.Unlock()
	if err := c.write(rctx, cmd+"\n"); err != nil {
		err = c.ctxErr(ctx, rctx, err)
		c.fail(err)
		c.record(cmd, outcomeOf(err), err)
		return Op(c.cfg.Label, cmd, err)
	}
	return nil
}

// finish turns a raw segment into output and a typed error.
func (c *Channel) finish(cmd, seg string, pr prompt, over bool) (string, error) {
	c.setPrompt(pr)
	if over {
		return "", Op(c.cfg.Label, cmd, fmt.Errorf("more than %d bytes: %w", c.maxOutput(), ErrOutputTooLarge))
	}
	out := tidyOutput(parse.StripEcho(parse.Clean(seg), cmd))
	if ce := parse.FindCLIError(out); ce != nil {
		var err error = ce
		if ce.Kind == parse.ErrPermission {
			err = fmt.Errorf("%w: %w", ErrPermission, ce)
		}
		return out, Op(c.cfg.Label, cmd, RedactErr(err))
	}
	return out, nil
}

// tidyOutput caps line lengths and trims blank lines at both ends of output
// whose echo is gone (indentation of the first line is kept).
func tidyOutput(out string) string {
	out = capLines(out)
	out = strings.TrimRight(out, " \t\n")
	for strings.HasPrefix(out, "\n") || strings.HasPrefix(out, " \n") {
		out = strings.TrimLeft(strings.TrimPrefix(out, " "), "\n")
	}
	return out
}

// ctxErr names why a wait ended: the caller's ctx or the command timeout.
func (c *Channel) ctxErr(parent, rctx context.Context, err error) error {
	switch {
	case parent.Err() != nil:
		return parent.Err()
	case rctx.Err() != nil:
		return fmt.Errorf("no prompt within %s: %w", c.commandTimeout(), ErrTimeout)
	}
	return err
}

// waitPrompt waits for the prompt that ends the current command (one
// command in flight: the prompt must end the buffer), answering the pager.
// Each `--More--` is answered exactly once, identified by its position in
// the stream: its erase (`\r` + spaces + `\r`) may arrive in a packet of
// its own and leave the answered prompt still "at the end" of the buffer.
// The segment is returned as a string: one copy out of the buffer.
func (c *Channel) waitPrompt(parent, ctx context.Context) (string, prompt, bool, error) {
	for {
		c.mu.Lock()
		pr, ok := c.pm.matchEnd(c.buf, 1)
		if ok && strings.TrimSpace(parse.Clean(string(c.buf[:pr.start]))) == "" {
			// A prompt with nothing before it, not even our echo, is a
			// leftover (an extra Enter, a late prompt): skip it.
			c.buf = append(c.buf[:0], c.buf[pr.end:]...)
			ok = false
		}
		if ok {
			seg := string(c.buf[:pr.start])
			rest := c.buf[pr.end:]
			c.buf = append(c.buf[:0], rest...)
			over := c.overflow
			c.overflow = false
			c.mu.Unlock()
			return seg, pr, over, nil
		}
		at, pager := pagerAt(c.buf, c.total-int64(len(c.buf)))
		pager = pager && at > c.pagerDone
		if pager {
			c.pagerDone = at
		}
		rerr := c.readErr
		c.mu.Unlock()
		if pager {
			c.pages.Add(1)
			if err := c.write(ctx, " "); err != nil {
				err = c.ctxErr(parent, ctx, err)
				c.fail(err)
				return "", prompt{}, false, err
			}
			continue
		}
		if rerr != nil {
			err := c.lost(rerr)
			c.fail(err)
			return "", prompt{}, false, err
		}
		select {
		case <-c.notify:
		case <-ctx.Done():
			err := c.ctxErr(parent, ctx, ctx.Err())
			c.fail(err)
			return "", prompt{}, false, err
		}
	}
}
