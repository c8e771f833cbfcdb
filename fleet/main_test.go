package fleet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	// Device lock files go to a private dir, not the developer's.
	dir, err := os.MkdirTemp("", "ftktui-fleet-locks-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_RUNTIME_DIR", dir)
	// goleak.VerifyTestMain exits the process, which would skip a deferred
	// RemoveAll and leave one lock dir in $TMPDIR per run.
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: errors on successful test run: %v\n", err)
			code = 1
		}
	}
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

// simFleet starts a simulated fleet with one device per spec and returns it
// with an engine over the inventory the simulator wrote.
func simFleet(t *testing.T, specs ...sim.DeviceSpec) (*sim.Fleet, *Engine) {
	t.Helper()
	return simFleetWith(t, sim.Options{}, specs...)
}

// simFleetWith is simFleet with simulator options (timing, RTT, …).
func simFleetWith(t *testing.T, o sim.Options, specs ...sim.DeviceSpec) (*sim.Fleet, *Engine) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	o.Specs, o.Listen, o.Seed = specs, "127.0.0.1:0", 7
	o.ActivationDelay, o.SlowLatency = 300*time.Millisecond, 50*time.Millisecond
	f, err := sim.Start(ctx, o)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = f.Close()
		cancel()
	})
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FTKTUI_PASSWORD", f.Password())
	inv, err := inventory.Load(filepath.Join(dir, "inventory.yaml"), inventory.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := OpenAudit(filepath.Join(dir, "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = audit.Close() })
	e := &Engine{Inv: inv, Audit: audit, DeviceTimeout: 8 * time.Second,
		VerifyTimeout: 8 * time.Second, PollInterval: 150 * time.Millisecond}
	return f, e
}

func spec(name string, sc ...sim.Scenario) sim.DeviceSpec {
	return sim.DeviceSpec{Name: name, Scenarios: sc}
}

func readAudit(t *testing.T, e *Engine) string {
	t.Helper()
	if err := e.Audit.Sync(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(e.Audit.Path())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
