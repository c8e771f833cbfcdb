package exitpaths

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// issue 15 §1: another admin (GUI, a plain SSH session: no ftktui lock)
// activates the token while ftktui arms its capture, after ftktui's own
// re-plan, and the activation completes (100 ms) before ftktui would send. The status is re-read on the action's session right before
// `execute fortitoken activate`, so ftktui refuses and sends nothing.
func TestStatusChangedBeforeMutationIsRefused(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 41, Latency: 120 * time.Millisecond, ActivationDelay: 100 * time.Millisecond})
	d := f.Device("fw")
	e := testkit.StartEngine(t, f, 5*time.Second, 30*time.Second)
	sn := tokenFor(t, e, "fw", d, fleet.ActionActivate)
	p, err := e.Plan(context.Background(), fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fw", Token: sn})
	if err != nil || p.Refused != "" {
		t.Fatalf("plan: %v %q", err, p.Refused)
	}
	// The other admin's session, opened beforehand so it is quick.
	pw := f.Password()
	tg := device.Target{Name: "other-admin", Host: "127.0.0.1", Port: d.Port(), User: f.User(),
		Password:   func(context.Context) (string, error) { return pw, nil },
		KnownHosts: filepath.Join(f.Dir, "known_hosts"), DialTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
	cli, err := device.Dial(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	other, err := cli.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	before := len(d.State().Commands)
	done := make(chan fleet.ActionResult, 1)
	go func() { done <- e.Run(context.Background(), p, nil) }()
	// ftktui's capture starts arming after its re-plan: that is the window.
	if !pollFast(20*time.Second, func() bool {
		return countPrefix(sim.State{Commands: d.State().Commands[before:]}, "diagnose debug application forticldd") > 0
	}) {
		t.Fatal("the action never armed its capture")
	}
	if _, err := other.Run(context.Background(), "execute fortitoken activate "+sn); err != nil {
		t.Fatalf("other admin: %v", err)
	}
	res := <-done
	if n := count(d.State(), "execute fortitoken activate "+sn); n != 1 {
		t.Fatalf("activate reached the device %d times (want only the other admin's): %s — %s", n, res.Outcome, res.Message)
	}
	if res.Outcome != fleet.OutcomeRefused || !strings.Contains(res.Message, "nothing sent") || !strings.Contains(res.Message, "changed since the plan") {
		t.Errorf("result: %s — %s", res.Outcome, res.Message)
	}
	if !clean(d, 5*time.Second) {
		t.Errorf("debug left armed: %s", debugState(d.State()))
	}
}

// otherAdmin opens a plain session on d, as another admin or tool would
// (it takes no ftktui lock).
func otherAdmin(t *testing.T, f *testkit.Fleet, d *sim.Device) *device.Session {
	t.Helper()
	pw := f.Password()
	tg := device.Target{Name: "other-admin", Host: "127.0.0.1", Port: d.Port(), User: f.User(),
		Password:   func(context.Context) (string, error) { return pw, nil },
		KnownHosts: filepath.Join(f.Dir, "known_hosts"), DialTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second}
	cli, err := device.Dial(context.Background(), tg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cli.Close() })
	s, err := cli.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// issue 15 §2: another session's `diagnose debug reset` during an action
// kills its one-chance capture; the result must say so.
func TestActionCaptureResetIsReported(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fw", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 42, ActivationDelay: 1500 * time.Millisecond})
	d := f.Device("fw")
	e := testkit.StartEngine(t, f, 5*time.Second, 30*time.Second)
	sn := tokenFor(t, e, "fw", d, fleet.ActionActivate)
	p, err := e.Plan(context.Background(), fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fw", Token: sn})
	if err != nil || p.Refused != "" {
		t.Fatalf("plan: %v %q", err, p.Refused)
	}
	other := otherAdmin(t, f, d)
	done := make(chan fleet.ActionResult, 1)
	go func() { done <- e.Run(context.Background(), p, nil) }()
	if !pollFast(20*time.Second, func() bool { return count(d.State(), "execute fortitoken activate "+sn) > 0 }) {
		t.Fatal("never sent")
	}
	if _, err := other.Run(context.Background(), "diagnose debug reset"); err != nil {
		t.Fatal(err)
	}
	res := <-done
	if !strings.Contains(res.Message, "reset by another session") {
		t.Errorf("the killed capture is not reported: %s — %s", res.Outcome, res.Message)
	}
}
