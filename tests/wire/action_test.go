package wire

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// TestHAMemberActionAcrossFailovers: a FortiToken-200 activated on a
// 7.6.7 HA member whose prompt role flips every two commands, every write
// fragmented: the plan, the armed capture, the activation and its
// verification all follow the new prompt, the device receives the
// activation exactly once, and its debug ends disarmed.
func TestHAMemberActionAcrossFailovers(t *testing.T) {
	seed := fragmentSeed(t)
	f := testkit.StartFleet(t, sim.Options{Seed: 14, Fragment: true, FragmentSeed: seed, FailoverEvery: 2,
		ActivationDelay: 300 * time.Millisecond,
		Specs:           []sim.DeviceSpec{{Name: "ha1", Hostname: "FW-HA-1", Scenarios: []sim.Scenario{sim.HAMember, sim.PendingActivation}}}})
	d := f.Devices()[0]
	var sn string
	for _, tk := range d.State().Tokens {
		if tk.Status == parse.StatusNew && strings.HasPrefix(tk.Serial, "FTK2") {
			sn = tk.Serial
			break
		}
	}
	if sn == "" {
		t.Fatal("no new hardware token on the HA member")
	}
	e := testkit.StartEngine(t, f, 10*time.Second, 60*time.Second)
	ctx := context.Background()
	req := fleet.ActionRequest{Action: fleet.ActionActivate, Device: "ha1", Token: sn}
	p, err := e.Plan(ctx, req)
	if err != nil || p.Refused != "" {
		t.Fatalf("plan (seed %d): %v %s", seed, err, p.Refused)
	}
	res := e.Run(ctx, p, nil)
	st := d.State()
	if !res.Verified {
		t.Fatalf("activate on an HA member across %d failovers (seed %d): %s — %s", st.Failovers, seed, res.Outcome, res.Message)
	}
	if st.Failovers < 2 {
		t.Fatalf("only %d failovers during the action: the test proves nothing", st.Failovers)
	}
	n := 0
	for _, c := range st.Commands {
		if c == "execute fortitoken activate "+sn {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("the device received the activation %d times", n)
	}
	if tk, _ := st.Token(sn); tk.Status != parse.StatusActive {
		t.Fatalf("token status %q after a verified activation", tk.Status)
	}
	if !testkit.Eventually(5*time.Second, func() bool { return d.State().DebugClean() }) {
		t.Fatalf("debug left armed on the device: %+v", d.State().DebugLevels)
	}
}
