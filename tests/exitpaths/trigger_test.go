package exitpaths

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/sim"
)

// phase names a moment of a surface's life, observed on the device.
type phase string

const (
	phConnecting phase = "connecting"
	phStreaming  phase = "streaming" // debug surfaces: armed and tailing
	phMutation   phase = "after-mutation"
	phVerify     phase = "verification"
	phDisarming  phase = "disarming"
)

func armPhase(i int) phase { return phase("arming-" + string(rune('1'+i))) }

// phaseWatch fires once when the device shows the phase: it polls the
// commands the device received (after base) every 2 ms.
type phaseWatch struct {
	d        *sim.Device
	base     int // commands before the surface started
	conns    int // open connections before the surface started
	ph       phase
	arm      []string
	mutation string // prefix of the one-shot line (actions)
	fired    chan struct{}
	once     sync.Once
}

func newWatch(d *sim.Device, ph phase, arm []string, mutation string) *phaseWatch {
	st := d.State()
	return &phaseWatch{d: d, base: len(st.Commands), conns: st.OpenConns, ph: ph, arm: arm, mutation: mutation,
		fired: make(chan struct{})}
}

// rebase starts watching from now (after a plan made its own connection).
func (w *phaseWatch) rebase() {
	st := w.d.State()
	w.base, w.conns = len(st.Commands), st.OpenConns
}

// run polls until the phase shows up (then calls fire) or ctx ends.
func (w *phaseWatch) run(ctx context.Context, fire func()) {
	var armedAt time.Time
	for {
		if w.reached(&armedAt) {
			w.once.Do(func() { close(w.fired) })
			fire()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Millisecond):
		}
	}
}

func (w *phaseWatch) reached(armedAt *time.Time) bool {
	st := w.d.State()
	cmds := st.Commands
	if len(cmds) < w.base {
		return false
	}
	cmds = cmds[w.base:]
	idx := func(pred func(string) bool, from int) int {
		for i := from; i < len(cmds); i++ {
			if pred(cmds[i]) {
				return i
			}
		}
		return -1
	}
	switch {
	case w.ph == phConnecting:
		return st.OpenConns > w.conns || len(cmds) > 0
	case strings.HasPrefix(string(w.ph), "arming-"):
		k := int(w.ph[len("arming-")] - '1')
		return k < len(w.arm) && idx(func(c string) bool { return c == w.arm[k] }, 0) >= 0
	case w.ph == phStreaming:
		if idx(func(c string) bool { return c == "diagnose debug enable" }, 0) < 0 {
			return false
		}
		if armedAt.IsZero() {
			*armedAt = time.Now()
		}
		return time.Since(*armedAt) > 300*time.Millisecond
	case w.ph == phMutation:
		return idx(func(c string) bool { return strings.HasPrefix(c, w.mutation) }, 0) >= 0
	case w.ph == phVerify:
		m := idx(func(c string) bool { return strings.HasPrefix(c, w.mutation) }, 0)
		return m >= 0 && idx(func(c string) bool {
			return strings.HasPrefix(c, "diagnose fortitoken info") || c == device.CmdTokenConfig
		}, m+1) >= 0
	case w.ph == phDisarming:
		return idx(func(c string) bool { return c == "diagnose debug disable" }, 0) >= 0
	}
	return false
}

func (w *phaseWatch) didFire() bool {
	select {
	case <-w.fired:
		return true
	default:
		return false
	}
}

// deadlineCtx is a context whose deadline "passes" when expire is called:
// the cell's ctx deadline lands exactly at the phase.
type deadlineCtx struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func newDeadlineCtx() *deadlineCtx {
	return &deadlineCtx{Context: context.Background(), done: make(chan struct{})}
}

func (c *deadlineCtx) expire()                     { c.once.Do(func() { close(c.done) }) }
func (c *deadlineCtx) Done() <-chan struct{}       { return c.done }
func (c *deadlineCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *deadlineCtx) Value(key any) any           { return nil }
func (c *deadlineCtx) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}
