package fleet

import (
	"fmt"
	"time"

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
