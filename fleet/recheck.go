package fleet

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// errChangedSincePlan: the token is not what the confirmed plan was built on.
var errChangedSincePlan = errors.New("the token changed since the plan")

// oneShot reports whether lines hold a step that cannot be taken back or
// repeated safely: an `execute fortitoken…` or a `delete`.
func oneShot(lines []string) bool {
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "execute fortitoken") || strings.HasPrefix(l, "delete ") {
			return true
		}
	}
	return false
}

// recheck re-reads the token's status on the action's own session and
// fails when it differs from the plan (another admin, the GUI or FortiGuard
// moved it while the capture was being armed).
func (x *actionRun) recheck(ctx context.Context) error {
	sn := x.plan.Request.Token
	if x.plan.Token == nil {
		return nil
	}
	ti, err := x.sess.TokenInfo(ctx, sn)
	if err != nil {
		return fmt.Errorf("re-reading %s before sending: %w", sn, err)
	}
	now, found := rowStatus(ti, sn)
	was := x.plan.Token.Status
	switch {
	case !found:
		return fmt.Errorf("%w: %s is no longer listed by `diagnose fortitoken info` (it was %q); review a new plan", errChangedSincePlan, sn, was)
	case now != was:
		return fmt.Errorf("%w: %s is now %q (it was %q when planned); review a new plan", errChangedSincePlan, sn, now, was)
	}
	return nil
}

// rowStatus is the status `diagnose fortitoken info` lists for sn (the
// last row naming it), and whether it lists sn at all.
func rowStatus(ti parse.TokenInfo, sn string) (status string, found bool) {
	for _, r := range ti.Tokens {
		if r.Serial == sn {
			status, found = r.Status, true
		}
	}
	return status, found
}
