package fleet

import (
	"context"
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
)

// Action is what an ActionRequest asks for.
type Action string

// Actions (docs/spec.md §6).
const (
	ActionActivate Action = "activate"
	ActionReadd    Action = "readd"
	ActionResend   Action = "resend"
	ActionRenew    Action = "renew"
	ActionRefresh  Action = "refresh"
)

// Mutating reports whether the action changes the device (an unknown one
// is taken to).
func (a Action) Mutating() bool {
	s, ok := a.Spec()
	return !ok || s.Mutating
}

// ActionSpec is one action as one value: what the planner, Run, the rule
// book, the CLI's subcommands and the console's keys and lists all read. A
// new action is a row of actionSpecs (plus its validated script in
// device/script.go and the simulator's answer).
type ActionSpec struct {
	// Action is the name: the CLI subcommand, ActionRequest.Action, the audit log's action.
	Action Action
	// Token: the action acts on one token (`--token`, a key on the token
	// table). Refresh is the one device action.
	Token bool
	// Mutating: the action changes the device (refused by --read-only,
	// under the device lock, audited as mutating).
	Mutating bool
	// Help is the CLI subcommand's help line ("" = no subcommand).
	Help string
	// Label names the action in the console (action list, suggestions).
	Label string
	// Key and KeyHelp are the console's key and its short help ("" = no key).
	Key, KeyHelp string
	// DebugApps is what the capture arms before the first line is sent.
	DebugApps []string
	// Fixes are the rule book's rows: the diagnoses the action fixes.
	Fixes []Fix
	// Activates: the action may spend a hardware token's one-time
	// FortiGuard activation (refused when the token is active elsewhere;
	// the plan warns).
	Activates bool
	// Emails: the action sends the activation to the token's users
	// (refused when nobody is bound or no email server is set).
	Emails bool
	// scripts adds the action's validated scripts to the plan, in order.
	scripts func(p *Plan, add addScript) error
	// run sends the plan's scripts and verifies the result on x's session.
	run func(x *actionRun, ctx context.Context) (outcome, msg string)
}

// Fix is a rule book row: the action fixes diagnosis Code on tokens of
// Kind. Where several actions fix the same (Code, Kind), the ones without
// Fallback come first, each group in actionSpecs order.
type Fix struct {
	Code     Code
	Kind     string
	Fallback bool
}

// addScript appends one named step's script to a plan (err: it could not be built).
type addScript func(step string, sc device.Script, err error) error

// Short names for the Fixes columns.
const (
	kindHW     = parse.TokenKindHardware
	kindMobile = parse.TokenKindMobile
)

// actionSpecs is the registry, in the order keys, help and lists show them.
var actionSpecs = []ActionSpec{
	{Action: ActionActivate, Token: true, Mutating: true, Activates: true,
		Help:  "Activate a hardware token (execute fortitoken activate).",
		Label: "activate", Key: "a", KeyHelp: "activate",
		DebugApps: []string{"forticldd", "fortitoken"},
		Fixes:     []Fix{{CodeNeedsActivation, kindHW, false}, {CodeNotInFortiGuard, kindHW, false}},
		scripts:   oneScript("activate", device.Activate),
		run:       sendAwaitActive},
	{Action: ActionReadd, Token: true, Mutating: true, Activates: true,
		Help:  "Delete and re-add a token, keeping its user/admin bindings.",
		Label: "delete & re-add", Key: "x", KeyHelp: "delete & re-add",
		DebugApps: []string{"forticldd", "fortitoken"},
		Fixes:     []Fix{{CodeDeleteReadd, kindHW, false}, {CodeDeleteReadd, kindMobile, false}},
		scripts:   readdScripts,
		run:       (*actionRun).readd},
	{Action: ActionResend, Token: true, Mutating: true, Emails: true,
		Help:  "Resend the activation email of a mobile token (fortitoken-mobile provision).",
		Label: "resend activation email", Key: "e", KeyHelp: "resend email",
		DebugApps: []string{"alertmail", "fortitoken"},
		Fixes:     []Fix{{CodeNeedsActivation, kindMobile, false}, {CodePending, kindMobile, false}, {CodeProvisionTimeout, kindMobile, true}},
		scripts:   oneScript("provision", device.Provision),
		run:       sendAwaitNewCode},
	{Action: ActionRenew, Token: true, Mutating: true, Emails: true,
		Help:  "Renew a locked, failed or timed-out mobile token.",
		Label: "renew", Key: "n", KeyHelp: "renew",
		DebugApps: []string{"alertmail", "fortitoken"},
		Fixes: []Fix{{CodeDeleteReadd, kindMobile, true}, {CodeNotInFortiGuard, kindMobile, false},
			{CodeProvisionTimeout, kindMobile, false}, {CodeLocked, kindMobile, false}},
		scripts: oneScript("renew", device.Renew),
		run:     sendAwaitNewCode},
	{Action: ActionRefresh, DebugApps: []string{"forticldd", "fortitoken"}},
}

