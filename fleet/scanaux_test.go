package fleet

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
)

func stepNamed(r DeviceResult, name string) (StepTiming, bool) {
	for _, s := range r.Steps {
		if s.Name == name {
			return s, true
		}
	}
	return StepTiming{}, false
}

func overlap(a, b StepTiming) bool {
	return a.StartMS < b.StartMS+b.DurationMS && b.StartMS < a.StartMS+a.DurationMS
}

// On FortiOS's clock each ping takes seconds: they run on sessions of
// their own, at the same time as each other and as the main reads, with
// adaptive-ping set and reset on each; the KB meaning (reachable, loss,
// DNS failure) is unchanged.
func TestScanPingsOnTheirOwnSessions(t *testing.T) {
	if testing.Short() {
		t.Skip("real timing")
	}
	f, e := simFleetWith(t, sim.Options{Timing: sim.TimingReal}, spec("healthy", sim.Healthy), spec("fgd-down", sim.FortiGuardDown))
	rs := e.Scan(context.Background(), e.Inv.Devices, nil)
	h, down := rs[0], rs[1]
	if !h.Reachable || len(h.FortiGuard) != 2 || !h.FortiGuard[0].Reachable || !h.FortiGuard[1].Reachable {
		t.Fatalf("healthy pings: %+v (%s)", h.FortiGuard, h.Error)
	}
	if len(down.FortiGuard) != 2 || down.FortiGuard[0].Reachable || !strings.Contains(down.FortiGuard[0].Error, "resolve") {
		t.Fatalf("fortiguard-down pings: %+v", down.FortiGuard)
	}
	if !hasFinding(down, CodeFortiGuardUnreachable) {
		t.Errorf("FORTIGUARD_UNREACHABLE missing: %+v", down.Findings)
	}
	p1, ok1 := stepNamed(h, "ping "+FortiGuardHosts[0])
	p2, ok2 := stepNamed(h, "ping "+FortiGuardHosts[1])
	ti, ok3 := stepNamed(h, "token status")
	if !ok1 || !ok2 || !ok3 {
		t.Fatalf("steps: %+v", h.Steps)
	}
	if !overlap(p1, p2) || !overlap(p1, ti) {
		t.Errorf("pings did not run alongside each other and the reads: %+v", h.Steps)
	}
	if ua, ok := stepNamed(h, "users and admins"); !ok || !overlap(ua, ti) {
		t.Errorf("the account reads did not run alongside the token reads: %+v", h.Steps)
	}
	cmds := strings.Join(f.Device("healthy").State().Commands, "\n")
	if strings.Count(cmds, "execute ping-options adaptive-ping enable") != 2 || strings.Count(cmds, "execute ping-options reset") != 2 {
		t.Errorf("ping-options not set and reset once per ping session:\n%s", cmds)
	}
	// The device notices closed channels a moment after the client.
	deadline := time.Now().Add(3 * time.Second)
	for f.Device("healthy").State().OpenSessions != 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := f.Device("healthy").State().OpenSessions; n != 0 {
		t.Errorf("%d sessions left open", n)
	}
}

// Every device carries per-step timings in the JSON.
func TestScanStepTimings(t *testing.T) {
	_, e := simFleet(t, spec("healthy", sim.Healthy), spec("authfail", sim.FaultAuthFail))
	rs := e.Scan(context.Background(), e.Inv.Devices, nil)
	seen := map[string]bool{}
	for _, s := range rs[0].Steps {
		if seen[s.Name] {
			t.Errorf("step %q recorded twice: %+v", s.Name, rs[0].Steps)
		}
		seen[s.Name] = true
	}
	for _, want := range []string{"connect", "open shell and system status", "central management", "token status",
		"token configuration", "users and admins", "email server", "debug info", "ping " + FortiGuardHosts[0]} {
		if _, ok := stepNamed(rs[0], want); !ok {
			t.Errorf("step %q missing: %+v", want, rs[0].Steps)
		}
	}
	if len(rs[1].Steps) != 1 || rs[1].Steps[0].Name != "connect" {
		t.Errorf("a failed login still shows where its time went: %+v", rs[1].Steps)
	}
}

func hasFinding(r DeviceResult, c Code) bool {
	for _, f := range r.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// A unit that allows one admin session at a time refuses every extra
// session ("Reached maximum number of logged in administrators."): the scan
// does everything on its main session and reads the same.
func TestScanOnASingleSessionUnit(t *testing.T) {
	one := spec("one", sim.Healthy)
	one.MaxSessions = 1
	// A 15 ms WAN: round trips cost, so the scan asks for extra sessions.
	f, e := simFleetWith(t, sim.Options{RTT: 15 * time.Millisecond}, one, spec("many", sim.Healthy))
	rs := e.Scan(context.Background(), e.Inv.Devices, nil)
	for _, r := range rs {
		if !r.Reachable || len(r.FortiGuard) != 2 || !r.FortiGuard[0].Reachable || len(r.Tokens) == 0 || r.EmailServer.Server == "" {
			t.Fatalf("%s: reachable=%v pings=%+v tokens=%d email=%q err=%q", r.Name, r.Reachable, r.FortiGuard, len(r.Tokens), r.EmailServer.Server, r.Error)
		}
	}
	if f.Device("one").State().RefusedSessions == 0 {
		t.Fatal("the single-session unit refused nothing: the test proves nothing")
	}
	var users int
	for _, tk := range rs[0].Tokens {
		users += len(tk.Users)
	}
	if users == 0 {
		t.Errorf("accounts not read on the single-session unit")
	}
}

// On a fast wire extra sessions buy nothing: one session does it all (the
// pings with adaptive-ping, set and reset), and logs out once. Behind a
// WAN the same scan spreads over four sessions.
func TestScanSessionsFollowTheWire(t *testing.T) {
	f, e := simFleet(t, spec("lan", sim.Healthy))
	r := e.Scan(context.Background(), e.Inv.Devices, nil)[0]
	cmds := f.Device("lan").State().Commands
	if !r.Reachable || !r.FortiGuard[0].Reachable || f.Device("lan").State().SessionsOpened != 1 ||
		count(cmds, "execute ping-options adaptive-ping enable") != 1 || count(cmds, "execute ping-options reset") != 1 {
		t.Fatalf("fast wire: reachable=%v pings=%+v commands %q", r.Reachable, r.FortiGuard, cmds)
	}
	f2, e2 := simFleetWith(t, sim.Options{RTT: 15 * time.Millisecond}, spec("wan", sim.Healthy))
	r = e2.Scan(context.Background(), e2.Inv.Devices, nil)[0]
	if n := f2.Device("wan").State().SessionsOpened; n != 4 {
		t.Fatalf("WAN: %d sessions, want 4 (main, two pings, accounts)", n)
	}
	if !r.Reachable || len(r.Tokens) == 0 {
		t.Fatalf("WAN scan: %+v", r)
	}
}
