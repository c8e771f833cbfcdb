package exitpaths

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// issue 15 §1: two ftktui processes activating the same FortiToken-200 at
// gaps of 0 to 1.5 s. The device must receive `execute fortitoken
// activate` once; the other process is refused (already active, or the
// lock holder named) and says nothing was sent.
func TestTwoProcessesActivateOnce(t *testing.T) {
	for _, gap := range []time.Duration{0, 300 * time.Millisecond, 1500 * time.Millisecond} {
		t.Run(gap.String(), func(t *testing.T) {
			f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{sim.PendingActivation}}},
				Seed: 21, ActivationDelay: time.Second, Latency: 20 * time.Millisecond})
			d := f.Device("fw")
			e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
			sn := tokenFor(t, e, "fw", d, fleet.ActionActivate)
			args := []string{"activate", "-i", f.Inventory, "--device", "fw", "--token", sn, "--yes",
				"--audit-log", filepath.Join(f.Dir, "audit.jsonl")}
			a := start(t, f, 0, args...)
			time.Sleep(gap)
			b := start(t, f, 0, args...)
			ca, cb := a.wait(t, 60*time.Second), b.wait(t, 60*time.Second)
			st := d.State()
			if n := count(st, "execute fortitoken activate "+sn); n != 1 {
				t.Fatalf("the device received `execute fortitoken activate` %d times\nA (rc %d):\n%s\nB (rc %d):\n%s", n, ca, a.out(), cb, b.out())
			}
			if ca == 0 && cb == 0 {
				t.Errorf("both processes report success")
			}
			loser := b
			if cb == 0 {
				loser = a
			}
			if !strings.Contains(loser.out(), "nothing sent") {
				t.Errorf("the refused process does not say nothing was sent:\n%s", loser.out())
			}
			if !clean(d, 5*time.Second) {
				t.Errorf("debug left armed: %s", debugState(d.State()))
			}
		})
	}
}

// Two engines in one process (the console holds several) race to activate:
// the lock is per open file, so they exclude each other too.
func TestTwoEnginesActivateOnce(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 22, ActivationDelay: 500 * time.Millisecond, Latency: 20 * time.Millisecond})
	d := f.Device("fw")
	e1 := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	e2 := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	sn := tokenFor(t, e1, "fw", d, fleet.ActionActivate)
	req := fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fw", Token: sn}
	var plans [2]*fleet.Plan
	for i, e := range []*fleet.Engine{e1, e2} {
		p, err := e.Plan(context.Background(), req)
		if err != nil || p.Refused != "" {
			t.Fatalf("plan %d: %v %q", i, err, p.Refused)
		}
		plans[i] = p
	}
	var res [2]fleet.ActionResult
	var wg sync.WaitGroup
	for i, e := range []*fleet.Engine{e1, e2} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i] = e.Run(context.Background(), plans[i], nil)
		}()
	}
	wg.Wait()
	if n := count(d.State(), "execute fortitoken activate "+sn); n != 1 {
		t.Fatalf("activate sent %d times: %+v / %+v", n, res[0], res[1])
	}
	got := []string{res[0].Outcome, res[1].Outcome}
	if !(got[0] == fleet.OutcomeVerified && got[1] == fleet.OutcomeRefused) && !(got[1] == fleet.OutcomeVerified && got[0] == fleet.OutcomeRefused) {
		t.Errorf("outcomes %v, want one verified and one refused: %q / %q", got, res[0].Message, res[1].Message)
	}
}

// A process that cannot get the lock within its wait is refused with the
// holder named: pid, user, command and since when.
func TestLockRefusalNamesTheHolder(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 23, ActivationDelay: 4 * time.Second})
	d := f.Device("fw")
	e1 := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	e2 := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	e2.LockWait = 300 * time.Millisecond
	sn := tokenFor(t, e1, "fw", d, fleet.ActionActivate)
	req := fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fw", Token: sn}
	p1, _ := e1.Plan(context.Background(), req)
	p2, _ := e2.Plan(context.Background(), req)
	done := make(chan fleet.ActionResult, 1)
	go func() { done <- e1.Run(context.Background(), p1, nil) }()
	if !waitFor(d, "diagnose debug application forticldd", 10*time.Second) {
		t.Fatal("the first action never armed")
	}
	r2 := e2.Run(context.Background(), p2, nil)
	r1 := <-done
	if r2.Outcome != fleet.OutcomeRefused || !strings.Contains(r2.Message, "locked by another ftktui") ||
		!strings.Contains(r2.Message, "pid ") || !strings.Contains(r2.Message, "since ") ||
		!strings.Contains(r2.Message, "activate "+sn+" on fw") {
		t.Errorf("second action: %s — %s", r2.Outcome, r2.Message)
	}
	if r1.Outcome != fleet.OutcomeVerified {
		t.Errorf("first action: %s — %s", r1.Outcome, r1.Message)
	}
	if n := count(d.State(), "execute fortitoken activate "+sn); n != 1 {
		t.Errorf("activate sent %d times", n)
	}
}
