package channel

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ftktui/ftktui/parse"
)

// amidKeep bounds what runAmid keeps while it waits for its echo: debug
// output may flood the shell, and only the tail can hold the echo.
const amidKeep = 64 << 10

// runAmid runs cmd on a shell that may be printing asynchronous debug
// output. The answer ends at the first prompt after the command's echo,
// wherever it is: debug lines can follow the prompt at once, so "prompt at
// the end of the buffer" would never hold. What it returns is the cleaned
// text between the echo and that prompt, which may hold debug lines too
// (enough for an announcement such as a debug duration); CLI errors are
// returned as errors.
func (c *Channel) runAmid(ctx context.Context, cmd string) (string, error) {
	if err := CheckLine(cmd); err != nil {
		return "", Op(c.cfg.Label, cmd, err)
	}
	if c.broken != nil || c.closed.Load() {
		return "", Op(c.cfg.Label, cmd, fmt.Errorf("session unusable: %w", ErrConnLost))
	}
	rctx, cancel := context.WithTimeout(ctx, c.commandTimeout())
	defer cancel()
	if err := c.send(ctx, rctx, cmd); err != nil {
		return "", err
	}
	echo := []byte(cmd)
	for {
		c.mu.Lock()
		var seg []byte
		var pr prompt
		found := false
		if i := bytes.Index(c.buf, echo); i >= 0 {
			if p, ok := c.pm.matchAny(c.buf, i+len(echo)); ok {
				seg = append(seg, c.buf[i+len(echo):p.start]...)
				c.buf = append(c.buf[:0], c.buf[p.end:]...)
				pr, found = p, true
			}
		} else if len(c.buf) > amidKeep {
			c.buf = append(c.buf[:0], c.buf[len(c.buf)-amidKeep/2:]...)
		}
		rerr := c.readErr
		c.mu.Unlock()
		if found {
			c.setPrompt(pr)
			var err error
			out := parse.Clean(string(seg))
			if ce := parse.FindCLIError(out); ce != nil {
				err = Op(c.cfg.Label, cmd, RedactErr(ce))
			}
			c.record(cmd, outcomeOf(err), err)
			return out, err
		}
		if rerr != nil {
			err := c.lost(rerr)
			c.fail(err)
			c.record(cmd, outcomeOf(err), err)
			return "", Op(c.cfg.Label, cmd, err)
		}
		select {
		case <-c.notify:
		case <-rctx.Done():
			err := c.ctxErr(ctx, rctx, rctx.Err())
			c.fail(err)
			c.record(cmd, outcomeOf(err), err)
			return "", Op(c.cfg.Label, cmd, err)
		}
	}
}
