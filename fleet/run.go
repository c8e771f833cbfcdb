package fleet

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

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

// Run executes a plan: it reconnects, checks the device still matches the
// plan, arms debug, sends the lines, verifies, and always disarms debug.
// debug (may be nil) receives every captured debug line as it arrives.
func (e *Engine) Run(ctx context.Context, p *Plan, debug func(parse.DebugLine)) ActionResult {
	req := p.Request
	l := &runLog{e: e, res: ActionResult{Request: req}}
	if why := e.refusal(p); why != "" {
		return l.finish(OutcomeRefused, why)
	}
	d, err := e.device(req.Device)
	if err != nil {
		return l.finish(OutcomeFailed, err.Error())
	}
	if req.Action == ActionRefresh {
		return e.refresh(ctx, d, l)
	}

	// Every ftktui process on this machine takes the device's lock from the
	// fresh plan to the end of verification and disarm: two of them must
	// never both send a one-time activation.
	lk, err := devlock.Acquire(ctx, "", debugKey(d), req.String(), e.lockWait())
	if err != nil {
		return l.finish(OutcomeRefused, "nothing sent: "+err.Error())
	}
	defer func() { _ = lk.Release() }()

	ctx, cancel := context.WithTimeout(ctx, e.deviceTimeout()+e.verifyTimeout())
	defer cancel()
	sess, closeSess, err := e.openSession(ctx, d)
	if err != nil {
		return l.finish(OutcomeFailed, "nothing sent: "+err.Error())
	}
	defer closeSess()
	sess.SetTranscript(e.transcript(string(req.Action), req.Token, false))
	fresh, outcome, why := e.replan(ctx, sess, d, p)
	if fresh == nil {
		return l.finish(outcome, why)
	}
	sess.SetTranscript(e.transcript(string(req.Action), req.Token, true))
	_ = e.Audit.Write(AuditEntry{Device: req.Device, Action: string(req.Action), Token: req.Token, Outcome: "start",
		Line: fmt.Sprintf("%d lines planned", len(p.Lines)), Mutating: true})

	// Arm the capture before the first byte of the action: a FortiToken-200
	// activation happens once, so the capture must already be running.
	capture, err := e.startCapture(ctx, d, req, debug)
	if err != nil {
		return l.finish(OutcomeFailed, "nothing sent: could not arm the debug capture first: "+err.Error())
	}
	x := &actionRun{e: e, d: d, sess: sess, plan: fresh, res: &l.res}
	outcome, msg := x.execute(ctx)
	x.closeReconnected()
	return l.finish(outcome, x.endCapture(ctx, capture, outcome, msg))
}

// runLog is the result of one Run and the audit entry that ends it.
type runLog struct {
	e   *Engine
	res ActionResult
}

// finish sets the outcome and writes the audit entry. Once a mutation line
// is written nothing but verification can say it failed: the device may
// have done it anyway, so the outcome becomes OutcomeUnknown.
func (l *runLog) finish(outcome, msg string) ActionResult {
	res, req := &l.res, l.res.Request
	if len(res.Lines) > 0 && outcome != OutcomeVerified {
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
	_ = l.e.Audit.Write(ent)
	return *res
}

// refusal is why p must not run at all ("" = it may).
func (e *Engine) refusal(p *Plan) string {
	req := p.Request
	if p.Refused != "" {
		msg := p.Refused
		if p.Advice != "" {
			msg += "; " + p.Advice
		}
		return msg
	}
	if e.ReadOnly && req.Action.Mutating() {
		return "read-only mode (--read-only): no action can be sent"
	}
	if err := validateRequest(req); err != nil {
		return err.Error()
	}
	return ""
}

// refresh is the refresh action: a rescan of the device.
func (e *Engine) refresh(ctx context.Context, d inventory.Device, l *runLog) ActionResult {
	r := e.ScanDevice(ctx, d)
	l.res.After = &r
	if !r.Reachable || r.Error != "" {
		return l.finish(OutcomeFailed, "rescan failed: "+r.Error)
	}
	return l.finish(OutcomeVerified, fmt.Sprintf("rescanned: %d tokens, %s", len(r.Tokens), orDash(findingCodes(r))))
}

// replan plans again on the action's own session; a nil plan comes with
// the outcome and message that end the run (nothing was sent).
func (e *Engine) replan(ctx context.Context, sess ActionSession, d inventory.Device, p *Plan) (*Plan, string, string) {
	fresh, err := e.planOn(ctx, sess, d, p.Request)
	switch {
	case err != nil:
		return nil, OutcomeFailed, "nothing sent: " + err.Error()
	case fresh.Refused != "":
		return nil, OutcomeRefused, "nothing sent: " + fresh.Refused
	case !slices.Equal(fresh.Lines, p.Lines):
		return nil, OutcomeRefused, "nothing sent: the device changed since the plan was shown (the lines to send differ); review the new plan"
	}
	return fresh, "", ""
}

// endCapture stops the action's capture, keeps its lines in the result and
// adds to msg what the capture says. The capture is the only record of a
// one-time activation: if another session reset debug meanwhile
// (device-wide), the result must say so.
func (x *actionRun) endCapture(ctx context.Context, c *runningCapture, outcome, msg string) string {
	reset := c.wasReset(ctx, len(x.res.Lines) > 0)
	c.stop()
	if reset {
		msg += "; the debug capture was reset by another session during the action (`diagnose debug reset` is device-wide): lines after that are missing"
	}
	x.res.DebugLines = c.lines()
	if outcome != OutcomeVerified {
		if why := debugErrors(x.res.DebugLines); why != "" {
			msg += "; debug: " + why
		}
	}
	return msg
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
