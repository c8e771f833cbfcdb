package fleet

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// maxActionDebugLines bounds what one action keeps of its debug capture:
// a flooding or hostile device must not grow ActionResult without limit
// while the action polls for its verification.
const maxActionDebugLines = 20000

// debugCapture keeps an action's debug lines within a bound: the first
// half as they came (the arm and the device's first reaction — what
// explains a failed one-time activation) and a ring of the latest lines.
type debugCapture struct {
	max     int
	head    []parse.DebugLine
	tail    []parse.DebugLine // ring once full
	next    int               // oldest slot of the ring
	dropped int
}

func newDebugCapture(limit int) *debugCapture {
	if limit < 2 {
		limit = 2
	}
	return &debugCapture{max: limit}
}

func (c *debugCapture) add(l parse.DebugLine) {
	if len(c.head) < c.max/2 {
		c.head = append(c.head, l)
		return
	}
	if len(c.tail) < c.max-c.max/2 {
		c.tail = append(c.tail, l)
		return
	}
	c.tail[c.next] = l
	c.next = (c.next + 1) % len(c.tail)
	c.dropped++
}

// lines returns the kept lines in order, with a notice where lines were
// dropped.
func (c *debugCapture) lines() []parse.DebugLine {
	out := make([]parse.DebugLine, 0, len(c.head)+len(c.tail)+1)
	out = append(out, c.head...)
	if c.dropped > 0 {
		msg := fmt.Sprintf("ftktui: %d debug lines dropped here (an action keeps at most %d)", c.dropped, c.max)
		out = append(out, parse.DebugLine{Time: time.Now(), Source: parse.SourceOther, Message: msg, Raw: msg})
	}
	out = append(out, c.tail[c.next:]...)
	return append(out, c.tail[:c.next]...)
}

// runningCapture is an action's debug capture while the action runs: its
// own stream (armed here, disarmed by stop), or a DebugTail of this process
// already open on the device, which it reads and leaves armed for its owner.
type runningCapture struct {
	mu   sync.Mutex
	buf  *debugCapture
	stop func() // ends the capture: disarm our own stream / stop reading the shared tail
	ds   DebugStream
}

// wasReset reports whether another session's `diagnose debug reset`
// (device-wide) cleared the capture's levels: seen by the stream's own
// checks, or, once something was sent, by reading the levels now.
func (c *runningCapture) wasReset(ctx context.Context, sent bool) bool {
	if c.ds == nil {
		return false
	}
	if c.ds.ExternallyReset() {
		return true
	}
	if sent && ctx.Err() == nil {
		gone, err := c.ds.Check(ctx)
		return err == nil && len(gone) > 0
	}
	return false
}

func (c *runningCapture) add(l parse.DebugLine) {
	c.mu.Lock()
	c.buf.add(l)
	c.mu.Unlock()
}

func (c *runningCapture) lines() []parse.DebugLine {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.buf.lines()
}

// startCapture arms the action's capture before anything is sent. When the
// admin already watches the device (a live DebugTail arming the action's
// applications), the action reuses it: arming a second capture would end
// with `diagnose debug reset`, which is device-wide and kills the one being
// watched. debug (may be nil) gets the lines of an own capture only: the
// owner of a reused tail already shows them.
func (e *Engine) startCapture(ctx context.Context, d inventory.Device, req ActionRequest, debug func(parse.DebugLine)) (*runningCapture, error) {
	c := &runningCapture{buf: newDebugCapture(maxActionDebugLines)}
	apps := debugApps(req.Action)
	if tail := liveTail(d, apps); tail != nil {
		unsub := tail.subscribe(c.add)
		c.ds = tail.DebugStream
		e.auditDebug(req, "reuse the debug capture already open ("+strings.Join(tail.apps, ",")+"); its owner disarms it", nil)
		c.stop = unsub
		return c, nil
	}
	ds, err := e.startDebug(ctx, d, device.DebugOptions{Apps: apps,
		Transcript: e.transcript(string(req.Action), req.Token, true)})
	e.auditDebug(req, "arm "+strings.Join(apps, ","), err)
	if err != nil {
		return nil, err
	}
	trackDebug(d, ds)
	c.ds = ds
	collected := make(chan struct{})
	go func() {
		defer close(collected)
		for l := range ds.Lines() {
			c.add(l)
			if debug != nil {
				debug(l)
			}
		}
	}()
	c.stop = func() {
		done := make(chan error, 1)
		go func() { done <- ds.Close() }()
		select {
		case err := <-done:
			e.auditDebug(req, "disarm (diagnose debug disable, diagnose debug reset)", err)
		case <-time.After(debugCloseTimeout):
			e.auditDebug(req, "disarm", fmt.Errorf("still disarming after %s", debugCloseTimeout))
		}
		select {
		case <-collected:
		case <-time.After(2 * time.Second):
		}
	}
	return c, nil
}
