package fleet

import (
	"context"
	"slices"
	"testing"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/sim"
)

// A capture someone else left running is DEBUG_LEFT_ON; ftktui's own
// capture (Engine.Debug) is not; closing it leaves the device clean.
func TestDebugLeftOnAndOwnCapture(t *testing.T) {
	f, e := simFleet(t, spec("fw", sim.Healthy))
	ctx := context.Background()
	d, _ := e.Inv.Device("fw")
	hasDebugFinding := func() bool {
		r := e.ScanDevice(ctx, d)
		return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == CodeDebugLeftOn })
	}
	if hasDebugFinding() {
		t.Fatal("DEBUG_LEFT_ON on a clean device")
	}

	own, err := e.Debug(ctx, "fw", []string{"forticldd", "fortitoken"})
	if err != nil {
		t.Fatal(err)
	}
	if st := f.Device("fw").State(); st.DebugClean() {
		t.Fatal("Engine.Debug did not arm debug")
	}
	if hasDebugFinding() {
		t.Error("ftktui's own capture reported as DEBUG_LEFT_ON")
	}
	if err := own.Close(); err != nil {
		t.Fatal(err)
	}
	checkClean(t, f, "fw")

	other, err := device.StartDebug(ctx, e.Target(d), device.DebugOptions{Apps: []string{"forticldd"}})
	if err != nil {
		t.Fatal(err)
	}
	if !hasDebugFinding() {
		t.Error("a capture left by someone else is not reported")
	}
	if err := other.Close(); err != nil {
		t.Fatal(err)
	}
	checkClean(t, f, "fw")
	if _, err := e.Debug(ctx, "nope", nil); err == nil {
		t.Error("debug on an unknown device should fail")
	}
}
