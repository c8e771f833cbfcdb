// Package wire runs the fleet and the debug stream against the simulator
// in fragment mode (every write cut at random offsets, fortios-wire.md):
// many fresh scans of a paged multi-VDOM unit, an HA member that fails
// over mid scan, and debug captures that outlive the admin idle timeout
// and the debug duration.
package wire

import (
	"os"
	"strconv"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fragmentSeed is FTKTUI_SIM_FRAGMENT when set (CI passes a random one),
// else a fixed seed; it is logged so a failure can be replayed.
func fragmentSeed(t *testing.T) int64 {
	t.Helper()
	seed := int64(20261202)
	if v := os.Getenv("FTKTUI_SIM_FRAGMENT"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("FTKTUI_SIM_FRAGMENT=%q: %v", v, err)
		}
		seed = n
	}
	t.Logf("fragment seed %d (replay: FTKTUI_SIM_FRAGMENT=%d)", seed, seed)
	return seed
}
