// Package testkit holds the helpers the reliability and security suites
// under tests/ share: a simulated fleet with its inventory on disk, an
// engine over it, the ftktui binary built once, and heap measurement.
package testkit

import (
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// Long is the -long flag: run the full-size versions (1,000 devices, longer
// floods). `go test ./tests/... -long` or bench/faults.sh sets it.
var Long = flag.Bool("long", false, "run the full fault matrix and long variants")

// Fleet is a running simulated fleet with its generated files.
type Fleet struct {
	*sim.Fleet
	Dir       string // holds inventory.yaml, known_hosts, hosts.txt
	Inventory string // Dir/inventory.yaml
}

// StartFleet starts a simulator on loopback, writes its files into a temp
// dir, exports FTKTUI_PASSWORD for the test and closes it at cleanup.
func StartFleet(t testing.TB, o sim.Options) *Fleet {
	t.Helper()
	if o.Listen == "" {
		o.Listen = "127.0.0.1:0"
	}
	ctx, cancel := context.WithCancel(context.Background())
	f, err := sim.Start(ctx, o)
	if err != nil {
		cancel()
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() {
		_ = f.Close()
		cancel()
	})
	dir := t.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		t.Fatalf("sim WriteFiles: %v", err)
	}
	t.Setenv("FTKTUI_PASSWORD", f.Password())
	if os.Getenv("XDG_RUNTIME_DIR") == "" {
		// Device lock files (fleet/devlock) stay out of the developer's home.
		t.Setenv("XDG_RUNTIME_DIR", dir)
	}
	return &Fleet{Fleet: f, Dir: dir, Inventory: filepath.Join(dir, "inventory.yaml")}
}

// StartEngine loads the fleet's inventory with a per-command timeout and returns
// an engine with an audit log in the fleet's dir.
func StartEngine(t testing.TB, f *Fleet, cmdTimeout, deviceTimeout time.Duration) *fleet.Engine {
	t.Helper()
	inv, err := inventory.Load(f.Inventory, inventory.LoadOptions{})
	if err != nil {
		t.Fatalf("LoadInventory: %v", err)
	}
	for i := range inv.Devices {
		inv.Devices[i].Timeout = cmdTimeout
	}
	audit, err := fleet.OpenAudit(filepath.Join(f.Dir, "audit.jsonl"))
	if err != nil {
		t.Fatalf("OpenAudit: %v", err)
	}
	t.Cleanup(func() { _ = audit.Close() })
	return &fleet.Engine{Inv: inv, Audit: audit, DeviceTimeout: deviceTimeout,
		VerifyTimeout: 8 * time.Second, PollInterval: 150 * time.Millisecond}
}

// RepoRoot finds the module root from the test's working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test directory")
		}
		dir = parent
	}
}

// BuildBinary builds ./cmd/ftktui into dir and returns its path.
func BuildBinary(t testing.TB, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "ftktui")
	cmd := exec.Command("go", "build", "-o", out, "./cmd/ftktui")
	cmd.Dir = RepoRoot(t)
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/ftktui: %v\n%s", err, b)
	}
	return out
}

// Heap returns the live heap after two full collections.
func Heap() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// Eventually polls cond every 20ms until it holds or d passes.
func Eventually(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
}
