package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// actionRun is one action in progress on an open session.
type actionRun struct {
	e    *Engine
	d    inventory.Device
	sess ActionSession
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
	// The capture was armed since the plan: look at the token once more,
	// on this session, right before the first line that changes anything.
	if err := x.recheck(ctx); err != nil {
		if errors.Is(err, errChangedSincePlan) {
			return OutcomeRefused, "nothing sent: " + err.Error()
		}
		return OutcomeFailed, "nothing sent: " + err.Error()
	}
	if run := specOf(x.plan.Request.Action).run; run != nil {
		return run(x, ctx)
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
	status, err := x.pollStatus(ctx, before, func(s string) bool { return s != before && s != "" })
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

// pollStatus reads the token's status every PollInterval until done(status)
// holds (or the poll ends: see poll); status starts as from.
func (x *actionRun) pollStatus(ctx context.Context, from string, done func(string) bool) (string, error) {
	sn, status := x.plan.Request.Token, from
	err := x.poll(ctx, func() (bool, error) {
		ti, err := x.sess.TokenInfo(ctx, sn)
		if err != nil {
			return false, err
		}
		if s, ok := rowStatus(ti, sn); ok {
			status = s
		}
		return done(status), nil
	})
	return status, err
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
