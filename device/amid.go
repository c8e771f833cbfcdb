package device

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// amidKeep bounds what runAmid keeps while it waits for its echo: debug
// output may flood the shell, and only the tail can hold the echo.
const amidKeep = 64 << 10

// runAmid runs cmd on a shell that may be printing asynchronous debug
// output. The answer ends at the first prompt after the command's echo,
// wherever it is: debug lines can follow the prompt at once, so "prompt at
// the end of the buffer" would never hold. The output is not returned (it
// is interleaved with debug lines); CLI errors are.
func (s *Session) runAmid(ctx context.Context, cmd string) error {
	if err := checkLine(cmd); err != nil {
		return opErr(s.t.label(), cmd, err)
	}
	if s.broken != nil || s.closed.Load() {
		return opErr(s.t.label(), cmd, fmt.Errorf("session unusable: %w", ErrConnLost))
	}
	rctx, cancel := context.WithTimeout(ctx, s.t.commandTimeout())
	defer cancel()
	s.mu.Lock()
	s.buf = s.buf[:0]
	s.overflow = false
	s.mu.Unlock()
	if err := s.write(rctx, cmd+"\n"); err != nil {
		err = s.ctxErr(ctx, rctx, err)
		s.fail(err)
		s.record(cmd, outcomeOf(err), err)
		return opErr(s.t.label(), cmd, err)
	}
	echo := []byte(cmd)
	for {
		s.mu.Lock()
		var seg []byte
		var pr prompt
		found := false
		if i := bytes.Index(s.buf, echo); i >= 0 {
			if p, ok := s.pm.matchAny(s.buf, i+len(echo)); ok {
				seg = append(seg, s.buf[i+len(echo):p.start]...)
				s.buf = append(s.buf[:0], s.buf[p.end:]...)
				pr, found = p, true
			}
		} else if len(s.buf) > amidKeep {
			s.buf = append(s.buf[:0], s.buf[len(s.buf)-amidKeep/2:]...)
		}
		rerr := s.readErr
		s.mu.Unlock()
		if found {
			s.setPrompt(pr)
			var err error
			out := parse.Clean(string(seg))
			if n := armedMinutes(out); n > 0 {
				s.armedFor, s.armedAt = n, time.Now()
			}
			if ce := parse.FindCLIError(out); ce != nil {
				err = opErr(s.t.label(), cmd, redactErr(ce))
			}
			s.record(cmd, outcomeOf(err), err)
			return err
		}
		if rerr != nil {
			err := s.lost(rerr)
			s.fail(err)
			s.record(cmd, outcomeOf(err), err)
			return opErr(s.t.label(), cmd, err)
		}
		select {
		case <-s.notify:
		case <-rctx.Done():
			err := s.ctxErr(ctx, rctx, rctx.Err())
			s.fail(err)
			s.record(cmd, outcomeOf(err), err)
			return opErr(s.t.label(), cmd, err)
		}
	}
}
