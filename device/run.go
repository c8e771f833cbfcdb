package device

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
func (s *Session) SetTranscript(f func(TranscriptEntry)) {
	s.op.Lock()
	s.transcript = f
	s.op.Unlock()
}

func (s *Session) record(line, outcome string, err error) {
	if s.transcript == nil {
		return
	}
	vdom := s.ctxName
	if vdom == "" {
		vdom = s.base
	}
	s.transcript(TranscriptEntry{Time: time.Now(), Device: s.t.label(), VDOM: vdom,
		Line: redact(line), Outcome: outcome, Err: redactErr(err)})
}

func outcomeOf(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrTimeout):
		return "timeout"
	case errors.Is(err, ErrConnLost):
		return "lost"
	case errors.Is(err, ErrInvalidInput), errors.Is(err, ErrPermission) && !isCLI(err):
		return "refused"
	}
	return "error"
}

func isCLI(err error) bool {
	var ce *parse.CLIError
	return errors.As(err, &ce)
}

// checkLine refuses anything that could smuggle a second command or a
// control sequence onto the CLI.
func checkLine(line string) error {
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
func (s *Session) Run(ctx context.Context, cmd string) (string, error) {
	s.op.Lock()
	defer s.op.Unlock()
	if err := s.toTop(ctx); err != nil {
		return "", err
	}
	return s.run(ctx, cmd)
}

// run is Run without the lock and without leaving the current context.
func (s *Session) run(ctx context.Context, cmd string) (string, error) {
	if err := checkLine(cmd); err != nil {
		s.record(cmd, "refused", err)
		return "", opErr(s.t.label(), cmd, err)
	}
	if s.closed.Load() {
		return "", opErr(s.t.label(), cmd, ErrClosed)
	}
	if s.broken != nil {
		return "", opErr(s.t.label(), cmd, fmt.Errorf("session unusable after an earlier failure (%v): %w", s.broken, ErrConnLost))
	}
	rctx, cancel := context.WithTimeout(ctx, s.t.commandTimeout())
	defer cancel()
	s.mu.Lock()
	s.buf = s.buf[:0] // anything unsolicited before the command is noise
	s.overflow = false
	s.mu.Unlock()
	if err := s.write(rctx, cmd+"\n"); err != nil {
		err = s.ctxErr(ctx, rctx, err)
		s.fail(err)
		s.record(cmd, outcomeOf(err), err)
		return "", opErr(s.t.label(), cmd, err)
	}
	seg, pr, over, err := s.waitPrompt(ctx, rctx)
	if err != nil {
		s.record(cmd, outcomeOf(err), err)
		return "", opErr(s.t.label(), cmd, err)
	}
	out, err := s.finish(cmd, seg, pr, over)
	s.record(cmd, outcomeOf(err), err)
	return out, err
}

// finish turns a raw segment into output and a typed error.
func (s *Session) finish(cmd, seg string, pr prompt, over bool) (string, error) {
	s.setPrompt(pr)
	if over {
		return "", opErr(s.t.label(), cmd, fmt.Errorf("more than %d bytes: %w", s.maxOutput(), ErrOutputTooLarge))
	}
	out := tidyOutput(parse.StripEcho(parse.Clean(seg), cmd))
	if ce := parse.FindCLIError(out); ce != nil {
		var err error = ce
		if ce.Kind == parse.ErrPermission {
			err = fmt.Errorf("%w: %w", ErrPermission, ce)
		}
		return out, opErr(s.t.label(), cmd, redactErr(err))
	}
	return out, nil
}

// cleanOutput removes terminal noise and the echo, caps line lengths and
// trims blank lines at both ends (indentation of the first line is kept).
func cleanOutput(raw, cmd string) string {
	return tidyOutput(parse.StripEcho(parse.Clean(raw), cmd))
}

// tidyOutput is cleanOutput after the echo is gone.
func tidyOutput(out string) string {
	out = capLines(out)
	out = strings.TrimRight(out, " \t\n")
	for strings.HasPrefix(out, "\n") || strings.HasPrefix(out, " \n") {
		out = strings.TrimLeft(strings.TrimPrefix(out, " "), "\n")
	}
	return out
}

// ctxErr names why a wait ended: the caller's ctx or the command timeout.
func (s *Session) ctxErr(parent, rctx context.Context, err error) error {
	switch {
	case parent.Err() != nil:
		return parent.Err()
	case rctx.Err() != nil:
		return fmt.Errorf("no prompt within %s: %w", s.t.commandTimeout(), ErrTimeout)
	}
	return err
}

// waitPrompt waits for the prompt that ends the current command (one
// command in flight: the prompt must end the buffer), answering the pager.
// Each `--More--` is answered exactly once, identified by its position in
// the stream: its erase (`\r` + spaces + `\r`) may arrive in a packet of
// its own and leave the answered prompt still "at the end" of the buffer.
// The segment is returned as a string: one copy out of the buffer.
func (s *Session) waitPrompt(parent, ctx context.Context) (string, prompt, bool, error) {
	for {
		s.mu.Lock()
		pr, ok := s.pm.matchEnd(s.buf, 1)
		if ok && strings.TrimSpace(parse.Clean(string(s.buf[:pr.start]))) == "" {
			// A prompt with nothing before it, not even our echo, is a
			// leftover (an extra Enter, a late prompt): skip it.
			s.buf = append(s.buf[:0], s.buf[pr.end:]...)
			ok = false
		}
		if ok {
			seg := string(s.buf[:pr.start])
			rest := s.buf[pr.end:]
			s.buf = append(s.buf[:0], rest...)
			over := s.overflow
			s.overflow = false
			s.mu.Unlock()
			return seg, pr, over, nil
		}
		at, pager := pagerAt(s.buf, s.total-int64(len(s.buf)))
		pager = pager && at > s.pagerDone
		if pager {
			s.pagerDone = at
		}
		rerr := s.readErr
		s.mu.Unlock()
		if pager {
			s.pages.Add(1)
			if err := s.write(ctx, " "); err != nil {
				err = s.ctxErr(parent, ctx, err)
				s.fail(err)
				return "", prompt{}, false, err
			}
			continue
		}
		if rerr != nil {
			err := s.lost(rerr)
			s.fail(err)
			return "", prompt{}, false, err
		}
		select {
		case <-s.notify:
		case <-ctx.Done():
			err := s.ctxErr(parent, ctx, ctx.Err())
			s.fail(err)
			return "", prompt{}, false, err
		}
	}
}
