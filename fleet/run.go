package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet/devlock"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// debugCloseTimeout bounds disarming the debug stream after an action.
const debugCloseTimeout = 20 * time.Second

// DefaultLockWait bounds the wait for another process's device lock.
const DefaultLockWait = 30 * time.Second

func (e *Engine) lockWait() time.Duration {
	if e.LockWait > 0 {
		return e.LockWait
	}
	return DefaultLockWait
}

// debugApps is what each action arms before sending anything.
func debugApps(a Action) []string {
	switch a {
	case ActionResend, ActionRenew:
		return []string{"alertmail", "fortitoken"}
	}
	return []string{"forticldd", "fortitoken"}
}

// Run executes a plan: it reconnects, checks the device still matches the
// plan, arms debug, sends the lines, verifies, and always disarms debug.
// debug (may be nil) receives every captured debug line as it arrives.
func (e *Engine) Run(ctx context.Context, p *Plan, debug func(parse.DebugLine)) ActionResult {
	req := p.Request
	res := ActionResult{Request: req}
	finish := func(outcome, msg string) ActionResult {
		if len(res.Lines) > 0 && outcome != OutcomeVerified {
			// Once a mutation line is written nothing but verification
			// can say it failed: the device may have done it anyway.
			outcome = OutcomeUnknown
			if !strings.HasPrefix(msg, UnknownPrefix) {
				msg = UnknownPrefix + msg
			}
		}
		res.Outcome, res.Message = outcome, redact(msg)
		res.Verified = outcome == OutcomeVerified
		ent := AuditEntry{Device: req.Device, Action: string(req.Action), Token: req.Token, Outcome: outcome,
			Error: res.Message, Mutating: req.Action.Mutating()}
		if res.Verified { // success text is not an error
			ent.Message, ent.Error = ent.Error, ""
		}
		if res.DeviceState != "" && !strings.Contains(ent.Error, res.DeviceState) {
			ent.Error += " | device state: " + res.DeviceState
		}
		_ = e.Audit.Write(ent)
		return res
	}
	if p.Refused != "" {
		msg := p.Refused
		if p.Advice != "" {
			msg += "; " + p.Advice
		}
		return finish(OutcomeRefused, msg)
	}
	if e.ReadOnly && req.Action.Mutating() {
		return finish(OutcomeRefused, "read-only mode (--read-only): no action can be sent")
	}
	if err := validateRequest(req); err != nil {
		return finish(OutcomeRefused, err.Error())
	}
	d, err := e.device(req.Device)
	if err != nil {
		return finish(OutcomeFailed, err.Error())
	}
	if req.Action == ActionRefresh {
		r := e.ScanDevice(ctx, d)
		res.After = &r
		if !r.Reachable || r.Error != "" {
			return finish(OutcomeFailed, "rescan failed: "+r.Error)
		}
		return finish(OutcomeVerified, fmt.Sprintf("rescanned: %d tokens, %s", len(r.Tokens), orDash(findingCodes(r))))
	}

	// Every ftktui process on this machine takes the device's lock from the
	// fresh plan to the end of verification and disarm: two of them must
	// never both send a one-time activation.
	lk, err := devlock.Acquire(ctx, "", debugKey(d), req.String(), e.lockWait())
	if err != nil {
		return finish(OutcomeRefused, "nothing sent: "+err.Error())
	}
	defer func() { _ = lk.Release() }()

	ctx, cancel := context.WithTimeout(ctx, e.deviceTimeout()+e.verifyTimeout())
	defer cancel()
	cl, err := e.dial(ctx, d)
	if err != nil {
		return finish(OutcomeFailed, "nothing sent: "+err.Error())
	}
	defer cl.Close()
	sess, err := cl.Open(ctx)
	if err != nil {
		return finish(OutcomeFailed, "nothing sent: "+err.Error())
	}
	defer sess.Close()
	sess.SetTranscript(e.transcript(string(req.Action), req.Token, false))
	fresh, err := e.planOn(ctx, sess, d, req)
	if err != nil {
		return finish(OutcomeFailed, "nothing sent: "+err.Error())
	}
	if fresh.Refused != "" {
		return finish(OutcomeRefused, "nothing sent: "+fresh.Refused)
	}
	if !slices.Equal(fresh.Lines, p.Lines) {
		return finish(OutcomeRefused, "nothing sent: the device changed since the plan was shown (the lines to send differ); review the new plan")
	}
	sess.SetTranscript(e.transcript(string(req.Action), req.Token, true))
	_ = e.Audit.Write(AuditEntry{Device: req.Device, Action: string(req.Action), Token: req.Token, Outcome: "start",
		Line: fmt.Sprintf("%d lines planned", len(p.Lines)), Mutating: true})

	// Arm the capture before the first byte of the action: a FortiToken-200
	// activation happens once, so the capture must already be running.
	capture, err := e.startCapture(ctx, d, req, debug)
	if err != nil {
		return finish(OutcomeFailed, "nothing sent: could not arm the debug capture first: "+err.Error())
	}

	x := &actionRun{e: e, d: d, sess: sess, plan: fresh, res: &res}
	outcome, msg := x.execute(ctx)
	x.closeReconnected()
	// The capture is the only record of a one-time activation: if another
	// session reset debug meanwhile (device-wide), the result must say so.
	reset := capture.wasReset(ctx, len(res.Lines) > 0)
	capture.stop()
	if reset {
		msg += "; the debug capture was reset by another session during the action (`diagnose debug reset` is device-wide): lines after that are missing"
	}
	res.DebugLines = capture.lines()
	if outcome != OutcomeVerified {
		if why := debugErrors(res.DebugLines); why != "" {
			msg += "; debug: " + why
		}
	}
	return finish(outcome, msg)
}