// TokenActionSpecs are the actions on one token (the CLI's subcommands, the
// console's action keys), in display order.
func TokenActionSpecs() []ActionSpec {
	var out []ActionSpec
	for _, s := range actionSpecs {
		if s.Token {
			out = append(out, s)
		}
	}
	return out
}

// Spec returns the registry row of a.
func (a Action) Spec() (ActionSpec, bool) {
	for _, s := range actionSpecs {
		if s.Action == a {
			return s, true
		}
	}
	return ActionSpec{}, false
}

// actionNames lists every action, for messages.
func actionNames() string {
	names := make([]string, len(actionSpecs))
	for i, s := range actionSpecs {
		names[i] = string(s.Action)
	}
	return strings.Join(names, ", ")
}

// fitsFrom builds the rule book's table from the registry's Fixes.
func fitsFrom(specs []ActionSpec) map[fitKey][]Action {
	m := map[fitKey][]Action{}
	for _, fallback := range []bool{false, true} {
		for _, s := range specs {
			for _, f := range s.Fixes {
				if f.Fallback == fallback {
					k := fitKey{f.Code, f.Kind}
					m[k] = append(m[k], s.Action)
				}
			}
		}
	}
	return m
}

// oneScript is an action sending a single validated script.
func oneScript(step string, build func(sn string) (device.Script, error)) func(*Plan, addScript) error {
	return func(p *Plan, add addScript) error {
		sc, err := build(p.Request.Token)
		return add(step, sc, err)
	}
}

// readdScripts is KB steps 3a/5a: unbind every account holding the token,
// delete it, add it back, bind the accounts again.
func readdScripts(p *Plan, add addScript) error {
	sn := p.Request.Token
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

// sendAwaitActive sends the one script, then polls until the status
// changes, verified when it is active.
func sendAwaitActive(x *actionRun, ctx context.Context) (string, string) {
	if err := x.exec(ctx, 0); err != nil {
		return OutcomeFailed, err.Error()
	}
	return x.verifyStatus(ctx, x.plan.Token.Status, func(s string) bool { return s == parse.StatusActive })
}

// sendAwaitNewCode sends the one script, then polls the token config until
// a new activation code is set.
func sendAwaitNewCode(x *actionRun, ctx context.Context) (string, string) {
	before := tokenConfig(x.plan.facts.TokenConfigs, x.plan.Request.Token)
	if err := x.exec(ctx, 0); err != nil {
		return OutcomeFailed, err.Error()
	}
	return x.verifyNewCode(ctx, before)
}

// specOf is a's row; a known action is checked by validateRequest first.
func specOf(a Action) ActionSpec {
	s, _ := a.Spec()
	return s
}

// errNoScript: an action with no scripts reached buildScripts.
func errNoScript(a Action) error { return fmt.Errorf("action %q has no script", a) }
