package fleet

import (
	"slices"
	"sync"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// DebugTail is a debug capture opened by Engine.Debug (the console's pane,
// `ftktui debug`). An action on the same device reuses it instead of arming
// a second capture whose closing `diagnose debug reset` — device-wide —
// would end the one the admin is watching: the action's capture then reads
// the same lines, and the tail's owner still disarms it when it closes it.
type DebugTail struct {
	DebugStream
	dev  string // debugKey of the device
	apps []string
	out  chan parse.DebugLine

	mu   sync.Mutex
	subs map[int]func(parse.DebugLine)
	next int
}

// Lines delivers the tail's lines to its owner; closed when the stream ends.
func (t *DebugTail) Lines() <-chan parse.DebugLine { return t.out }

func newDebugTail(d inventory.Device, apps []string, ds DebugStream) *DebugTail {
	t := &DebugTail{DebugStream: ds, dev: debugKey(d), apps: apps, out: make(chan parse.DebugLine, cap(ds.Lines())),
		subs: map[int]func(parse.DebugLine){}}
	tails.mu.Lock()
	tails.m[t.dev] = append(tails.m[t.dev], t)
	tails.mu.Unlock()
	go t.pump()
	return t
}

// pump forwards every line to the owner and to the actions reusing the tail.
func (t *DebugTail) pump() {
	defer func() {
		tails.mu.Lock()
		tails.m[t.dev] = slices.DeleteFunc(tails.m[t.dev], func(x *DebugTail) bool { return x == t })
		if len(tails.m[t.dev]) == 0 {
			delete(tails.m, t.dev)
		}
		tails.mu.Unlock()
		close(t.out)
	}()
	for l := range t.DebugStream.Lines() {
		t.mu.Lock()
		for _, f := range t.subs {
			f(l)
		}
		t.mu.Unlock()
		select {
		case t.out <- l:
		case <-t.Done(): // the owner closed the stream and stopped reading
			return
		}
	}
}

// subscribe sends every later line to f until the returned cancel runs.
func (t *DebugTail) subscribe(f func(parse.DebugLine)) (cancel func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	id := t.next
	t.next++
	t.subs[id] = f
	return func() {
		t.mu.Lock()
		delete(t.subs, id)
		t.mu.Unlock()
	}
}

// covers reports whether the tail arms every application in apps.
func (t *DebugTail) covers(apps []string) bool {
	for _, a := range apps {
		if !slices.Contains(t.apps, a) {
			return false
		}
	}
	return true
}

// tails are the live DebugTails of this process, per device address.
var tails = struct {
	mu sync.Mutex
	m  map[string][]*DebugTail
}{m: map[string][]*DebugTail{}}

// liveTail returns a running tail on d that arms every app in apps, or nil.
func liveTail(d inventory.Device, apps []string) *DebugTail {
	tails.mu.Lock()
	defer tails.mu.Unlock()
	for _, t := range tails.m[debugKey(d)] {
		select {
		case <-t.Done():
			continue
		default:
		}
		if t.covers(apps) {
			return t
		}
	}
	return nil
}

// DebugApps is what an action arms before sending anything; a debug tail
// arming at least these is reused by the action (see DebugTail).
func DebugApps(a Action) []string { return debugApps(a) }

// debugApps is what a arms before sending anything.
func debugApps(a Action) []string {
	if s, ok := a.Spec(); ok {
		return append([]string(nil), s.DebugApps...)
	}
	return []string{"forticldd", "fortitoken"}
}
