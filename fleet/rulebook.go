package fleet

import (
	"github.com/ftktui/ftktui/parse"
)

// The rule book is the one place that decides which action fits which
// token. The planner (Plan), the batch selection (Select), the console's key
// states and the advice written by Diagnose all ask it, so they cannot
// disagree. It speaks in Actions, never in key letters or command lines:
// the console renders a suggestion as a key, headless output as a command.

// Verdict is the rule book's answer for one (action, device, token).
type Verdict struct {
	Reason  string // non-empty: the action is refused, and why
	Advice  string // what to do instead, in plain words (no key, no command line)
	Suggest Action // the action that does fit the token now ("" when none); never a refused one
}

// Eligible reports whether the action may run.
func (v Verdict) Eligible() bool { return v.Reason == "" }

// Gate is what the caller knows beyond the scan result.
type Gate struct {
	ReadOnly bool // --read-only: nothing mutating may run
	Force    bool // --force: act on FortiManager-managed units / with FortiGuard unreachable
}

// TokenActions lists the token actions, in the order keys and help show them.
var TokenActions = tokenActions()

func tokenActions() []Action {
	var out []Action
	for _, s := range TokenActionSpecs() {
		out = append(out, s.Action)
	}
	return out
}

type fitKey struct {
	code Code
	kind string
}

// fits is the rule book's table: for each diagnosis and token kind, the
// actions that fix it, preferred first (the registry's Fixes). Everything
// absent is refused. Spec §6: renew is for locked / error / timed-out mobile
// tokens; resend for mobile tokens waiting for (or never sent) their
// activation.
var fits = fitsFrom(actionSpecs)

// Fits returns the actions that fix the token's diagnosis, preferred first,
// before any device or binding condition.
func Fits(t *TokenResult) []Action { return fits[fitKey{t.Diagnosis, t.Kind}] }

// Check is the rule book: may action a run on token t of device r, and if
// not, why and what instead. r is the device as last scanned.
func Check(a Action, r *DeviceResult, t *TokenResult, g Gate) Verdict {
	v := check(a, r, t, g)
	if !v.Eligible() {
		for _, alt := range Fits(t) {
			if alt != a && check(alt, r, t, g).Eligible() {
				v.Suggest = alt
				break
			}
		}
	}
	return v
}

// check is Check without the suggestion.
func check(a Action, r *DeviceResult, t *TokenResult, g Gate) Verdict {
	if v := deviceVerdict(a, r, g); !v.Eligible() {
		return v
	}
	if !parse.ValidSerial(t.Serial) {
		return Verdict{Reason: "the device reports a serial that is not a FortiToken serial (FTK + 13 letters/digits): ftktui sends nothing for it",
			Advice: "inspect `config user fortitoken` on the unit by hand"}
	}
	if !fitsAction(a, t) {
		return tokenMismatch(a, t)
	}
	if p, ok := activeOnOtherUnit(t); ok && specOf(a).Activates {
		return Verdict{Reason: "the token is active with a seed on " + p.Device + " (not an HA peer of this unit): FortiGuard registered it there, so it cannot activate here",
			Advice: "keep it on " + p.Device + " and remove the stale copy here, or ask Fortinet support to move it (see TOKEN_ACTIVE_ON_OTHER_UNIT)"}
	}
	mobile := t.Kind == parse.TokenKindMobile
	if mobile && specOf(a).Emails {
		if len(t.Users) == 0 {
			return Verdict{Reason: "the token is not bound to any user or admin: there is nobody to send the activation to",
				Advice: "assign it to a user (config user local / edit NAME / set two-factor fortitoken / set fortitoken " + t.Serial + ") first"}
		}
		if hasDevice(r, CodeEmailServerUnset) {
			return Verdict{Reason: "no email server is configured, the activation email cannot be sent",
				Advice: "configure `config system email-server` / `set server notification.fortinet.net` / `set port 465` / `set security smtps` / `end` (global scope) first"}
		}
	}
	return Verdict{}
}

func fitsAction(a Action, t *TokenResult) bool {
	for _, f := range Fits(t) {
		if f == a {
			return true
		}
	}
	return false
}

// DeviceCheck is the part of Check that does not depend on a token: the
// conditions that block every token action on a device.
func DeviceCheck(a Action, r *DeviceResult, g Gate) Verdict { return deviceVerdict(a, r, g) }

