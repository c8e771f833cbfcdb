package fleet

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

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
	inv, err := LoadInventory(filepath.Join(dir, "inventory.yaml"), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &Engine{Inv: inv, Concurrency: 1, DeviceTimeout: 30 * time.Second}
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
