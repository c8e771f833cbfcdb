package fleet

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// TestSlowDeviceGivesUpItsSlot: with one slot, a slow device that takes far
// longer than the devices before it must not hold the others back: the
// devices queued behind it finish first.
func TestSlowDeviceGivesUpItsSlot(t *testing.T) {
	var specs []sim.DeviceSpec
	for i := 0; i < 10; i++ {
		specs = append(specs, spec(fmt.Sprintf("before%d", i)))
	}
	specs = append(specs, spec("slow", sim.FaultSlow))
	for i := 0; i < 4; i++ {
		specs = append(specs, spec(fmt.Sprintf("after%d", i)))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f, err := sim.Start(ctx, sim.Options{Specs: specs, Listen: "127.0.0.1:0", Seed: 9, SlowLatency: 250 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FTKTUI_PASSWORD", f.Password())
	inv, err := inventory.Load(filepath.Join(dir, "inventory.yaml"), inventory.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// The adaptive pool, held to one slot: the slow device still hands it on.
	e := &Engine{Inv: inv, DeviceTimeout: 30 * time.Second, adaptStart: 1, adaptMax: 1}
	var mu sync.Mutex
	var order []string
	res := e.Scan(context.Background(), inv.Devices, func(ev Event) {
		if ev.Kind == EventFinished {
			mu.Lock()
			order = append(order, ev.Device)
			mu.Unlock()
		}
	})
	for _, r := range res {
		if !r.Reachable || len(r.Findings) > 0 && r.Findings[0].Severity == SevError {
			t.Errorf("%s: %+v %s", r.Name, r.Findings, r.Error)
		}
	}
	if len(order) != len(specs) || order[len(order)-1] != "slow" {
		t.Fatalf("finish order %v: the slow device should finish last, after the ones queued behind it", order)
	}
}

// inFlightMax scans and returns the most devices that were in flight at once.
func inFlightMax(t *testing.T, e *Engine) int {
	t.Helper()
	var mu sync.Mutex
	cur, most := 0, 0
	res := e.Scan(context.Background(), e.Inv.Devices, func(ev Event) {
		mu.Lock()
		defer mu.Unlock()
		switch ev.Kind {
		case EventStarted:
			cur++
			most = max(most, cur)
		case EventFinished:
			cur--
		}
	})
	for _, r := range res {
		if !r.Reachable {
			t.Errorf("%s: %s", r.Name, r.Error)
		}
	}
	return most
}

// --concurrency is a hard cap: a slow device keeps its slot and nothing
// else starts in its place.
func TestHardCapIsNeverExceeded(t *testing.T) {
	specs := []sim.DeviceSpec{spec("slow", sim.FaultSlow)}
	for i := 0; i < 6; i++ {
		specs = append(specs, spec(fmt.Sprintf("d%d", i)))
	}
	_, e := simFleet(t, specs...)
	e.Concurrency = 2
	if most := inFlightMax(t, e); most > 2 {
		t.Fatalf("%d devices in flight with --concurrency 2", most)
	}
}

// By default the pool grows while every device is waiting on the wire
// (here a 100 ms WAN inside the simulator).
func TestAdaptivePoolGrowsOnASlowWire(t *testing.T) {
	var specs []sim.DeviceSpec
	for i := 0; i < 40; i++ {
		specs = append(specs, spec(fmt.Sprintf("d%d", i)))
	}
	_, e := simFleetWith(t, sim.Options{RTT: 100 * time.Millisecond}, specs...)
	e.adaptStart, e.adaptMax = 4, 64
	e.DeviceTimeout = 30 * time.Second
	if most := inFlightMax(t, e); most < 16 {
		t.Fatalf("the pool stayed at %d devices while each waited seconds on a 100 ms wire", most)
	}
}
