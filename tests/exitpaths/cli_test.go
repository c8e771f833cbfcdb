package exitpaths

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// issue 15 §2: `ftktui debug --for 300ms` on a unit answering in 100 ms
// ends while arming; the device must still end disarmed.
func TestDebugForEndsWhileArming(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "slow", Scenarios: []sim.Scenario{sim.Healthy}}},
		Seed: 31, Latency: 100 * time.Millisecond})
	d := f.Device("slow")
	p := start(t, f, 0, "debug", "-i", f.Inventory, "--device", "slow", "--for", "300ms",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl"))
	p.wait(t, 30*time.Second)
	if countPrefix(d.State(), "diagnose debug application") == 0 {
		t.Fatalf("no arm line reached the device, the case was not exercised:\n%s", p.out())
	}
	if !clean(d, 5*time.Second) {
		t.Fatalf("debug left armed after --for ended during the arm: %s\n%s", debugState(d.State()), p.out())
	}
}

// `ftktui debug … | head -c 1`: stdout closes under a running capture. The
// process must disarm and exit non-zero by itself, not die of SIGPIPE.
func TestDebugStdoutClosed(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "pipe", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 32})
	d := f.Device("pipe")
	p := start(t, f, 1, "debug", "-i", f.Inventory, "--device", "pipe",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl"))
	if !testkit.Eventually(20*time.Second, func() bool { return d.State().DebugLevels["forticldd"] == 255 }) {
		t.Fatalf("never armed:\n%s", p.out())
	}
	// Make the device talk: the first line fills `head -c 1`, the next
	// write meets a closed pipe.
	if err := d.SetFault(sim.FaultDebugFlood, true); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = d.SetFault(sim.FaultDebugFlood, false) }()
	rc := p.wait(t, 30*time.Second)
	if rc == 0 || rc == -1 || rc == 141 {
		t.Errorf("exit code %d after stdout closed, want a clean non-zero exit:\n%s", rc, p.out())
	}
	if !clean(d, 5*time.Second) {
		t.Fatalf("debug left armed after stdout closed: %s\n%s", debugState(d.State()), p.out())
	}
	if !strings.Contains(p.stderrText(), "debug disabled and reset") {
		t.Errorf("stderr does not confirm the disarm:\n%s", p.out())
	}
}

// `activate … | head -1`: the plan fills the one line head reads; the
// result must still reach the admin (stderr), and debug ends disarmed.
func TestActivateStdoutClosedKeepsResult(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "head", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 33, ActivationDelay: 300 * time.Millisecond})
	d := f.Device("head")
	e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	sn := tokenFor(t, e, "head", d, fleet.ActionActivate)
	firstLine := len("Plan: activate " + sn + " on head\n")
	p := start(t, f, firstLine, "activate", "-i", f.Inventory, "--device", "head", "--token", sn, "--yes",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl"))
	rc := p.wait(t, 60*time.Second)
	if rc != 0 {
		t.Errorf("exit %d:\n%s", rc, p.out())
	}
	if !strings.Contains(p.stderrText(), "activate "+sn+" on head: verified") {
		t.Errorf("the result line was lost with stdout:\n%s", p.out())
	}
	if n := count(d.State(), "execute fortitoken activate "+sn); n != 1 {
		t.Errorf("activate sent %d times", n)
	}
	if !clean(d, 5*time.Second) {
		t.Fatalf("debug left armed: %s", debugState(d.State()))
	}
}

// issue 15 §3: a signal 50–100 ms after the activation line reached the
// device, while it waits for its prompt. The result and the audit say
// "sent, outcome unknown", never failed; the device did activate; debug
// ends disarmed.
func TestInterruptedActivationIsUnknown(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) {
			f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "sig", Scenarios: []sim.Scenario{sim.PendingActivation}}},
				Seed: 34, Latency: 150 * time.Millisecond, ActivationDelay: 200 * time.Millisecond})
			d := f.Device("sig")
			e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
			sn := tokenFor(t, e, "sig", d, fleet.ActionActivate)
			auditPath := filepath.Join(f.Dir, "audit-"+sig.String()+".jsonl")
			p := start(t, f, 0, "activate", "-i", f.Inventory, "--device", "sig", "--token", sn, "--yes", "--audit-log", auditPath)
			if !pollFast(20*time.Second, func() bool { return count(d.State(), "execute fortitoken activate "+sn) > 0 }) {
				t.Fatalf("activation never sent:\n%s", p.out())
			}
			time.Sleep(75 * time.Millisecond)
			_ = p.cmd.Process.Signal(sig)
			rc := p.wait(t, 60*time.Second)
			out := p.out()
			if rc == 0 {
				t.Errorf("an interrupted activation exited 0:\n%s", out)
			}
			if !strings.Contains(out, "sent, outcome unknown — re-scan before retrying") || strings.Contains(out, ": failed") {
				t.Errorf("result does not say 'sent, outcome unknown':\n%s", out)
			}
			var final *fleet.AuditEntry
			for _, ent := range audit(t, auditPath) {
				if ent.Action == "activate" && ent.Line == "" && ent.Outcome != "start" {
					final = &ent
				}
			}
			if final == nil || final.Outcome != fleet.OutcomeUnknown {
				t.Errorf("audit result = %+v, want outcome %q", final, fleet.OutcomeUnknown)
			}
			if n := count(d.State(), "execute fortitoken activate "+sn); n != 1 {
				t.Errorf("activate sent %d times", n)
			}
			if !clean(d, 5*time.Second) {
				t.Fatalf("debug left armed: %s\n%s", debugState(d.State()), out)
			}
		})
	}
}

// pollFast polls cond every 2 ms (phase triggers need better than 20 ms).
func pollFast(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(2 * time.Millisecond)
	}
	return true
}