func orDash(s string) string {
	if s == "" {
		return "no findings"
	}
	return s
}

// debugErrors summarises the error lines of a capture (last few, redacted).
func debugErrors(lines []parse.DebugLine) string {
	var errs []string
	for _, l := range lines {
		if l.IsError {
			errs = append(errs, strings.TrimSpace(l.Message))
		}
	}
	if len(errs) > 3 {
		errs = errs[len(errs)-3:]
	}
	return redact(strings.Join(errs, " | "))
}

// actionRun is one action in progress on an open session.
type actionRun struct {
	e    *Engine
	d    inventory.Device
	sess *device.Session
	plan *Plan
	res  *ActionResult
	// done lists the steps the device confirmed, in order.
	done []string
	// reconnected closes the session (and its client) a rollback opened
	// after the action's own connection died; nil when none was needed.
	reconnected func()
}

// exec sends script i (after the test hook), recording the lines sent.
func (x *actionRun) exec(ctx context.Context, i int) error {
	step := x.plan.steps[i]
	if x.e.beforeStep != nil {
		if err := x.e.beforeStep(step); err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
	}
	lines := x.sess.Lines(x.plan.scripts[i])
	if len(x.done) > 0 && oneShot(lines) {
		if err := x.recheck(ctx); err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
	}
	x.res.Lines = append(x.res.Lines, lines...)
	if _, err := x.sess.Exec(ctx, x.plan.scripts[i]); err != nil {
		return fmt.Errorf("%s: %w", step, err)
	}
	x.done = append(x.done, step)
	return nil
}

func (x *actionRun) execute(ctx context.Context) (string, string) {
	sn := x.plan.Request.Token
	// The capture was armed since the plan: look at the token once more,
	// on this session, right before the first line that changes anything.
	if err := x.recheck(ctx); err != nil {
		if errors.Is(err, errChangedSincePlan) {
			return OutcomeRefused, "nothing sent: " + err.Error()
		}
		return OutcomeFailed, "nothing sent: " + err.Error()
	}
	switch x.plan.Request.Action {
	case ActionActivate:
		if err := x.exec(ctx, 0); err != nil {
			return OutcomeFailed, err.Error()
		}
		return x.verifyStatus(ctx, x.plan.Token.Status, func(s string) bool { return s == parse.StatusActive })
	case ActionResend, ActionRenew:
		before := tokenConfig(x.plan.facts.TokenConfigs, sn)
		if err := x.exec(ctx, 0); err != nil {
			return OutcomeFailed, err.Error()
		}
		return x.verifyNewCode(ctx, before)
	case ActionReadd:
		return x.readd(ctx)
	}
	return OutcomeFailed, "unknown action"
}

