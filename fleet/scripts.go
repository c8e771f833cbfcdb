package fleet

import (
	"fmt"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
)

// bindings returns the accounts that hold token sn.
func bindings(accts []parse.Account, sn string) []parse.Account {
	var out []parse.Account
	for _, a := range accts {
		if a.FortiToken == sn && a.TwoFactor != "disable" {
			out = append(out, a)
		}
	}
	return out
}

func accountLabel(a parse.Account) string {
	if a.Kind == parse.AccountAdmin {
		return "admin " + a.Name
	}
	return "user " + a.Name
}

// buildScripts fills p.scripts, p.steps and p.Lines for the request.
func (e *Engine) buildScripts(sess ActionSession, p *Plan) error {
	if p.Request.Action != ActionRefresh {
		arm, err := device.DebugArmLines(debugApps(p.Request.Action))
		if err != nil {
			return fmt.Errorf("debug capture: %w", err)
		}
		p.DebugArm, p.DebugDisarm = arm, device.DebugDisarmLines()
	}
	add := func(step string, sc device.Script, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", step, err)
		}
		p.scripts = append(p.scripts, sc)
		p.steps = append(p.steps, step)
		p.Lines = append(p.Lines, sess.Lines(sc)...)
		return nil
	}
	s := specOf(p.Request.Action)
	if s.scripts == nil {
		return errNoScript(p.Request.Action)
	}
	return s.scripts(p, add)
}