// deviceVerdict holds the conditions that block every token action on a device.
func deviceVerdict(a Action, r *DeviceResult, g Gate) Verdict {
	switch {
	case g.ReadOnly && a.Mutating():
		return Verdict{Reason: "read-only mode (--read-only): no action can be sent"}
	case r == nil:
		return Verdict{Reason: "the device has not been scanned yet", Advice: "refresh the device first"}
	case !r.Reachable:
		return Verdict{Reason: "the device is unreachable", Advice: "fix the connection, then refresh the device"}
	case r.ReadOnly:
		return Verdict{Reason: "the admin account has a read-only profile ($ prompt): it cannot change tokens",
			Advice: "use an account with a read-write admin profile for this device"}
	case !g.Force && hasDevice(r, CodeFMGManaged):
		return Verdict{Reason: "FortiManager manages this unit (central-management type fortimanager): tokens come from FortiManager",
			Advice: "act from FortiManager (script `execute fortitoken activate SN` / `execute fortitoken-mobile renew SN`), or force with --force"}
	case !g.Force && (hasDevice(r, CodeFortiGuardUnreachable) || hasDevice(r, CodeTokenServerUnreachable)):
		return Verdict{Reason: "FortiGuard is not reachable from the unit: the action cannot succeed and a FortiToken-200 could waste its one activation",
			Advice: "fix FortiGuard connectivity first (KB step 1), or force with --force to capture the debug output"}
	}
	return Verdict{}
}

// tokenMismatch says why the token's diagnosis does not call for a.
func tokenMismatch(a Action, t *TokenResult) Verdict {
	mobile := t.Kind == parse.TokenKindMobile
	switch {
	case t.Diagnosis == CodeActivatedElsewhere:
		return Verdict{Reason: "FortiGuard reports this token already activated elsewhere and there is no seed here (one-time activation lock)",
			Advice: "contact Fortinet support to reset the activation lock, then rescan the device"}
	case a == ActionActivate && mobile:
		return Verdict{Reason: "mobile tokens are activated from the FortiToken Mobile app, not with `execute fortitoken activate`"}
	case (a == ActionResend || a == ActionRenew) && !mobile:
		return Verdict{Reason: "resend and renew apply to FortiToken Mobile only; this is a hardware token"}
	case t.Diagnosis == CodeOK:
		return Verdict{Reason: "the token is healthy: nothing to fix"}
	case t.Diagnosis == CodeUnassigned:
		return Verdict{Reason: "the token is not bound to any user or admin: nothing to fix until it is assigned"}
	case a == ActionActivate && t.Seed:
		return Verdict{Reason: "the token already has a seed in the configuration: activating again cannot help"}
	case a == ActionReadd && !t.Seed:
		return Verdict{Reason: "the token has no seed in the configuration: deleting and re-adding it cannot help"}
	case t.Diagnosis == CodeLocked && !mobile:
		return Verdict{Reason: "a locked hardware token is unlocked in the configuration, not by an action",
			Advice: "config user fortitoken / edit " + t.Serial + " / set status active / end"}
	}
	return Verdict{Reason: "diagnosis " + string(t.Diagnosis) + " is not fixed by " + string(a)}
}

// Suggest is the action that fixes the token now, or "" when none is
// eligible (the advice then says what blocks it).
func Suggest(r *DeviceResult, t *TokenResult, g Gate) Action {
	for _, a := range Fits(t) {
		if check(a, r, t, g).Eligible() {
			return a
		}
	}
	return ""
}

// blocked says why the preferred fix of t cannot run now, or "".
func blocked(r *DeviceResult, t *TokenResult, g Gate) string {
	f := Fits(t)
	if len(f) == 0 {
		return ""
	}
	return check(f[0], r, t, g).Reason
}

// hasDevice reports a device-level finding (not a token's).
func hasDevice(r *DeviceResult, c Code) bool {
	for _, f := range r.Findings {
		if f.Code == c && f.Token == "" {
			return true
		}
	}
	return false
}

// activeOnOtherUnit is the first other scanned unit, not an HA peer, where
// the token is active with its seed (CrossReference fills Elsewhere).
func activeOnOtherUnit(t *TokenResult) (TokenPlace, bool) {
	for _, p := range t.Elsewhere {
		if !p.SameCluster && activeWithSeed(p.Status, p.Seed) {
			return p, true
		}
	}
	return TokenPlace{}, false
}
