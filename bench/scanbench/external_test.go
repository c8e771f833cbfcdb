package scanbench

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
)

// BenchmarkScanExternal scans the fleet written by bench/benchsim into
// $FTKTUI_BENCH_DIR, so a CPU profile holds the client alone:
//
//	FTKTUI_BENCH_DIR=/tmp/f go test ./bench/scanbench -run '^$' -bench ScanExternal -cpuprofile cpu.out
func BenchmarkScanExternal(b *testing.B) {
	dir := os.Getenv("FTKTUI_BENCH_DIR")
	if dir == "" {
		b.Skip("FTKTUI_BENCH_DIR not set (start bench/benchsim -out DIR first)")
	}
	pw, err := os.ReadFile(filepath.Join(dir, "password"))
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv("FTKTUI_PASSWORD", string(trimNL(pw)))
	inv, err := inventory.Load(filepath.Join(dir, "inventory.yaml"), inventory.LoadOptions{})
	if err != nil {
		b.Fatal(err)
	}
	e := &fleet.Engine{Inv: inv, Concurrency: 32}
	for b.Loop() {
		res := e.Scan(context.Background(), inv.Devices, nil)
		for _, r := range res {
			if !r.Reachable {
				b.Fatalf("%s unreachable: %s", r.Name, r.Error)
			}
		}
	}
}

func trimNL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}
