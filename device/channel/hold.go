package channel

import (
	"bytes"
	"context"
)

// Tx is the channel held by one caller for a sequence of commands on a
// shell that prints asynchronous output (the debug stream): between the
// start and the end of Do, nothing else is sent. It must not be kept
// after Do's function returns.
type Tx struct{ c *Channel }

// Do holds the channel while f runs.
func (c *Channel) Do(f func(*Tx) error) error {
	c.op.Lock()
	defer c.op.Unlock()
	return f(&Tx{c})
}

// TryDo runs f only when no command holds the channel; held says whether
// it ran.
func (c *Channel) TryDo(f func(*Tx) error) (held bool, err error) {
	if !c.op.TryLock() {
		return false, nil
	}
	defer c.op.Unlock()
	return true, f(&Tx{c})
}

// RunAmid runs cmd while asynchronous output may be streaming: the answer
// ends at the first prompt after the echo, wherever it is. It returns the
// cleaned text between the echo and that prompt (debug lines may be mixed
// in) and the CLI error, if any.
func (t *Tx) RunAmid(ctx context.Context, cmd string) (string, error) { return t.c.runAmid(ctx, cmd) }

// EnterGlobal puts a multi-VDOM session in `config global` unless it is
// there already; single-VDOM sessions stay at the top. A refused `config
// global` is an ErrPermission error naming the admin.
func (t *Tx) EnterGlobal(ctx context.Context) error {
	c := t.c
	if c.ctxName == "global" || !c.multi {
		return nil
	}
	if _, err := c.run(ctx, "config global"); err != nil {
		if IsCLI(err) {
			return c.contextError(ScopeGlobal, "config global", err)
		}
		return err
	}
	c.ctxName = "global"
	return nil
}

// Gone reports a channel that can no longer carry a command (an earlier
// failure, or the shell ended).
func (t *Tx) Gone() bool { return t.c.broken != nil || t.c.readErrNow() != nil }

// Keys types keys without waiting for any answer (an invisible keepalive),
// bounded by the command timeout.
func (t *Tx) Keys(ctx context.Context, keys string) error {
	c := t.c
	wctx, cancel := context.WithTimeout(ctx, c.commandTimeout())
	defer cancel()
	if err := c.write(wctx, keys); err != nil {
		return c.ctxErr(ctx, wctx, err)
	}
	return nil
}

// Readable is signalled when output arrives or the shell ends (one
// buffered signal: a consumer drains everything after each).
func (c *Channel) Readable() <-chan struct{} { return c.notify }

// Drain takes the complete lines received so far, for a consumer of
// asynchronous output; a line without an end that grows past maxLine is
// cut there and given an end. err is set once the shell has ended
// (ErrConnLost or the transport's diagnosis); the consumer keeps draining
// until the chunk comes back empty.
func (c *Channel) Drain(maxLine int) (chunk []byte, err error) {
	c.mu.Lock()
	if i := bytes.LastIndexByte(c.buf, '\n'); i >= 0 {
		chunk = append(chunk, c.buf[:i+1]...)
		c.buf = append(c.buf[:0], c.buf[i+1:]...)
	} else if len(c.buf) > maxLine {
		chunk = append(append(chunk, c.buf[:maxLine]...), '\n')
		c.buf = append(c.buf[:0], c.buf[maxLine:]...)
	}
	c.overflow = false
	rerr := c.readErr
	c.mu.Unlock()
	if rerr != nil {
		return chunk, c.lost(rerr)
	}
	return chunk, nil
}
