package fleet

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
)

// Planning on the fake: the exact lines, the debug arm of the action's
// registry row, the warnings, and the refusals that never reach a script.
func TestPlanOnFake(t *testing.T) {
	t.Run("activate", func(t *testing.T) {
		e, _ := fakeEngine(t, &fakeUnit{fakeKB: healthyKB()})
		p := mustPlan(t, e, ActionActivate, hwSN)
		if p.Refused != "" || !slices.Equal(p.Lines, []string{"execute fortitoken activate " + hwSN}) {
			t.Fatalf("plan = refused %q lines %q", p.Refused, p.Lines)
		}
		if !slices.Contains(p.DebugArm, "diagnose debug application forticldd 255") || len(p.DebugDisarm) == 0 {
			t.Errorf("debug arm %q disarm %q", p.DebugArm, p.DebugDisarm)
		}
		if len(p.Warnings) == 0 || !strings.Contains(p.Warnings[0], "one-time activation lock") {
			t.Errorf("warnings = %q", p.Warnings)
		}
	})
	t.Run("readd unbinds, deletes, adds and rebinds every account", func(t *testing.T) {
		e, _ := fakeEngine(t, &fakeUnit{fakeKB: readdKB()})
		p := mustPlan(t, e, ActionReadd, hwSN)
		if p.Refused != "" {
			t.Fatalf("refused: %s", p.Refused)
		}
		want := []string{"unbind user jdoe", "unbind admin ops", "delete", "add", "bind user jdoe", "bind admin ops"}
		if !slices.Equal(p.steps, want) {
			t.Errorf("steps = %q\nwant   %q", p.steps, want)
		}
		if len(p.Bindings) != 2 || !slices.Contains(p.Lines, "delete "+hwSN) || !slices.Contains(p.Lines, "set fortitoken "+hwSN) {
			t.Errorf("bindings %v lines %q", p.Bindings, p.Lines)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		for name, c := range map[string]struct {
			unit    *fakeUnit
			a       Action
			sn      string
			refused string
			suggest Action
		}{
			"mobile token cannot activate": {&fakeUnit{fakeKB: mobileNewKB()}, ActionActivate, mobSN, "FortiToken Mobile app", ActionResend},
			"read-only admin":              {&fakeUnit{fakeKB: healthyKB(), readOnly: true}, ActionActivate, hwSN, "read-only profile", ""},
			"token not on the unit":        {&fakeUnit{fakeKB: healthyKB()}, ActionActivate, "FTK200ABCDEF0999", "is not configured", ""},
		} {
			t.Run(name, func(t *testing.T) {
				e, _ := fakeEngine(t, c.unit)
				p := mustPlan(t, e, c.a, c.sn)
				if !strings.Contains(p.Refused, c.refused) || p.Suggest != c.suggest || len(p.Lines) != 0 {
					t.Errorf("refused %q suggest %q lines %q; want %q, %q", p.Refused, p.Suggest, p.Lines, c.refused, c.suggest)
				}
				if slices.ContainsFunc(c.unit.calls, func(s string) bool { return strings.HasPrefix(s, "Exec") }) {
					t.Errorf("a refused plan sent something: %v", c.unit.calls)
				}
			})
		}
	})
}

// mobileNewKB has the mobile token never provisioned (NEEDS_ACTIVATION).
func mobileNewKB() *fakeKB {
	kb := healthyKB()
	kb.info.Tokens[1].Status = parse.StatusNew
	kb.cfgs[1].HasSeed = false
	return kb
}

// Run on the fake: the capture is armed first, the planned lines are sent,
// the status is polled until it changes, and the capture is disarmed.
func TestRunVerifiesOnFake(t *testing.T) {
	u := &fakeUnit{fakeKB: healthyKB(), activateAfter: 3}
	e, tr := fakeEngine(t, u)
	p := mustPlan(t, e, ActionActivate, hwSN)
	var streamed int
	res := e.Run(context.Background(), p, func(parse.DebugLine) { streamed++ })
	if res.Outcome != OutcomeVerified || !res.Verified || !strings.Contains(res.Message, `status "active"`) {
		t.Fatalf("result = %+v", res)
	}
	if !slices.Equal(u.sent, p.Lines) || !slices.Equal(res.Lines, p.Lines) {
		t.Errorf("sent %q, result lines %q, planned %q", u.sent, res.Lines, p.Lines)
	}
	// Plan, re-plan, the recheck before the line, then at least the three
	// reads during which the activation was still running.
	if n := count(u.calls, "TokenInfo"); n < 3+4 {
		t.Errorf("TokenInfo read %d times: verification did not poll (%v)", n, u.calls)
	}
	if len(tr.streams) != 1 || tr.streams[0].closes != 1 || !slices.Equal(tr.streams[0].apps, []string{"forticldd", "fortitoken"}) {
		t.Errorf("debug streams = %+v", tr.streams)
	}
	if streamed != 1 || len(res.DebugLines) != 1 {
		t.Errorf("debug lines: streamed %d, kept %d", streamed, len(res.DebugLines))
	}
	if u.sessions != 2 || u.closed != 2 {
		t.Errorf("sessions opened %d closed %d (plan + run)", u.sessions, u.closed)
	}
}

// A status that never changes ends in OutcomeUnknown (the line was sent),
// never in a re-send.
func TestRunVerificationTimesOutUnknown(t *testing.T) {
	u := &fakeUnit{fakeKB: healthyKB(), ignore: []string{"activate"}}
	e, _ := fakeEngine(t, u)
	res := e.Run(context.Background(), mustPlan(t, e, ActionActivate, hwSN), nil)
	if res.Outcome != OutcomeUnknown || !strings.HasPrefix(res.Message, UnknownPrefix) || !strings.Contains(res.Message, `status still "new"`) {
		t.Fatalf("result = %+v", res)
	}
	if count(u.calls, "Exec activate "+hwSN) != 1 {
		t.Errorf("activate sent %d times", count(u.calls, "Exec activate "+hwSN))
	}
}

// resend (and renew) verify that a new activation code was set.
func TestRunNewCodeOnFake(t *testing.T) {
	kb := healthyKB()
	kb.info.Tokens[1].Status = parse.StatusProvisioning
	u := &fakeUnit{fakeKB: kb}
	e, tr := fakeEngine(t, u)
	res := e.Run(context.Background(), mustPlan(t, e, ActionResend, mobSN), nil)
	if res.Outcome != OutcomeVerified || !strings.Contains(res.Message, "new activation code set («redacted»)") {
		t.Fatalf("result = %+v", res)
	}
	if len(tr.streams) != 1 || !slices.Equal(tr.streams[0].apps, []string{"alertmail", "fortitoken"}) {
		t.Errorf("debug apps = %+v", tr.streams)
	}
}

// The fresh plan on the action's own session must give the same lines as
// the confirmed one; a device that changed in between gets nothing.
func TestRunRefusesDeviceChangedSincePlan(t *testing.T) {
	u := &fakeUnit{fakeKB: readdKB()}
	e, tr := fakeEngine(t, u)
	p := mustPlan(t, e, ActionReadd, hwSN)
	u.accts = append(u.accts, parseAccount("carol", hwSN)) // another admin bound the token meanwhile
	res := e.Run(context.Background(), p, nil)
	if res.Outcome != OutcomeRefused || !strings.Contains(res.Message, "nothing sent: the device changed since the plan was shown") {
		t.Fatalf("result = %+v", res)
	}
	if len(u.sent) != 0 || len(res.Lines) != 0 || len(tr.streams) != 0 {
		t.Errorf("sent %q, streams %d", u.sent, len(tr.streams))
	}
}

func parseAccount(name, sn string) parse.Account {
	return parse.Account{Name: name, Kind: parse.AccountUser, TwoFactor: "fortitoken", FortiToken: sn}
}

// Between the re-plan and the first line the capture is armed; a token
// whose status moved meanwhile is refused before anything is sent.
func TestRunRechecksBeforeFirstLine(t *testing.T) {
	u := &fakeUnit{fakeKB: healthyKB()}
	e, tr := fakeEngine(t, u)
	p := mustPlan(t, e, ActionActivate, hwSN)
	tr.onArm = func() { u.setStatus(hwSN, parse.StatusActive) } // the GUI activated it
	res := e.Run(context.Background(), p, nil)
	if res.Outcome != OutcomeRefused || !strings.Contains(res.Message, "nothing sent: the token changed since the plan") {
		t.Fatalf("result = %+v", res)
	}
	if len(u.sent) != 0 || tr.streams[0].closes != 1 {
		t.Errorf("sent %q; capture closed %d times", u.sent, tr.streams[0].closes)
	}
}

// OutcomeFailed only while nothing was sent: a step refused before its
// lines fails; a CLI error once the lines went out is unknown.
func TestRunOutcomeUnknownOnceSent(t *testing.T) {
	t.Run("nothing sent", func(t *testing.T) {
		u := &fakeUnit{fakeKB: healthyKB()}
		e, _ := fakeEngine(t, u)
		e.beforeStep = func(string) error { return errWire }
		res := e.Run(context.Background(), mustPlan(t, e, ActionActivate, hwSN), nil)
		if res.Outcome != OutcomeFailed || strings.HasPrefix(res.Message, UnknownPrefix) || len(u.sent) != 0 {
			t.Fatalf("result = %+v, sent %q", res, u.sent)
		}
	})
	t.Run("line sent", func(t *testing.T) {
		u := &fakeUnit{fakeKB: healthyKB(), execErr: map[string]error{"activate": errWire}}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionActivate, hwSN), nil)
		if res.Outcome != OutcomeUnknown || !strings.HasPrefix(res.Message, UnknownPrefix+"activate: injected CLI failure") {
			t.Fatalf("result = %+v", res)
		}
		if !strings.Contains(lastAudit(t, e), `"outcome":"unknown"`) {
			t.Errorf("audit: %s", lastAudit(t, e))
		}
	})
	t.Run("no connection", func(t *testing.T) {
		u := &fakeUnit{fakeKB: healthyKB()}
		e, tr := fakeEngine(t, u)
		p := mustPlan(t, e, ActionActivate, hwSN)
		tr.dialErr = errors.New("connection refused")
		res := e.Run(context.Background(), p, nil)
		if res.Outcome != OutcomeFailed || res.Message != "nothing sent: connection refused" {
			t.Fatalf("result = %+v", res)
		}
	})
}

