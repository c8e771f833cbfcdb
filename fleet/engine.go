package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
)

// Engine defaults.
const (
	DefaultConcurrency   = 32
	DefaultDeviceTimeout = 2 * time.Minute
	DefaultVerifyTimeout = 90 * time.Second
	DefaultPollInterval  = time.Second
)

// Engine is what the CLI and the TUI drive: scans, plans, actions, debug.
type Engine struct {
	Inv *inventory.Inventory
	// Concurrency > 0 is a hard cap on devices scanned at once; 0 adapts
	// to the wire and the CPU (see pool.go).
	Concurrency       int
	DeviceTimeout     time.Duration // whole scan of one device (default 2m)
	ReadOnly          bool          // --read-only: every action is refused before connecting
	AcceptNewHostKeys bool
	Audit             *AuditLog
	// Password is used for devices with no password source in the inventory
	// (and no --ask-pass), e.g. the demo fleet's generated password.
	Password func(ctx context.Context) (string, error)
	// VerifyTimeout bounds the polling after an action (activation is asynchronous).
	VerifyTimeout time.Duration
	PollInterval  time.Duration
	// LockWait bounds the wait for another ftktui process's per-device
	// mutation lock before the action is refused (default 30s).
	LockWait time.Duration
	// Transport reaches the units for actions and debug captures (nil = SSH).
	Transport Transport

	// beforeStep, when set (tests), runs before each mutating step of an
	// action and can fail it, to exercise rollback.
	beforeStep func(step string) error
	// adaptStart/adaptMax override the adaptive pool's bounds (tests).
	adaptStart, adaptMax int
}

// concurrency is the cap for work that does not adapt (batches).
func (e *Engine) concurrency() int {
	if e.Concurrency > 0 {
		return e.Concurrency
	}
	return DefaultConcurrency
}

func (e *Engine) deviceTimeout() time.Duration {
	if e.DeviceTimeout > 0 {
		return e.DeviceTimeout
	}
	return DefaultDeviceTimeout
}

func (e *Engine) verifyTimeout() time.Duration {
	if e.VerifyTimeout > 0 {
		return e.VerifyTimeout
	}
	return DefaultVerifyTimeout
}

func (e *Engine) pollInterval() time.Duration {
	if e.PollInterval > 0 {
		return e.PollInterval
	}
	return DefaultPollInterval
}

func (e *Engine) inventoryPath() string {
	if e.Inv == nil {
		return ""
	}
	return e.Inv.Path
}

// errPasswordSource tags failures of the password source itself so they
// are reported as AUTH_FAILED with the source's own message.
var errPasswordSource = errors.New("password source")

// Target builds the device.Target for d with the engine's settings.
func (e *Engine) Target(d inventory.Device) device.Target {
	var pw func(context.Context) (string, error)
	if e.Inv != nil {
		pw = e.Inv.PasswordFunc(d, e.Password)
	} else {
		pw = e.Password
	}
	return DeviceTarget(d, TargetOptions{Password: pw, AcceptNewHostKeys: e.AcceptNewHostKeys})
}

// resolvedTarget reads the password before dialling: x/crypto flattens
// errors raised inside the handshake, so a broken password source would
// otherwise look like a lost connection. When the source fails, the dial
// still goes ahead with keys/agent only; pwErr explains a later auth failure.
func (e *Engine) resolvedTarget(ctx context.Context, d inventory.Device) (t device.Target, pwErr error) {
	t = e.Target(d)
	if t.Password == nil {
		return t, nil
	}
	v, err := t.Password(ctx)
	if err != nil {
		t.Password = nil
		return t, err
	}
	t.Password = func(context.Context) (string, error) { return v, nil }
	return t, nil
}

// device looks a device up by name in the inventory and asks for the
// --ask-pass password first if the device needs it (before any dial).
func (e *Engine) device(name string) (inventory.Device, error) {
	if e.Inv == nil {
		return inventory.Device{}, errors.New("no inventory loaded")
	}
	d, ok := e.Inv.Device(name)
	if !ok {
		return inventory.Device{}, fmt.Errorf("device %q is not in the inventory %s", name, e.Inv.Path)
	}
	if err := e.Inv.Prepare([]inventory.Device{d}); err != nil {
		return inventory.Device{}, fmt.Errorf("%s: %w: %w", name, errPasswordSource, err)
	}
	return d, nil
}

// transcript returns the session hook that writes every line sent to the audit log.
func (e *Engine) transcript(action, token string, mutating bool) func(device.TranscriptEntry) {
	return func(t device.TranscriptEntry) {
		ent := AuditEntry{Time: t.Time, Device: t.Device, VDOM: t.VDOM, Action: action, Token: token,
			Line: t.Line, Outcome: t.Outcome, Mutating: mutating}
		if t.Err != nil {
			ent.Error = t.Err.Error()
		}
		if ent.Outcome == "" {
			ent.Outcome = "sent"
		}
		_ = e.Audit.Write(ent)
	}
}

