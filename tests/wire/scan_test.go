package wire

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// scansEnv sets how many fresh scans TestFragmentedScansReadEveryToken
// runs (the issue asks for 1,000; the default keeps the suite short).
const scansEnv = "FTKTUI_WIRE_SCANS"

// TestFragmentedScansReadEveryToken: consecutive fresh scans (a new SSH
// connection and shell each) of a multi-VDOM unit whose output pages, with
// 29 tokens, every write fragmented: every scan reads every token.
func TestFragmentedScansReadEveryToken(t *testing.T) {
	n := 25
	if v := os.Getenv(scansEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 {
			t.Fatalf("%s=%q", scansEnv, v)
		}
	}
	seed := fragmentSeed(t)
	f := testkit.StartFleet(t, sim.Options{Seed: 12, Fragment: true, FragmentSeed: seed,
		Specs: []sim.DeviceSpec{{Name: "mv-paged", Scenarios: []sim.Scenario{sim.MultiVDOM, sim.Paged}, Tokens: 29}}})
	d := f.Devices()[0]
	var want []string
	for _, tk := range d.State().Tokens {
		want = append(want, tk.Serial)
	}
	slices.Sort(want)
	if len(want) != 29 {
		t.Fatalf("the unit has %d tokens, want 29", len(want))
	}
	e := testkit.StartEngine(t, f, 10*time.Second, 60*time.Second)
	t0 := time.Now()
	for i := 0; i < n; i++ {
		r := e.Scan(context.Background(), e.Inv.Devices, nil)[0]
		if !r.Reachable || r.VDOMMode != "multiple" {
			t.Fatalf("scan %d of %d (seed %d): reachable=%v vdom mode %q error %q", i+1, n, seed, r.Reachable, r.VDOMMode, r.Error)
		}
		var got []string
		for _, tk := range r.Tokens {
			got = append(got, tk.Serial)
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("scan %d of %d (seed %d): read %d tokens %q, want %q", i+1, n, seed, len(got), got, want)
		}
	}
	t.Logf("%d fresh fragmented scans in %s", n, time.Since(t0).Round(time.Millisecond))
}

// TestHAMemberScanSurvivesFailover: the role in the prompt of a 7.6.7 HA
// member flips after every step of the scan; the scan still reads the
// unit, and the session follows the new role.
func TestHAMemberScanSurvivesFailover(t *testing.T) {
	seed := fragmentSeed(t)
	f := testkit.StartFleet(t, sim.Options{Seed: 13, Fragment: true, FragmentSeed: seed, FailoverEvery: -1,
		Specs: []sim.DeviceSpec{{Name: "ha1", Hostname: "FW-HA-1", Scenarios: []sim.Scenario{sim.HAMember}}}})
	d := f.Devices()[0]
	e := testkit.StartEngine(t, f, 10*time.Second, 60*time.Second)
	flips := 0
	r := e.Scan(context.Background(), e.Inv.Devices, func(ev fleet.Event) {
		if ev.Kind == fleet.EventStep {
			if err := d.Failover(); err != nil {
				t.Errorf("failover: %v", err)
			}
			flips++
		}
	})[0]
	if flips < 2 {
		t.Fatalf("only %d failovers during the scan: the test proves nothing", flips)
	}
	st := d.State()
	if !r.Reachable || len(r.Tokens) != len(st.Tokens) || len(r.Tokens) == 0 {
		t.Fatalf("scan across %d failovers: reachable=%v tokens %d of %d, error %q", flips, r.Reachable, len(r.Tokens), len(st.Tokens), r.Error)
	}
	if st.Failovers < flips {
		t.Fatalf("the unit saw %d failovers, want %d", st.Failovers, flips)
	}
}

// TestInterimAndTruncatedPromptsScan: an interim build (signature warning
// at login, `HOST (Interim)# `) and a unit whose long hostname the prompt
// cuts with `~`, both multi-VDOM, fragmented: scans read every token.
func TestInterimAndTruncatedPromptsScan(t *testing.T) {
	seed := fragmentSeed(t)
	f := testkit.StartFleet(t, sim.Options{Seed: 15, Fragment: true, FragmentSeed: seed, Specs: []sim.DeviceSpec{
		{Name: "interim", Hostname: "FGT_HA_Slave", Interim: true, Scenarios: []sim.Scenario{sim.MultiVDOM}},
		{Name: "longname", Hostname: "FGT-BRANCH-OFFICE-LISBON-0042", PromptHostMax: 12, Scenarios: []sim.Scenario{sim.MultiVDOM, sim.Paged}},
	}})
	e := testkit.StartEngine(t, f, 10*time.Second, 60*time.Second)
	for round := 0; round < 3; round++ {
		for i, r := range e.Scan(context.Background(), e.Inv.Devices, nil) {
			want := len(f.Devices()[i].State().Tokens)
			if !r.Reachable || len(r.Tokens) != want || want == 0 || r.VDOMMode != "multiple" {
				t.Fatalf("round %d %s (seed %d): reachable=%v tokens %d of %d, error %q", round, r.Name, seed, r.Reachable, len(r.Tokens), want, r.Error)
			}
		}
	}
}