func lastAudit(t *testing.T, e *Engine) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(readAudit(t, e)), "\n")
	return lines[len(lines)-1]
}

// A bind failing after delete and add: the rollback rebinds from what the
// unit holds now, and the result says what it did and where things stand.
func TestReaddRollbackOnFake(t *testing.T) {
	t.Run("rebinds", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), execErr: map[string]error{"bind admin ops": errWire}}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionReadd, hwSN), nil)
		if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "readd failed at bind admin ops: injected CLI failure; rolled back: rebind admin ops") {
			t.Fatalf("result = %+v", res)
		}
		if !strings.Contains(res.DeviceState, "bindings as before: user jdoe, admin ops") {
			t.Errorf("device state = %q", res.DeviceState)
		}
		if count(u.calls, "Exec bind admin ops to "+hwSN) != 2 || count(u.calls, "Exec add "+hwSN) != 1 {
			t.Errorf("calls = %v", u.calls)
		}
	})
	t.Run("re-adds a deleted token", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), execErr: map[string]error{"add": errWire}, ignore: nil}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionReadd, hwSN), nil)
		if !strings.Contains(res.Message, "rolled back: re-add "+hwSN+", rebind user jdoe, rebind admin ops") {
			t.Fatalf("result = %+v", res)
		}
	})
	t.Run("missing bindings are reported", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), execErr: map[string]error{"bind admin ops": errWire}, sticky: true}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionReadd, hwSN), nil)
		if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "ROLLBACK INCOMPLETE: rebind admin ops failed") {
			t.Fatalf("result = %+v", res)
		}
		if res.DeviceState != "token "+hwSN+" present; NOT bound any more: admin ops" {
			t.Errorf("device state = %q", res.DeviceState)
		}
		if !strings.Contains(lastAudit(t, e), "device state: token "+hwSN+" present; NOT bound any more") {
			t.Errorf("audit: %s", lastAudit(t, e))
		}
	})
	t.Run("a bind the unit dropped is reported after success", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), ignore: []string{"bind user jdoe"}}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionReadd, hwSN), nil)
		if res.Outcome != OutcomeUnknown || res.DeviceState != "token "+hwSN+" re-added; NOT rebound: user jdoe" {
			t.Fatalf("result = %+v", res)
		}
	})
	t.Run("verified", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), activateAfter: 2}
		e, _ := fakeEngine(t, u)
		res := e.Run(context.Background(), mustPlan(t, e, ActionReadd, hwSN), nil)
		if res.Outcome != OutcomeVerified || res.Message != hwSN+` re-added: status "active"; bindings restored: user jdoe, admin ops` {
			t.Fatalf("result = %+v", res)
		}
	})
}

