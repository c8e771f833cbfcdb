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
func (e *Engine) buildScripts(sess *device.Session, p *Plan) error {
	sn := p.Request.Token
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
	switch p.Request.Action {
	case ActionActivate:
		sc, err := device.Activate(sn)
		return add("activate", sc, err)
	case ActionResend:
		sc, err := device.Provision(sn)
		return add("provision", sc, err)
	case ActionRenew:
		sc, err := device.Renew(sn)
		return add("renew", sc, err)
	case ActionReadd:
		p.Bindings = bindings(p.facts.Accounts, sn)
		for _, a := range p.Bindings {
			sc, err := device.Unbind(a)
			if err := add("unbind "+accountLabel(a), sc, err); err != nil {
				return err
			}
		}
		sc, err := device.DeleteToken(sn)
		if err := add("delete", sc, err); err != nil {
			return err
		}
		sc, err = device.AddToken(sn)
		if err := add("add", sc, err); err != nil {
			return err
		}
		for _, a := range p.Bindings {
			sc, err := device.Bind(a, sn)
			if err := add("bind "+accountLabel(a), sc, err); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("action %q has no script", p.Request.Action)
}