func tokenConfig(cfgs []parse.TokenConfig, sn string) parse.TokenConfig {
	for _, c := range cfgs {
		if c.Serial == sn {
			return c
		}
	}
	return parse.TokenConfig{Serial: sn}
}

var errVerifyTimeout = errors.New("verification timed out")

// poll calls check every PollInterval until it reports done, ctx ends or
// VerifyTimeout passes.
func (x *actionRun) poll(ctx context.Context, check func() (bool, error)) error {
	deadline := time.NewTimer(x.e.verifyTimeout())
	defer deadline.Stop()
	tick := time.NewTicker(x.e.pollInterval())
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return errVerifyTimeout
		case <-tick.C:
		}
		done, err := check()
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// verifyStatus polls `diagnose fortitoken info SN` until the status leaves
// before; success when ok(new status). It never re-sends anything.
func (x *actionRun) verifyStatus(ctx context.Context, before string, ok func(string) bool) (string, string) {
	sn := x.plan.Request.Token
	status := before
	err := x.poll(ctx, func() (bool, error) {
		ti, err := x.sess.TokenInfo(ctx, sn)
		if err != nil {
			return false, err
		}
		for _, r := range ti.Tokens {
			if r.Serial == sn {
				status = r.Status
			}
		}
		return status != before && status != "", nil
	})
	switch {
	case errors.Is(err, context.Canceled):
		return OutcomeFailed, fmt.Sprintf("sent; interrupted before the status changed (still %q): the action may complete on the device; refresh later, do not send it again blindly", status)
	case err != nil && !errors.Is(err, errVerifyTimeout):
		return OutcomeFailed, fmt.Sprintf("sent, but verification failed: %v", err)
	case err != nil:
		return OutcomeFailed, fmt.Sprintf("sent; status still %q after %s (activation is asynchronous: refresh later; nothing is re-sent automatically)", status, x.e.verifyTimeout())
	case !ok(status):
		return OutcomeFailed, fmt.Sprintf("sent; status is now %q", status)
	}
	msg := fmt.Sprintf("%s: status %q", sn, status)
	if x.plan.Token.Kind == parse.TokenKindHardware {
		cfgs, err := x.sess.TokenConfig(ctx)
		if err == nil && tokenConfig(cfgs, sn).HasSeed {
			msg += ", seed in config"
		}
	}
	return OutcomeVerified, msg
}

// verifyNewCode polls the token config until a new activation code or
// expiry is set (the code itself is never reported).
func (x *actionRun) verifyNewCode(ctx context.Context, before parse.TokenConfig) (string, string) {
	sn := x.plan.Request.Token
	var now parse.TokenConfig
	err := x.poll(ctx, func() (bool, error) {
		cfgs, err := x.sess.TokenConfig(ctx)
		if err != nil {
			return false, err
		}
		now = tokenConfig(cfgs, sn)
		changed := now.ActivationExpire != before.ActivationExpire || now.ActivationCode != before.ActivationCode
		return changed && now.ActivationCode != "", nil
	})
	switch {
	case errors.Is(err, context.Canceled):
		return OutcomeFailed, "sent; interrupted before a new activation code was seen: the provisioning may complete on the device; refresh later, do not send it again blindly"
	case errors.Is(err, errVerifyTimeout):
		return OutcomeFailed, fmt.Sprintf("sent; no new activation code was set within %s", x.e.verifyTimeout())
	case err != nil:
		return OutcomeFailed, fmt.Sprintf("sent, but verification failed: %v", err)
	}
	exp := "no expiry"
	if now.ActivationExpire > 0 {
		exp = "expires " + time.Unix(now.ActivationExpire, 0).UTC().Format(time.RFC3339)
	}
	return OutcomeVerified, fmt.Sprintf("%s: new activation code set («redacted»), %s", sn, exp)
}

// auditDebug records the outcome of arming/disarming the debug stream (its
// individual lines reach the audit log through DebugOptions.Transcript).
func (e *Engine) auditDebug(req ActionRequest, what string, err error) {
	ent := AuditEntry{Device: req.Device, Action: string(req.Action), Token: req.Token, Line: "debug stream: " + what,
		Outcome: "ok", Mutating: true}
	if err != nil {
		ent.Outcome, ent.Error = "error", err.Error()
	}
	_ = e.Audit.Write(ent)
}
