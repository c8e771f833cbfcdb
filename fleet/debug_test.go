package fleet

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
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

// The admin watches a unit (Engine.Debug), then acts on it: the action
// reuses that capture — no second capture, no `diagnose debug reset` that
// would end the one being watched — and still records the lines; closing
// the tail leaves the device clean (issue 14 §2). Proven on the device.
func TestActionReusesOpenDebugTail(t *testing.T) {
	f, e := simFleet(t, spec("fw", sim.PendingActivation))
	ctx := context.Background()
	tail, err := e.Debug(ctx, "fw", nil)
	if err != nil {
		t.Fatal(err)
	}
	watched := make(chan int)
	go func() {
		n := 0
		for range tail.Lines() {
			n++
		}
		watched <- n
	}()
	sn := tokenWith(t, f.Device("fw").State(), func(s sim.TokenState) bool {
		return parse.TokenKind(s.Serial) == "hardware" && s.Status == "new" && !s.Seed
	}).Serial
	p := plan(t, e, ActionActivate, "fw", sn, false)
	if !slices.ContainsFunc(p.Warnings, func(w string) bool { return strings.Contains(w, "reused by the action") }) {
		t.Errorf("plan does not say the open capture is reused: %v", p.Warnings)
	}
	before := f.Device("fw").State()
	arms := countPrefix(before.Commands, "diagnose debug application forticldd")
	res := e.Run(ctx, p, func(parse.DebugLine) { t.Error("a reused tail's lines belong to its owner") })
	after := f.Device("fw").State()
	if !res.Verified {
		t.Fatalf("activate = %+v", res)
	}
	if after.ResetCount != before.ResetCount {
		t.Errorf("the action reset debug %d time(s) under the open capture", after.ResetCount-before.ResetCount)
	}
	if n := countPrefix(after.Commands, "diagnose debug application forticldd"); n != arms {
		t.Errorf("the action armed a second capture (%d arm lines, was %d)", n, arms)
	}
	if after.DebugClean() {
		t.Error("the watched capture was disarmed by the action")
	}
	if len(res.DebugLines) == 0 {
		t.Error("the action recorded no debug line from the reused capture")
	}
	if !strings.Contains(readAudit(t, e), "reuse the debug capture already open") {
		t.Error("the reuse is not in the audit log")
	}
	if err := tail.Close(); err != nil {
		t.Fatal(err)
	}
	if n := <-watched; n == 0 {
		t.Error("the owner saw no line")
	}
	checkClean(t, f, "fw")
}

func countPrefix(lines []string, p string) int {
	n := 0
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), p) {
			n++
		}
	}
	return n
}
