package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
)

// rollbackTimeout bounds the restore after a failed readd; it runs even
// when the caller's context is already cancelled.
const rollbackTimeout = 60 * time.Second

// readd runs KB steps 3a/5a: unbind, delete, re-add, rebind, verify. On a
// failure midway it restores what it removed and says what state the
// device is in.
func (x *actionRun) readd(ctx context.Context) (string, string) {
	p := x.plan
	// Unbind, delete, add, bind, in the plan's order.
	for i := range p.scripts {
		if err := x.exec(ctx, i); err != nil {
			return x.rollback(ctx, err)
		}
	}
	// FortiOS starts the activation of a re-added token itself (KB 5a says
	// skip the explicit activate), so only poll.
	sn := p.Request.Token
	status, err := x.pollStatus(ctx, "", func(s string) bool { return s != "" && s != parse.StatusNew })
	missing, berr := x.missingBindings(ctx)
	bound := "bindings restored: " + orNobody(labels(p.Bindings))
	if berr != nil {
		bound = "bindings could not be re-read: " + berr.Error()
	} else if len(missing) > 0 {
		bound = "NOT rebound: " + strings.Join(labels(missing), ", ")
		x.res.DeviceState = fmt.Sprintf("token %s re-added; %s", sn, bound)
	}
	switch {
	case errors.Is(err, errVerifyTimeout):
		return OutcomeFailed, fmt.Sprintf("re-added; status still %q after %s; %s", status, x.e.verifyTimeout(), bound)
	case err != nil:
		return OutcomeFailed, fmt.Sprintf("re-added, but verification failed: %v; %s", err, bound)
	}
	good := status == parse.StatusActive || (p.Token.Kind == parse.TokenKindMobile &&
		(status == parse.StatusProvisioning || status == parse.StatusProvisioned))
	if !good || len(missing) > 0 || berr != nil {
		return OutcomeFailed, fmt.Sprintf("re-added; status %q; %s", status, bound)
	}
	return OutcomeVerified, fmt.Sprintf("%s re-added: status %q; %s", sn, status, bound)
}

func labels(accts []parse.Account) []string {
	out := make([]string, len(accts))
	for i, a := range accts {
		out[i] = accountLabel(a)
	}
	return out
}

func orNobody(s []string) string {
	if len(s) == 0 {
		return "none were bound"
	}
	return strings.Join(s, ", ")
}

// missingBindings lists the planned bindings the device no longer has.
func (x *actionRun) missingBindings(ctx context.Context) ([]parse.Account, error) {
	accts, err := x.sess.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	now := bindings(accts, x.plan.Request.Token)
	var missing []parse.Account
	for _, a := range x.plan.Bindings {
		if !slices.ContainsFunc(now, func(b parse.Account) bool { return b.Name == a.Name && b.Kind == a.Kind }) {
			missing = append(missing, a)
		}
	}
	return missing, nil
}

// rollback restores the token and its bindings from what the device holds
// now (not from which step failed: a failed step may have half-applied),
// then reports the cause and the resulting state.
func (x *actionRun) rollback(ctx context.Context, cause error) (string, string) {
	sn := x.plan.Request.Token
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), rollbackTimeout)
	defer cancel()
	var notes, problems []string
	// A lost connection (or a timed-out, now unusable session) cannot carry
	// the restore: open a fresh one, or the token stays deleted and its
	// accounts unbound with nobody told what to do.
	if fatal(cause) {
		if err := x.reconnect(rctx); err != nil {
			x.res.DeviceState = x.unreachableState(err)
			return OutcomeFailed, fmt.Sprintf("readd failed at %v; ROLLBACK NOT POSSIBLE: %v; device state: %s", cause, err, x.res.DeviceState)
		}
		notes = append(notes, "reconnected")
	}
	step := func(name string, sc device.Script, err error) bool {
		if err == nil && x.e.beforeStep != nil {
			err = x.e.beforeStep("rollback " + name)
		}
		if err == nil {
			x.res.Lines = append(x.res.Lines, x.sess.Lines(sc)...)
			_, err = x.sess.Exec(rctx, sc)
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s failed: %v", name, err))
			return false
		}
		notes = append(notes, name)
		return true
	}
	present := true
	if cfgs, err := x.sess.TokenConfig(rctx); err != nil {
		problems = append(problems, "could not re-read the token config: "+err.Error())
	} else if !slices.ContainsFunc(cfgs, func(c parse.TokenConfig) bool { return c.Serial == sn }) {
		sc, err := device.AddToken(sn)
		present = step("re-add "+sn, sc, err)
	}
	if present {
		missing, err := x.missingBindings(rctx)
		if err != nil {
			problems = append(problems, "could not re-read users and admins: "+err.Error())
		}
		for _, a := range missing {
			sc, err := device.Bind(a, sn)
			step("rebind "+accountLabel(a), sc, err)
		}
	}
	x.res.DeviceState = x.describe(rctx)
	msg := fmt.Sprintf("readd failed at %v", cause)
	if len(notes) > 0 {
		msg += "; rolled back: " + strings.Join(notes, ", ")
	}
	if len(problems) > 0 {
		msg += "; ROLLBACK INCOMPLETE: " + strings.Join(problems, "; ")
	}
	return OutcomeFailed, msg + "; device state: " + x.res.DeviceState
}

// describe says where the token and its planned bindings stand now.
func (x *actionRun) describe(ctx context.Context) string {
	sn := x.plan.Request.Token
	cfgs, err := x.sess.TokenConfig(ctx)
	if err != nil {
		return "unknown (could not read the token config: " + err.Error() + ")"
	}
	if !slices.ContainsFunc(cfgs, func(c parse.TokenConfig) bool { return c.Serial == sn }) {
		return fmt.Sprintf("token %s is DELETED; accounts %s are unbound", sn, orNobody(labels(x.plan.Bindings)))
	}
	missing, err := x.missingBindings(ctx)
	if err != nil {
		return fmt.Sprintf("token %s present; bindings unknown (%v)", sn, err)
	}
	if len(missing) == 0 {
		return fmt.Sprintf("token %s present; bindings as before: %s", sn, orNobody(labels(x.plan.Bindings)))
	}
	return fmt.Sprintf("token %s present; NOT bound any more: %s", sn, strings.Join(labels(missing), ", "))
}

// reconnect replaces the action's dead session with a fresh one for the
// rollback; closeReconnected releases it when the action ends.
func (x *actionRun) reconnect(ctx context.Context) error {
	s, closeSess, err := x.e.openSession(ctx, x.d)
	if err != nil {
		return fmt.Errorf("reconnecting to restore: %w", err)
	}
	s.SetTranscript(x.e.transcript(string(x.plan.Request.Action), x.plan.Request.Token, true))
	x.sess = s
	x.reconnected = closeSess
	return nil
}

func (x *actionRun) closeReconnected() {
	if x.reconnected != nil {
		x.reconnected()
		x.reconnected = nil
	}
}

// unreachableState says what the device may look like when the restore
// could not even connect: the steps it confirmed, and how to finish by hand.
func (x *actionRun) unreachableState(err error) string {
	sn := x.plan.Request.Token
	done := "none"
	if len(x.done) > 0 {
		done = strings.Join(x.done, ", ")
	}
	return fmt.Sprintf("unknown (%v); steps confirmed by the device: %s; token %s may be DELETED and %s unbound: "+
		"once the device answers, refresh it; if the token is missing, add it back (config user fortitoken / edit %s / next / end) and rebind those accounts",
		err, done, sn, orNobody(labels(x.plan.Bindings)), sn)
}
