package scanbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// startFleet starts a bench fleet and writes its files into a temp dir.
func startFleet(tb testing.TB, o FleetOptions) (*sim.Fleet, string) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f, err := StartFleet(ctx, o, sim.Options{})
	if err != nil {
		cancel()
		tb.Fatal(err)
	}
	tb.Cleanup(func() { cancel(); _ = f.Close() })
	dir := tb.TempDir()
	if err := f.WriteFiles(dir); err != nil {
		tb.Fatal(err)
	}
	return f, dir
}

// engine loads the fleet's inventory with its password in the environment.
func engine(tb testing.TB, f *sim.Fleet, dir string) (*fleet.Engine, []inventory.Device) {
	tb.Helper()
	tb.Setenv("FTKTUI_PASSWORD", f.Password())
	inv, err := inventory.Load(filepath.Join(dir, "inventory.yaml"), inventory.LoadOptions{})
	if err != nil {
		tb.Fatal(err)
	}
	return &fleet.Engine{Inv: inv, Concurrency: 32}, inv.Devices
}

func floorOpts(f *sim.Fleet, dir string) FloorOptions {
	var addrs []string
	for _, d := range f.Devices() {
		addrs = append(addrs, d.Addr())
	}
	return FloorOptions{Addrs: addrs, User: f.User(), Password: f.Password(),
		KnownHosts: filepath.Join(dir, "known_hosts"), Concurrency: 32, Timeout: 30 * time.Second}
}

// TestPeerMatchesScan checks that the parallel-ssh peer sends exactly the
// commands a scan sends, so the comparison is like for like.
func TestPeerMatchesScan(t *testing.T) {
	f, dir := startFleet(t, FleetOptions{Devices: 1, Tokens: 20, Seed: 3})
	e, devs := engine(t, f, dir)
	res := e.Scan(context.Background(), devs, nil)
	if !res[0].Reachable || len(res[0].Tokens) != 20 {
		t.Fatalf("scan: reachable=%v tokens=%d err=%q", res[0].Reachable, len(res[0].Tokens), res[0].Error)
	}
	// The peer runs the KB's commands as the KB gives them; ftktui adds
	// only the adaptive-ping setting (and its reset) on its ping sessions.
	extra := []string{"execute ping-options adaptive-ping enable", "execute ping-options reset"}
	var sent []string
	for _, c := range f.Devices()[0].State().Commands {
		if c != "exit" && !slices.Contains(sent, c) && !slices.Contains(extra, c) {
			sent = append(sent, c)
		}
	}
	slices.Sort(sent)
	peer := PeerCommands()
	slices.Sort(peer)
	if !slices.Equal(sent, peer) {
		t.Fatalf("scan sent %q\npeer sends %q", sent, peer)
	}
	if got := strings.Count(PeerScript(), "\n") + 1; got != len(peer) {
		t.Fatalf("peer script has %d lines, want %d", got, len(peer))
	}
}

// TestFloor checks the floor really connects, authenticates and runs its
// command on every device, and counts failures.
func TestFloor(t *testing.T) {
	f, dir := startFleet(t, FleetOptions{Devices: 5, Tokens: 2, Seed: 4})
	o := floorOpts(f, dir)
	r, err := Floor(context.Background(), o)
	if err != nil || r.OK != 5 || r.Failed != 0 {
		t.Fatalf("floor = %+v, %v", r, err)
	}
	for _, d := range f.Devices() {
		if !slices.Contains(d.State().Commands, "get system status") {
			t.Errorf("%s never got the floor command", d.Name())
		}
	}
	o.Password = "wrong"
	r, err = Floor(context.Background(), o)
	if err != nil || r.OK != 0 || r.Failed != 5 || r.FirstErr == nil {
		t.Fatalf("floor with a bad password = %+v, %v", r, err)
	}
	o.Concurrency = 0
	if _, err := Floor(context.Background(), o); err == nil {
		t.Fatal("concurrency 0 accepted")
	}
}

// TestFloorHonoursContext checks a cancelled floor returns promptly.
func TestFloorHonoursContext(t *testing.T) {
	f, dir := startFleet(t, FleetOptions{Devices: 3, Tokens: 2, Seed: 5})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := Floor(ctx, floorOpts(f, dir))
	if err == nil && r.OK == 3 {
		t.Fatalf("cancelled floor still scanned everything: %+v", r)
	}
}

// TestSpecs checks the fleet layout: the slow share and the token count.
func TestSpecs(t *testing.T) {
	specs, err := Specs(FleetOptions{Devices: 1000, Tokens: 20, SlowPct: 10})
	if err != nil {
		t.Fatal(err)
	}
	slow := 0
	for _, s := range specs {
		if s.Tokens != 20 {
			t.Fatalf("%s has %d tokens", s.Name, s.Tokens)
		}
		if slices.Contains(s.Scenarios, sim.FaultSlow) {
			slow++
		}
	}
	if slow != 100 {
		t.Fatalf("%d slow devices, want 100", slow)
	}
	for _, bad := range []FleetOptions{{Devices: 0}, {Devices: 5, SlowPct: 101}, {Devices: 5, SlowPct: -1}} {
		if _, err := Specs(bad); err == nil {
			t.Errorf("Specs(%+v) accepted", bad)
		}
	}
}

// TestReadHosts reads hosts.txt as the sim writes it, skipping comments.
func TestReadHosts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "hosts.txt")
	if err := os.WriteFile(p, []byte("# c\n127.0.0.1:22\n\n 127.0.0.1:23 \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := ReadHosts(p)
	if err != nil || !slices.Equal(got, []string{"127.0.0.1:22", "127.0.0.1:23"}) {
		t.Fatalf("ReadHosts = %q, %v", got, err)
	}
	if _, err := ReadHosts(p + ".missing"); err == nil {
		t.Fatal("missing file accepted")
	}
}

// BenchmarkScanVsFloor scans an in-process fleet and runs the floor on it
// in the same iteration, reporting both and their ratio (side by side, so
// machine noise hits both). Simulator and client share the process here;
// bench/run.sh measures them as separate processes.
func BenchmarkScanVsFloor(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("devices=%d", n), func(b *testing.B) {
			f, dir := startFleet(b, FleetOptions{Devices: n, Tokens: 20, Seed: 1})
			e, devs := engine(b, f, dir)
			fo := floorOpts(f, dir)
			var scanT, floorT time.Duration
			for b.Loop() {
				t0 := time.Now()
				res := e.Scan(context.Background(), devs, nil)
				scanT += time.Since(t0)
				for _, r := range res {
					if !r.Reachable {
						b.Fatalf("%s: %s", r.Name, r.Error)
					}
				}
				fr, err := Floor(context.Background(), fo)
				if err != nil || fr.Failed > 0 {
					b.Fatalf("floor: %+v %v", fr, err)
				}
				floorT += fr.Elapsed
			}
			b.ReportMetric(float64(scanT.Milliseconds())/float64(b.N), "scan-ms")
			b.ReportMetric(float64(floorT.Milliseconds())/float64(b.N), "floor-ms")
			b.ReportMetric(float64(scanT)/float64(floorT), "scan/floor")
		})
	}
}
