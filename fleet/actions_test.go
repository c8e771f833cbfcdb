package fleet

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

// tokenWith returns the first token of a device state matching pred.
func tokenWith(t *testing.T, st sim.State, pred func(sim.TokenState) bool) sim.TokenState {
	t.Helper()
	for _, tk := range st.Tokens {
		if pred(tk) {
			return tk
		}
	}
	t.Fatalf("no such token in %+v", st.Tokens)
	return sim.TokenState{}
}

func checkClean(t *testing.T, f *sim.Fleet, name string) {
	t.Helper()
	st := f.Device(name).State()
	if !st.DebugClean() {
		t.Errorf("%s: debug left on: enabled=%v levels=%v ftk=%v", name, st.DebugEnabled, st.DebugLevels, st.FortitokenDebug)
	}
}

func plan(t *testing.T, e *Engine, a Action, dev, sn string, force bool) *Plan {
	t.Helper()
	p, err := e.Plan(context.Background(), ActionRequest{Action: a, Device: dev, Token: sn, Force: force})
	if err != nil {
		t.Fatalf("plan %s %s: %v", a, sn, err)
	}
	return p
}

func indexOf(cmds []string, want string) int {
	return slices.IndexFunc(cmds, func(c string) bool { return strings.TrimSpace(c) == want })
}

func TestActivate(t *testing.T) {
	f, e := simFleet(t, spec("pending", sim.PendingActivation), spec("fgd", sim.FortiGuardDown),
		spec("migrated", sim.MigratedSeed), spec("fmg", sim.FMGManaged), spec("ro", sim.ReadonlyAdmin))
	ctx := context.Background()

	t.Run("success is verified with debug armed first", func(t *testing.T) {
		sn := tokenWith(t, f.Device("pending").State(), func(s sim.TokenState) bool { return s.Status == "new" }).Serial
		p := plan(t, e, ActionActivate, "pending", sn, false)
		if p.Refused != "" || !slices.Contains(p.Lines, "execute fortitoken activate "+sn) {
			t.Fatalf("plan = %+v", p)
		}
		if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0], "one-time activation lock") {
			t.Errorf("warnings = %v", p.Warnings)
		}
		// The plan shows what the capture will send, and the device receives exactly that.
		if !slices.Contains(p.DebugArm, "diagnose debug application forticldd 255") ||
			!slices.Equal(p.DebugDisarm, []string{"diagnose debug disable", "diagnose debug reset"}) {
			t.Errorf("plan debug lines: arm %q disarm %q", p.DebugArm, p.DebugDisarm)
		}
		var streamed int
		res := e.Run(ctx, p, func(parse.DebugLine) { streamed++ })
		if !res.Verified || res.Outcome != OutcomeVerified {
			t.Fatalf("result = %+v", res)
		}
		st := f.Device("pending").State()
		if tk, _ := st.Token(sn); tk.Status != "active" || !tk.Seed {
			t.Errorf("token after = %+v", tk)
		}
		enable, act := indexOf(st.Commands, "diagnose debug enable"), indexOf(st.Commands, "execute fortitoken activate "+sn)
		if enable < 0 || act < 0 || enable > act {
			t.Errorf("debug enable at %d, activate at %d: debug must be armed before", enable, act)
		}
		for _, l := range p.DebugArm {
			if indexOf(st.Commands, l) < 0 {
				t.Errorf("planned debug line %q never reached the device", l)
			}
		}
		if st.ActivationAttempts[sn] != 1 {
			t.Errorf("activation sent %d times", st.ActivationAttempts[sn])
		}
		if streamed != len(res.DebugLines) || streamed == 0 {
			t.Errorf("streamed %d, kept %d debug lines", streamed, len(res.DebugLines))
		}
		audit := readAudit(t, e)
		if !strings.Contains(audit, `"line":"execute fortitoken activate `+sn+`"`) || !strings.Contains(audit, `"outcome":"verified"`) {
			t.Error("activation missing from the audit log")
		}
		// The debug stream's own connection is audited line by line too.
		for _, l := range []string{"diagnose debug application forticldd 255", "diagnose debug enable", "diagnose debug disable", "diagnose debug reset"} {
			if !strings.Contains(audit, `"line":"`+l+`"`) {
				t.Errorf("debug stream line %q missing from the audit log", l)
			}
		}
		checkClean(t, f, "pending")
	})

	t.Run("fortiguard down is refused, forced fails with the debug lines", func(t *testing.T) {
		sn := f.Device("fgd").State().Tokens[0].Serial
		p := plan(t, e, ActionActivate, "fgd", sn, false)
		if !strings.Contains(p.Refused, "FortiGuard") {
			t.Fatalf("plan = %+v", p)
		}
		if res := e.Run(ctx, p, nil); res.Outcome != OutcomeRefused {
			t.Errorf("refused plan ran: %+v", res)
		}
		before := len(f.Device("fgd").State().Commands)
		_ = before
		p = plan(t, e, ActionActivate, "fgd", sn, true)
		if p.Refused != "" {
			t.Fatalf("forced plan refused: %s", p.Refused)
		}
		res := e.Run(ctx, p, nil)
		if res.Verified || res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "activation error") {
			t.Errorf("forced result = %+v", res)
		}
		if !slices.ContainsFunc(res.DebugLines, func(l parse.DebugLine) bool { return l.IsError }) {
			t.Errorf("no debug error line captured: %d lines", len(res.DebugLines))
		}
		if !strings.Contains(res.Message, "debug:") {
			t.Errorf("message does not quote the debug lines: %s", res.Message)
		}
		if n := f.Device("fgd").State().ActivationAttempts[sn]; n != 1 {
			t.Errorf("activation sent %d times; must be once", n)
		}
		checkClean(t, f, "fgd")
	})

	t.Run("already activated elsewhere is refused with support advice", func(t *testing.T) {
		sn := tokenWith(t, f.Device("migrated").State(), func(s sim.TokenState) bool { return !s.Seed }).Serial
		p := plan(t, e, ActionActivate, "migrated", sn, false)
		if p.Refused == "" || !strings.Contains(p.Advice, "contact Fortinet support") {
			t.Errorf("plan = %+v", p)
		}
		seeded := tokenWith(t, f.Device("migrated").State(), func(s sim.TokenState) bool { return s.Seed }).Serial
		p = plan(t, e, ActionActivate, "migrated", seeded, false)
		if p.Refused == "" || p.Suggest != ActionReadd {
			t.Errorf("seeded plan = %+v", p)
		}
	})

	t.Run("fmg, read-only admin and read-only mode are refused", func(t *testing.T) {
		sn := f.Device("fmg").State().Tokens[0].Serial
		if p := plan(t, e, ActionActivate, "fmg", sn, false); !strings.Contains(p.Refused, "FortiManager") {
			t.Errorf("fmg plan = %+v", p)
		}
		ro := f.Device("ro").State()
		if p := plan(t, e, ActionActivate, "ro", ro.Tokens[0].Serial, false); !strings.Contains(p.Refused, "read-only profile") {
			t.Errorf("read-only admin plan = %+v", p)
		}
		e2 := *e
		e2.ReadOnly = true
		n := len(f.Device("fmg").State().Commands)
		if p := plan(t, &e2, ActionActivate, "fmg", sn, true); !strings.Contains(p.Refused, "read-only mode") {
			t.Errorf("read-only mode plan = %+v", p)
		}
		if len(f.Device("fmg").State().Commands) != n {
			t.Error("read-only mode connected to the device")
		}
		checkClean(t, f, "fmg")
	})
	if _, err := e.Plan(ctx, ActionRequest{Action: ActionActivate, Device: "pending", Token: "FTK200; exec x"}); err == nil {
		t.Error("a bad serial must be refused before anything is sent")
	}
}