// The rule book's table comes from the registry's Fixes; this is the table
// it replaced, preferences included.
func TestFitsFromRegistry(t *testing.T) {
	want := map[fitKey][]Action{
		{CodeNeedsActivation, parse.TokenKindHardware}: {ActionActivate},
		{CodeNeedsActivation, parse.TokenKindMobile}:   {ActionResend},
		{CodeDeleteReadd, parse.TokenKindHardware}:     {ActionReadd},
		{CodeDeleteReadd, parse.TokenKindMobile}:       {ActionReadd, ActionRenew},
		{CodeNotInFortiGuard, parse.TokenKindHardware}: {ActionActivate},
		{CodeNotInFortiGuard, parse.TokenKindMobile}:   {ActionRenew},
		{CodePending, parse.TokenKindMobile}:           {ActionResend},
		{CodeProvisionTimeout, parse.TokenKindMobile}:  {ActionRenew, ActionResend},
		{CodeLocked, parse.TokenKindMobile}:            {ActionRenew},
	}
	if !maps.EqualFunc(fits, want, slices.Equal) {
		t.Errorf("fits = %v\nwant   %v", fits, want)
	}
	if !slices.Equal(TokenActions, []Action{ActionActivate, ActionReadd, ActionResend, ActionRenew}) {
		t.Errorf("TokenActions = %v", TokenActions)
	}
	for _, s := range TokenActionSpecs() {
		if s.Help == "" || s.Label == "" || s.Key == "" || len(s.DebugApps) == 0 || s.scripts == nil || s.run == nil || !s.Mutating {
			t.Errorf("incomplete registry row %+v", s)
		}
	}
	if ActionRefresh.Mutating() || !Action("bogus").Mutating() {
		t.Error("refresh must be read-only and an unknown action mutating")
	}
}

