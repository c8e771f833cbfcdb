package fleet

import (
	"context"
	"fmt"
	"slices"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// Action outcomes.
const (
	OutcomeVerified = "verified"
	OutcomeFailed   = "failed" // only when nothing was sent
	OutcomeRefused  = "refused"
	// OutcomeUnknown: a mutation line was written and verification did
	// not confirm it; the device may have done it (never retry blindly).
	OutcomeUnknown = "unknown"
)

// UnknownPrefix opens the message of every OutcomeUnknown result.
const UnknownPrefix = "sent, outcome unknown — re-scan before retrying: "

// ActionRequest asks for one action on one token (Token is empty for refresh).
type ActionRequest struct {
	Action Action `json:"action"`
	Device string `json:"device"`
	Token  string `json:"token,omitempty"`
	Force  bool   `json:"force,omitempty"` // act on FortiManager-managed units / with FortiGuard unreachable
}

// String names the request for messages: "activate FTK… on paris-fw1".
func (r ActionRequest) String() string {
	if r.Token == "" {
		return fmt.Sprintf("%s %s", r.Action, r.Device)
	}
	return fmt.Sprintf("%s %s on %s", r.Action, r.Token, r.Device)
}

// Plan is what an action would do, shown before confirmation.
type Plan struct {
	Request ActionRequest
	Lines   []string // exactly the CLI lines Run will send (debug-stream lines aside)
	// DebugArm and DebugDisarm are the lines the debug capture sends on its
	// own session before the action and after it, whatever happens.
	DebugArm, DebugDisarm []string
	Warnings              []string
	Refused               string // non-empty: the action will not run, and why
	Advice                string // what to do instead / next, in plain words
	Suggest               Action // refused: the rule book's action that fits the token instead ("" none)
	Before                *DeviceResult
	Token                 *TokenResult    // the token as diagnosed at plan time
	Bindings              []parse.Account // readd: the accounts that hold the token
	scripts               []device.Script // the scripts behind Lines, in order
	steps                 []string        // human label of each script
	facts                 Facts           // what the fresh scan read
}

// ActionResult is the outcome of Run.
type ActionResult struct {
	Request     ActionRequest     `json:"request"`
	Verified    bool              `json:"verified"`
	Outcome     string            `json:"outcome"` // verified | failed | refused | unknown
	Message     string            `json:"message"`
	DebugLines  []parse.DebugLine `json:"-"`
	DeviceState string            `json:"device_state,omitempty"` // what the device looks like now, after a failure
	Lines       []string          `json:"lines,omitempty"`        // lines actually sent
	After       *DeviceResult     `json:"-"`
}

func refused(req ActionRequest, why, advice string) *Plan {
	return &Plan{Request: req, Refused: why, Advice: advice}
}

// Plan connects, rescans the device and returns the exact lines the action
// would send, or why it is refused. The checks always run on fresh data,
// since a plan must match the device now.
func (e *Engine) Plan(ctx context.Context, req ActionRequest) (*Plan, error) {
	if e.ReadOnly && req.Action.Mutating() {
		return refused(req, "read-only mode (--read-only): no action can be sent", ""), nil
	}
	if err := validateRequest(req); err != nil {
		return nil, err
	}
	d, err := e.device(req.Device)
	if err != nil {
		return nil, err
	}
	if req.Action == ActionRefresh {
		return &Plan{Request: req}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, e.deviceTimeout())
	defer cancel()
	sess, closeSess, err := e.openSession(ctx, d)
	if err != nil {
		return nil, fmt.Errorf("planning %s: %w", req, err)
	}
	defer closeSess()
	sess.SetTranscript(e.transcript("plan:"+string(req.Action), req.Token, false))
	return e.planOn(ctx, sess, d, req)
}

func validateRequest(req ActionRequest) error {
	s, ok := req.Action.Spec()
	switch {
	case !ok:
		return fmt.Errorf("unknown action %q (want %s): %w", req.Action, actionNames(), device.ErrInvalidInput)
	case s.Token && !parse.ValidSerial(req.Token):
		return fmt.Errorf("%s: token serial %q is not valid (want FTK + 13 letters/digits): %w", req.Action, req.Token, device.ErrInvalidInput)
	}
	return nil
}

// planOn builds the plan on an open session after a fresh scan.
func (e *Engine) planOn(ctx context.Context, sess ActionSession, d inventory.Device, req ActionRequest) (*Plan, error) {
	r := newResult(d)
	r.Reachable = true
	f, err := e.readDevice(ctx, sess, d, &r, nil)
	if err != nil {
		return nil, fmt.Errorf("planning %s: scanning the device: %w", req, err)
	}
	p := &Plan{Request: req, Before: &r, facts: f}
	if sess.ReadOnly() {
		p.Refused = "the admin account has a read-only profile ($ prompt): it cannot change tokens"
		p.Advice = "use an account with a read-write admin profile for this device"
		return p, nil
	}
	for i := range r.Tokens {
		if r.Tokens[i].Serial == req.Token {
			t := r.Tokens[i]
			p.Token = &t
		}
	}
	if p.Token == nil {
		p.Refused = fmt.Sprintf("token %s is not configured on %s", req.Token, d.Name)
		return p, nil
	}
	if v := Check(req.Action, &r, p.Token, Gate{Force: req.Force}); !v.Eligible() {
		p.Refused, p.Advice, p.Suggest = v.Reason, v.Advice, v.Suggest
		return p, nil
	}
	if err := e.buildScripts(sess, p); err != nil {
		return nil, fmt.Errorf("planning %s: %w", req, err)
	}
	if p.Token.Kind == parse.TokenKindHardware && specOf(req.Action).Activates {
		p.Warnings = append(p.Warnings, "FortiToken-200 hardware tokens are locked at FortiGuard on first activation (one-time activation lock): "+
			"if this activation fails, the debug capture armed before it is the only record of why")
	}
	switch {
	case liveTail(d, debugApps(req.Action)) != nil:
		p.Warnings = append(p.Warnings, "the debug capture already open on this device is reused by the action (no second capture, "+
			"no `diagnose debug reset` ending the one you watch); it stays armed until you close it")
	case debuggingNow(d):
		p.Warnings = append(p.Warnings, "a debug capture is already open on this device: the action's own capture ends with "+
			"`diagnose debug reset`, which is device-wide, so the open capture stops receiving lines afterwards (reopen it)")
	}
	if req.Force && (has(r, CodeFMGManaged) || has(r, CodeFortiGuardUnreachable) || has(r, CodeTokenServerUnreachable)) {
		p.Warnings = append(p.Warnings, "forced despite: "+findingCodes(r))
	}
	return p, nil
}

func has(r DeviceResult, c Code) bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Code == c && f.Token == "" })
}