func bindingsOf(st sim.State, sn string) []string {
	tk, ok := st.Token(sn)
	if !ok {
		return nil
	}
	out := slices.Clone(tk.Users)
	slices.Sort(out)
	return out
}

func TestReadd(t *testing.T) {
	f, e := simFleet(t, spec("m1", sim.MigratedSeed), spec("m2", sim.MigratedSeed), spec("m3", sim.MigratedSeed))
	ctx := context.Background()
	seeded := func(name string) (string, []string) {
		st := f.Device(name).State()
		sn := tokenWith(t, st, func(s sim.TokenState) bool { return s.Seed }).Serial
		return sn, bindingsOf(st, sn)
	}

	t.Run("user and admin end with the same bindings", func(t *testing.T) {
		sn, before := seeded("m1")
		if len(before) != 2 {
			t.Fatalf("bindings before = %v", before)
		}
		p := plan(t, e, ActionReadd, "m1", sn, false)
		if p.Refused != "" || len(p.Bindings) != 2 {
			t.Fatalf("plan = %+v", p)
		}
		for _, w := range []string{"delete " + sn, "edit " + sn, "set two-factor disable", "set fortitoken " + sn} {
			if !slices.ContainsFunc(p.Lines, func(l string) bool { return strings.TrimSpace(l) == w }) {
				t.Errorf("plan lacks %q: %q", w, p.Lines)
			}
		}
		res := e.Run(ctx, p, nil)
		if !res.Verified {
			t.Fatalf("result = %+v", res)
		}
		st := f.Device("m1").State()
		if got := bindingsOf(st, sn); !slices.Equal(got, before) {
			t.Errorf("bindings after = %v, before %v", got, before)
		}
		if tk, _ := st.Token(sn); tk.Status != "active" || !tk.Seed {
			t.Errorf("token after = %+v", tk)
		}
		checkClean(t, f, "m1")
	})

	for _, c := range []struct{ dev, failAt string }{{"m2", "add"}, {"m3", "bind admin netadmin"}} {
		t.Run("failure at "+c.failAt+" restores bindings", func(t *testing.T) {
			sn, before := seeded(c.dev)
			p := plan(t, e, ActionReadd, c.dev, sn, false)
			e2 := *e
			e2.beforeStep = func(step string) error {
				if step == c.failAt {
					return errors.New("injected fault")
				}
				return nil
			}
			res := e2.Run(ctx, p, nil)
			if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "injected fault") ||
				!strings.Contains(res.Message, "rolled back") || strings.Contains(res.Message, "INCOMPLETE") {
				t.Fatalf("result = %+v", res)
			}
			if !strings.Contains(res.DeviceState, "bindings as before") {
				t.Errorf("device state = %q", res.DeviceState)
			}
			if got := bindingsOf(f.Device(c.dev).State(), sn); !slices.Equal(got, before) {
				t.Errorf("bindings after rollback = %v, before %v", got, before)
			}
			checkClean(t, f, c.dev)
		})
	}
}