// A connection lost midway through a readd: the rollback reconnects through
// the transport, or says it could not and which steps the unit confirmed.
func TestReaddRollbackReconnectsOnFake(t *testing.T) {
	lost := fmt.Errorf("link down: %w", device.ErrConnLost)
	t.Run("reconnects", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB(), execErr: map[string]error{"bind admin ops": lost}}
		e, tr := fakeEngine(t, u)
		p := mustPlan(t, e, ActionReadd, hwSN)
		before := tr.dials
		res := e.Run(context.Background(), p, nil)
		if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "rolled back: reconnected, rebind admin ops") {
			t.Fatalf("result = %+v", res)
		}
		if tr.dials != before+2 || u.sessions != 3 || u.closed != 3 { // the run's connection and the rollback's
			t.Errorf("dials %d (before run %d), sessions %d, closed %d", tr.dials, before, u.sessions, u.closed)
		}
	})
	t.Run("cannot reconnect", func(t *testing.T) {
		u := &fakeUnit{fakeKB: readdKB()}
		e, tr := fakeEngine(t, u)
		p := mustPlan(t, e, ActionReadd, hwSN)
		e.beforeStep = func(step string) error {
			if step == "bind admin ops" {
				tr.dialErr = errors.New("no route to host")
				return lost
			}
			return nil
		}
		res := e.Run(context.Background(), p, nil)
		want := "ROLLBACK NOT POSSIBLE: reconnecting to restore: no route to host"
		if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, want) ||
			!strings.Contains(res.DeviceState, "steps confirmed by the device: unbind user jdoe, unbind admin ops, delete, add, bind user jdoe") {
			t.Fatalf("result = %+v", res)
		}
	})
}

// An action on a unit whose debug the admin already watches reuses that
// capture: no second arm (whose reset would end the watched one), and the
// owner's tail stays armed after the action.
func TestRunReusesOpenDebugTailOnFake(t *testing.T) {
	u := &fakeUnit{fakeKB: healthyKB()}
	e, tr := fakeEngine(t, u)
	tail, err := e.Debug(context.Background(), "paris-fw1", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = tail.Close()
		for range tail.Lines() { // the pump ends once the stream is closed
		}
	}()
	p := mustPlan(t, e, ActionActivate, hwSN)
	if !slices.ContainsFunc(p.Warnings, func(w string) bool { return strings.Contains(w, "is reused by the action") }) {
		t.Errorf("warnings = %q", p.Warnings)
	}
	res := e.Run(context.Background(), p, nil)
	if res.Outcome != OutcomeVerified {
		t.Fatalf("result = %+v", res)
	}
	if len(tr.streams) != 1 || tr.streams[0].closes != 0 {
		t.Errorf("streams %d, the tail closed %d times by the action", len(tr.streams), tr.streams[0].closes)
	}
	if !strings.Contains(readAudit(t, e), "reuse the debug capture already open (forticldd,fortitoken,alertmail)") {
		t.Errorf("audit does not record the reuse:\n%s", readAudit(t, e))
	}
}