// Scan runs KB steps 1–3 on every device with a bounded worker pool. Results
// come back in the order of devices; progress (may be nil) is called from one
// goroutine at a time. Cancelling ctx ends every device scan promptly.
func (e *Engine) Scan(ctx context.Context, devices []inventory.Device, progress func(Event)) []DeviceResult {
	results := make([]DeviceResult, len(devices))
	if len(devices) == 0 {
		return results
	}
	var mu sync.Mutex
	done := 0
	emit := func(ev Event) {
		if progress == nil {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if ev.Kind == EventFinished {
			done++
		}
		ev.Done, ev.Total = done, len(devices)
		progress(ev)
	}
	// failFrom ends the devices from i on without scanning them.
	failFrom := func(i int, err error) {
		for j := i; j < len(devices); j++ {
			results[j] = failedResult(devices[j], err)
			r := results[j]
			emit(Event{Kind: EventFinished, Device: devices[j].Name, Result: &r})
		}
	}
	if e.Inv != nil {
		if err := e.Inv.Prepare(devices); err != nil {
			failFrom(0, fmt.Errorf("%w: %w", errPasswordSource, err))
			return results
		}
	}
	hard := e.Concurrency > 0
	g, ad, stop := e.scanGate(ctx, len(devices))
	defer stop()
	var hold slotHold
	var jumps jumpGates
	inFlight := make(chan struct{}, maxInFlight(adaptMax))
	var wg sync.WaitGroup
	for i := range devices {
		if err := g.acquire(ctx); err != nil {
			failFrom(i, fmt.Errorf("scan cancelled: %w", ctx.Err()))
			break
		}
		if !hard {
			inFlight <- struct{}{}
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			var once sync.Once
			release := func() { once.Do(g.release) }
			d := devices[i]
			start := time.Now()
			var t *time.Timer
			if !hard {
				t = time.AfterFunc(hold.limit(), release)
				ad.started(i)
			}
			emit(Event{Kind: EventStarted, Device: d.Name})
			r := e.scanDevice(ctx, d, &jumps, func(step string) {
				emit(Event{Kind: EventStep, Device: d.Name, Step: step})
			})
			results[i] = r
			emit(Event{Kind: EventFinished, Device: d.Name, Result: &r})
			release()
			if !hard {
				t.Stop()
				ad.done(i)
				hold.done(time.Since(start))
				<-inFlight
			}
		}(i)
	}
	wg.Wait()
	return results
}

// scanGate is the scan's slot gate for n devices. A hard cap
// (--concurrency) is exactly that (ad is nil). Adaptive: a device holds a
// slot while it connects and while it answers briskly; one still running
// after slotHold gives its slot to the next device and finishes on its own
// (at most maxInFlight of them), so a share of slow units cannot serialise
// the rest of the fleet. stop ends the adaptive controller.
func (e *Engine) scanGate(ctx context.Context, n int) (g *gate, ad *adaptive, stop func()) {
	if e.Concurrency > 0 {
		return newGate(min(e.Concurrency, n)), nil, func() {}
	}
	start, hi := adaptStart, adaptMax
	if e.adaptStart > 0 {
		start = e.adaptStart
	}
	if e.adaptMax > 0 {
		hi = e.adaptMax
	}
	g = newGate(min(start, hi))
	ad = newAdaptive(g, min(adaptMin, hi), hi)
	actx, stop := context.WithCancel(ctx)
	go ad.run(actx, 100*time.Millisecond)
	return g, ad, stop
}

// slotHold decides how long a device keeps its slot: four times the median
// scan time of the last devices that finished (a device that slow is an
// outlier), within [minHold, maxHold]; maxHold until enough have finished.
// A fleet whose devices are all slow alike (real units spend seconds in
// `execute ping`) keeps its slots, so --concurrency still bounds it.
type slotHold struct {
	mu   sync.Mutex
	last [64]time.Duration
	n    int
}

const (
	minHold = 250 * time.Millisecond
	maxHold = time.Minute
)

func (h *slotHold) done(d time.Duration) {
	h.mu.Lock()
	h.last[h.n%len(h.last)] = d
	h.n++
	h.mu.Unlock()
}

func (h *slotHold) limit() time.Duration {
	h.mu.Lock()
	n := min(h.n, len(h.last))
	if n < 8 {
		h.mu.Unlock()
		return maxHold
	}
	ds := append([]time.Duration(nil), h.last[:n]...)
	h.mu.Unlock()
	slices.Sort(ds)
	return min(max(4*ds[n/2], minHold), maxHold)
}

// maxInFlight caps devices scanned at once, slow ones included.
func maxInFlight(conc int) int { return max(conc, min(8*conc, 1024)) }

// ScanDevice runs KB steps 1–3 on one device.
func (e *Engine) ScanDevice(ctx context.Context, d inventory.Device) DeviceResult {
	return e.scanDevice(ctx, d, nil, nil)
}