func TestResendRenew(t *testing.T) {
	f, e := simFleet(t, spec("mobile", sim.MobilePending), spec("email", sim.EmailUnset), spec("healthy", sim.Healthy))
	ctx := context.Background()

	t.Run("resend on email-unset is refused with advice", func(t *testing.T) {
		sn := f.Device("email").State().Tokens[0].Serial
		p := plan(t, e, ActionResend, "email", sn, false)
		if !strings.Contains(p.Refused, "email server") || !strings.Contains(p.Advice, "config system email-server") {
			t.Errorf("plan = %+v", p)
		}
	})
	t.Run("resend sets a new code, never shown", func(t *testing.T) {
		before := tokenWith(t, f.Device("mobile").State(), func(s sim.TokenState) bool { return s.Status == "provisioning" })
		p := plan(t, e, ActionResend, "mobile", before.Serial, false)
		if p.Refused != "" || !slices.Contains(p.Lines, "execute fortitoken-mobile provision "+before.Serial) {
			t.Fatalf("plan = %+v", p)
		}
		res := e.Run(ctx, p, nil)
		after, _ := f.Device("mobile").State().Token(before.Serial)
		if !res.Verified || after.ActivationCode == before.ActivationCode {
			t.Fatalf("result = %+v; code changed: %v", res, after.ActivationCode != before.ActivationCode)
		}
		if strings.Contains(res.Message, after.ActivationCode) || strings.Contains(readAudit(t, e), after.ActivationCode) {
			t.Error("activation code leaked")
		}
		checkClean(t, f, "mobile")
	})
	t.Run("renew a timed-out token", func(t *testing.T) {
		sn := tokenWith(t, f.Device("mobile").State(), func(s sim.TokenState) bool { return s.Status == "provision timeout" }).Serial
		res := e.Run(ctx, plan(t, e, ActionRenew, "mobile", sn, false), nil)
		if !res.Verified {
			t.Errorf("renew = %+v", res)
		}
		checkClean(t, f, "mobile")
	})
	t.Run("hardware tokens cannot be resent", func(t *testing.T) {
		sn := tokenWith(t, f.Device("healthy").State(), func(s sim.TokenState) bool { return parse.TokenKind(s.Serial) == "hardware" }).Serial
		if p := plan(t, e, ActionResend, "healthy", sn, false); !strings.Contains(p.Refused, "FortiToken Mobile only") {
			t.Errorf("plan = %+v", p)
		}
	})
}

func TestBatchSelect(t *testing.T) {
	f, e := simFleet(t, spec("p1", sim.PendingActivation), spec("p2", sim.PendingActivation), spec("h", sim.Healthy))
	ctx := context.Background()
	results := e.Scan(ctx, e.Inv.Devices, nil)
	var reqs []ActionRequest // every token diagnosed NEEDS_ACTIVATION, with the rule book's action
	for i := range results {
		for j := range results[i].Tokens {
			if t := &results[i].Tokens[j]; t.Diagnosis == CodeNeedsActivation {
				reqs = append(reqs, ActionRequest{Action: Suggest(&results[i], t, Gate{}), Device: results[i].Name, Token: t.Serial})
			}
		}
	}
	if len(reqs) != 4 {
		t.Fatalf("selected %v", reqs)
	}
	var got []ActionResult
	out := e.Batch(ctx, reqs, 2, func(r ActionResult) { got = append(got, r) })
	if len(got) != 4 {
		t.Errorf("onResult called %d times", len(got))
	}
	for i, r := range out {
		if r.Request != reqs[i] || !r.Verified {
			t.Errorf("item %d: %+v", i, r)
		}
	}
	for _, d := range []string{"p1", "p2"} {
		for _, tk := range f.Device(d).State().Tokens {
			if tk.Status != "active" {
				t.Errorf("%s %s still %s", d, tk.Serial, tk.Status)
			}
		}
		checkClean(t, f, d)
	}
}
