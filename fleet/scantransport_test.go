package fleet

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// A scan reaches the unit through Engine.Transport like an action does: a
// second transport scans without SSH, and a connection without extra
// sessions gets every read on its main session.
func TestScanThroughTransport(t *testing.T) {
	unit := &fakeUnit{fakeKB: readdKB()}
	e, tr := fakeEngine(t, unit)
	r := e.ScanDevice(context.Background(), e.Inv.Devices[0])
	if !r.Reachable || r.Error != "" {
		t.Fatalf("scan through the fake transport: reachable %v, error %q", r.Reachable, r.Error)
	}
	if tr.dials != 1 || unit.sessions != 1 || unit.closed != 1 {
		t.Fatalf("dials %d, sessions %d, closed %d: want one of each", tr.dials, unit.sessions, unit.closed)
	}
	var codes []Code
	for _, tok := range r.Tokens {
		codes = append(codes, tok.Diagnosis)
	}
	if !slices.Contains(codes, CodeDeleteReadd) {
		t.Fatalf("token diagnoses %v: want %s from the fake unit's state", codes, CodeDeleteReadd)
	}
	if len(r.FortiGuard) == 0 {
		t.Fatalf("no FortiGuard checks: the pings did not run on the main session")
	}

	tr.dialErr = errors.New("no route to the unit")
	r = e.ScanDevice(context.Background(), e.Inv.Devices[0])
	if r.Reachable || r.Error == "" {
		t.Fatalf("a failed dial: reachable %v, error %q", r.Reachable, r.Error)
	}
}
