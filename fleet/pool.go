package fleet

import (
	"context"
	"runtime"
	"slices"
	"sync"
	"time"
)

// How many devices a scan works on at once.
//
// With --concurrency N (Engine.Concurrency > 0) N is a hard cap: never
// more devices in flight, slow ones included; an admin with a connection
// budget on a bastion gets exactly that.
//
// By default the limit adapts: a device's scan is mostly waiting on the
// wire (WAN round trips, FortiOS taking seconds on a ping), so the pool
// grows until the client's CPU would be the bottleneck, by Little's law:
// limit = median device time × cores ÷ CPU time per device, within
// [adaptMin, adaptMax] (adaptMax keeps the client under ~150 MB: a device
// in flight, an SSH connection with up to four CLI sessions, holds ~400 KB). Until
// enough devices finished, the limit doubles
// whenever every running device has been waiting longer than slowStart.
// A device much slower than the rest still hands its slot on (slotHold).
// Devices behind one jump host never have more than jumpDials handshakes
// in progress at once, so a bastion's sshd (MaxStartups 10:30:100 by
// default) is not flooded.
const (
	adaptStart = 32
	adaptMin   = 8
	adaptMax   = 256
	slowStart  = 250 * time.Millisecond
	jumpDials  = 8
)

// gate is a counting semaphore whose limit can change while it is in use.
type gate struct {
	mu     sync.Mutex
	limit  int
	active int
	wake   chan struct{}
}

func newGate(limit int) *gate { return &gate{limit: max(limit, 1), wake: make(chan struct{})} }

func (g *gate) acquire(ctx context.Context) error {
	for {
		g.mu.Lock()
		if g.active < g.limit {
			g.active++
			g.mu.Unlock()
			return nil
		}
		w := g.wake
		g.mu.Unlock()
		select {
		case <-w:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (g *gate) release() {
	g.mu.Lock()
	g.active--
	g.broadcast()
	g.mu.Unlock()
}

func (g *gate) setLimit(n int) {
	g.mu.Lock()
	if n = max(n, 1); n != g.limit {
		g.limit = n
		g.broadcast()
	}
	g.mu.Unlock()
}

func (g *gate) current() (limit, active int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.limit, g.active
}

func (g *gate) broadcast() {
	close(g.wake)
	g.wake = make(chan struct{})
}

// adaptive steers a gate's limit from what finished devices cost.
type adaptive struct {
	g          *gate
	min, max   int
	mu         sync.Mutex
	durations  []time.Duration // last finished devices (ring)
	n          int
	running    map[int]time.Time // start of each device in flight
	cpuStart   time.Duration
	finished   int
	lastChange time.Time
}

func newAdaptive(g *gate, lo, hi int) *adaptive {
	return &adaptive{g: g, min: lo, max: hi, durations: make([]time.Duration, 64), running: map[int]time.Time{},
		cpuStart: processCPU(), lastChange: time.Now()}
}

func (a *adaptive) started(i int) {
	a.mu.Lock()
	a.running[i] = time.Now()
	a.mu.Unlock()
}

func (a *adaptive) done(i int) {
	a.mu.Lock()
	if t0, ok := a.running[i]; ok {
		a.durations[a.n%len(a.durations)] = time.Since(t0)
		a.n++
		delete(a.running, i)
	}
	a.finished++
	a.mu.Unlock()
}

// run adjusts the limit every tick until ctx ends.
func (a *adaptive) run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			a.g.setLimit(a.next())
		}
	}
}

// next is the limit the pool should have now.
func (a *adaptive) next() int {
	limit, active := a.g.current()
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.n >= 8 && a.finished > 0 {
		ds := append([]time.Duration(nil), a.durations[:min(a.n, len(a.durations))]...)
		slices.Sort(ds)
		med := ds[len(ds)/2]
		perDevice := (processCPU() - a.cpuStart) / time.Duration(a.finished)
		if perDevice > 0 {
			want := int(med * time.Duration(runtime.GOMAXPROCS(0)) / perDevice)
			return min(max(want, a.min), a.max)
		}
	}
	// Slow start: everyone in flight is waiting on the wire, not the CPU.
	if active >= limit && len(a.running) > 0 {
		var youngest time.Time
		for _, t0 := range a.running {
			if t0.After(youngest) {
				youngest = t0
			}
		}
		if time.Since(youngest) > slowStart {
			return min(limit*2, a.max)
		}
	}
	return limit
}

// jumpGates bounds the handshakes in progress through each jump host.
type jumpGates struct {
	mu sync.Mutex
	m  map[string]*gate
}

func (j *jumpGates) forJump(key string) *gate {
	if j == nil || key == "" {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m == nil {
		j.m = map[string]*gate{}
	}
	g, ok := j.m[key]
	if !ok {
		g = newGate(jumpDials)
		j.m[key] = g
	}
	return g
}
