package channel

import (
	"context"
	"fmt"
	"io"
	"time"
)

// bannerNudge is how long a banner answer may go unanswered before an
// Enter follows it.
const bannerNudge = 2 * time.Second

// Login waits for the first prompt and learns it (hostname, scope of a
// VDOM admin, `$` of a read-only admin), answering the post-login banner
// with `a` (no Enter, as FortiOS reads a single key). A terminal that does
// not react within bannerNudge is given an Enter as well, for line-buffered
// emulations; a device that already moved on never gets the extra key.
func (c *Channel) Login(ctx context.Context) error {
	var answered int64 = -1
	var nudge <-chan time.Time
	for {
		c.mu.Lock()
		host, pr, ok := learnPrompt(c.buf)
		banner := !ok && tailMatch(bannerRe, c.buf) && c.total > answered
		total, rerr := c.total, c.readErr
		if ok {
			c.buf = c.buf[:0]
		}
		c.mu.Unlock()
		switch {
		case ok:
			c.host, c.base, c.readOnly = host, pr.scope, pr.char == '$'
			c.setPrompt(pr)
			c.pm = NewPromptMatcher(host)
			return nil
		case banner:
			answered = total
			if err := c.write(ctx, "a"); err != nil {
				return err
			}
			c.record("a", "banner accepted", nil)
			nudge = time.After(bannerNudge)
			continue
		case rerr != nil:
			return c.lost(rerr)
		}
		select {
		case <-c.notify:
		case <-nudge:
			nudge = nil
			c.mu.Lock()
			still := c.total == answered
			c.mu.Unlock()
			if still {
				if err := c.write(ctx, "\r"); err != nil {
					return err
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// write sends p; a peer that stops reading cannot block it past ctx.
func (c *Channel) write(ctx context.Context, p string) error {
	stop := context.AfterFunc(ctx, func() { _ = c.shell.Close() })
	c.writes.Add(1)
	_, err := io.WriteString(c.stdin, p)
	if !stop() {
		return ctx.Err()
	}
	if err != nil {
		return c.lost(err)
	}
	return nil
}

// lost converts a read/write failure into ErrConnLost, preferring the
// transport's diagnosis when there is one.
func (c *Channel) lost(err error) error {
	if c.cfg.Lost != nil {
		if cause := c.cfg.Lost(); cause != nil {
			return cause
		}
	}
	return fmt.Errorf("%v: %w", err, ErrConnLost)
}

// fail marks the channel unusable (its prompt sync is lost) and closes the shell.
func (c *Channel) fail(err error) {
	if c.broken == nil {
		c.broken = err
	}
	_ = c.shell.Close()
}

// setPrompt records what the last prompt says about the session.
func (c *Channel) setPrompt(pr prompt) {
	c.scope, c.role = pr.scope, pr.role
}
