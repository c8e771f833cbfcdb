package fleet

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// The codes live beside the rules that emit them, so a new KB check is one
// place in fleet: its Code, its Facts field and its rule row.

// Severity of a finding.
type Severity string

// Severities, as docs/spec.md §5 names them.
const (
	SevError Severity = "error"
	SevWarn  Severity = "warn"
	SevInfo  Severity = "info"
)

// Code is a diagnosis code; the names are a contract with scripts.
type Code string

// Device-level codes (docs/spec.md §5).
const (
	CodeFMGManaged             Code = "FMG_MANAGED"
	CodeFortiGuardUnreachable  Code = "FORTIGUARD_UNREACHABLE"
	CodeTokenServerUnreachable Code = "TOKEN_SERVER_UNREACHABLE"
	CodeEmailServerUnset       Code = "EMAIL_SERVER_UNSET"
	CodeDebugLeftOn            Code = "DEBUG_LEFT_ON"
	CodeUnreachable            Code = "UNREACHABLE"
	CodeAuthFailed             Code = "AUTH_FAILED"
	CodeHostKeyMismatch        Code = "HOST_KEY_MISMATCH" // a changed (or @revoked) key: refused
	CodeHostKeyUnknown         Code = "HOST_KEY_UNKNOWN"  // no usable key on file: verify, then --accept-new-host-keys
)

// Token-level codes (docs/spec.md §5).
const (
	CodeOK                 Code = "OK"
	CodeNeedsActivation    Code = "NEEDS_ACTIVATION"
	CodeDeleteReadd        Code = "DELETE_READD"
	CodeActivatedElsewhere Code = "ACTIVATED_ELSEWHERE"
	CodeNotInFortiGuard    Code = "NOT_IN_FORTIGUARD"
	CodePending            Code = "PENDING"
	CodeProvisionTimeout   Code = "PROVISION_TIMEOUT"
	CodeLocked             Code = "LOCKED"
	CodeUnassigned         Code = "UNASSIGNED"
	// CodeInvalidSerial: the device lists a serial that is not FTK + 13
	// letters/digits; ftktui never puts it on a command line.
	CodeInvalidSerial Code = "INVALID_SERIAL"
)

// Facts is what a scan read from a device, fed to Diagnose.
type Facts struct {
	TokenInfo    parse.TokenInfo
	TokenConfigs []parse.TokenConfig
	Accounts     []parse.Account
	Debug        *parse.DebugInfo // nil when it could not be read
	Inventory    string           // inventory path, for the commands in advice
	OwnDebug     bool             // ftktui itself has a debug capture open on the device
	// EmailUnknown: the email server could not be read (refused command,
	// VDOM-only admin), which is not the same as "no server configured".
	EmailUnknown bool
}

// TokenFacts is one token as the token rules see it.
type TokenFacts struct {
	TokenResult
	InConfig      bool // present in `config user fortitoken`
	HasActivation bool // an activation code is set (mobile)
	FMG           bool // the device is FortiManager-managed
}

// TokenRule is one row of the KB procedure for tokens; the first match wins.
type TokenRule struct {
	Code     Code
	Severity Severity
	Step     string // KB step, e.g. "3a/5a"
	Match    func(t TokenFacts) bool
	Advice   string // template: {token} {status}; never a key letter or a command line (the rule book suggests the action)
}

// DeviceRule is one row of the KB procedure for a device; all matches apply.
type DeviceRule struct {
	Code     Code
	Severity Severity
	Step     string // KB step, e.g. "1", "email"
	Match    func(r *DeviceResult, f Facts) bool
	Message  string // template: {fmg} {hosts} {debug}
	Advice   string
}

// okStatuses are the STATUS words that are not errors.
var okStatuses = map[string]bool{
	parse.StatusNew: true, parse.StatusActive: true, parse.StatusProvisioning: true,
	parse.StatusProvisioned: true, parse.StatusProvisionTimeout: true, parse.StatusLocked: true,
}

func isErrorStatus(s string) bool { return s != "" && !okStatuses[s] }

func hw(t TokenFacts) bool     { return t.Kind == parse.TokenKindHardware }
func mobile(t TokenFacts) bool { return t.Kind == parse.TokenKindMobile }

// TokenRules is the KB procedure for one token, in priority order.
var TokenRules = []TokenRule{
	{CodeInvalidSerial, SevWarn, "3",
		func(t TokenFacts) bool { return !parse.ValidSerial(t.Serial) },
		"the device lists a serial that is not a FortiToken serial (FTK + 13 letters/digits): ftktui will not act on it; inspect `config user fortitoken` on the unit by hand"},
	{CodeDeleteReadd, SevError, "3a/5a",
		func(t TokenFacts) bool { return t.Seed && isErrorStatus(t.Status) },
		"seed in config but FortiGuard reports \"{status}\": delete and re-add the token (KB steps 3a/5a)"},
	{CodeActivatedElsewhere, SevError, "3a",
		func(t TokenFacts) bool { return !t.Seed && t.Status == parse.StatusAlreadyActivated },
		"activated on another unit and no seed here (FortiGuard one-time activation lock): contact Fortinet support to reset the activation lock, then rescan the device"},
	{CodeNotInFortiGuard, SevError, "1/5b",
		func(t TokenFacts) bool { return !t.Seed && isErrorStatus(t.Status) },
		"FortiGuard reports \"{status}\": check FortiGuard reachability (KB step 1) and that the serial is registered to this unit, then activate it again"},
	{CodeLocked, SevWarn, "3",
		func(t TokenFacts) bool { return t.Locked || t.Status == parse.StatusLocked },
		"token is locked: unlock it (config user fortitoken / edit {token} / set status active / end); a locked mobile token can also be renewed"},
	{CodeProvisionTimeout, SevWarn, "email",
		func(t TokenFacts) bool { return mobile(t) && t.Status == parse.StatusProvisionTimeout },
		"the activation code expired before the app was activated: renew the token (or resend the activation email)"},
	{CodePending, SevWarn, "email",
		func(t TokenFacts) bool { return mobile(t) && t.Status == parse.StatusProvisioning },
		"waiting for the user to activate FortiToken Mobile; if the email never arrived, resend it"},
	{CodeUnassigned, SevInfo, "3",
		func(t TokenFacts) bool {
			return len(t.Users) == 0 && !(hw(t) && t.Status == parse.StatusNew && !t.Seed)
		},
		"not assigned to any user or admin: nothing to fix until it is assigned"},
	{CodeNeedsActivation, SevWarn, "3b/5b",
		func(t TokenFacts) bool { return hw(t) && t.Status == parse.StatusNew && !t.Seed },
		"no seed yet: activate the token (FortiToken-200: one-time activation lock, the debug capture is armed first)"},
	{CodeNeedsActivation, SevWarn, "3b/5b",
		func(t TokenFacts) bool { return mobile(t) && t.Status == parse.StatusNew },
		"mobile token not provisioned yet: send the activation email"},
	{CodeOK, SevInfo, "",
		func(TokenFacts) bool { return true },
		""},
}

// DeviceRules is the KB procedure for a device.
var DeviceRules = []DeviceRule{
	{CodeFMGManaged, SevWarn, "1",
		func(r *DeviceResult, _ Facts) bool {
			return strings.EqualFold(r.CentralManagement.Type, parse.CentralMgmtFortiManager)
		},
		"managed by FortiManager {fmg}",
		"tokens come from FortiManager: act there (script `execute fortitoken activate SN` on the device); ftktui refuses actions here unless forced"},
	{CodeFortiGuardUnreachable, SevError, "1",
		func(r *DeviceResult, _ Facts) bool { return len(unreachablePings(r)) > 0 },
		"FortiGuard not reachable from the unit: {hosts}",
		"fix DNS, routing or policy for traffic the FortiGate originates (execute ping fds1.fortinet.com) before activating"},
	{CodeTokenServerUnreachable, SevError, "2",
		func(r *DeviceResult, _ Facts) bool { return r.TokenServer == parse.ServerUnreachable },
		"Token server status: unreachable",
		"the unit cannot reach the FortiToken server: fix FortiGuard connectivity (KB step 1), then refresh the device"},
	{CodeEmailServerUnset, SevError, "email",
		func(r *DeviceResult, f Facts) bool {
			return hasMobile(r) && !f.EmailUnknown && r.EmailServer.Server == ""
		},
		"mobile tokens present but no email server configured",
		"configure `config system email-server` / `set server notification.fortinet.net` / `set port 465` / `set security smtps` (global) so activation emails can be sent"},
	{CodeDebugLeftOn, SevWarn, "4",
		func(_ *DeviceResult, f Facts) bool { return f.Debug != nil && f.Debug.Active() && !f.OwnDebug },
		"debug left on: {debug}",
		"someone left debug running: run `diagnose debug disable` and `diagnose debug reset` once they are done (ftktui resets debug after its own captures)"},
}

func unreachablePings(r *DeviceResult) []string {
	var out []string
	for _, p := range r.FortiGuard {
		if !p.Reachable {
			s := p.Host
			if p.Error != "" {
				s += " (" + p.Error + ")"
			}
			out = append(out, s)
		}
	}
	return out
}

func hasMobile(r *DeviceResult) bool {
	for _, t := range r.Tokens {
		if t.Kind == parse.TokenKindMobile {
			return true
		}
	}
	return false
}

func debugSummary(d *parse.DebugInfo) string {
	if d == nil {
		return ""
	}
	var parts []string
	if d.OutputEnabled {
		parts = append(parts, "debug output enabled")
	}
	names := make([]string, 0, len(d.Levels))
	for n, l := range d.Levels {
		if l != 0 {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		parts = append(parts, n+" level set")
	}
	return strings.Join(parts, ", ")
}

// Diagnose builds r.Tokens from the facts and applies DeviceRules and
// TokenRules, replacing r.Findings' diagnosis part. Connection findings
// (UNREACHABLE, …) already in r.Findings are kept.
func Diagnose(r *DeviceResult, f Facts) {
	if f.TokenInfo.ServerStatus != "" {
		r.TokenServer = f.TokenInfo.ServerStatus
	}
	if r.TokenServer == "" {
		r.TokenServer = parse.ServerUnknown
	}
	facts := buildTokens(f)
	fmg := strings.EqualFold(r.CentralManagement.Type, parse.CentralMgmtFortiManager)
	// Sized once: growing these by append was a tenth of a scan's garbage.
	r.Tokens = slices.Grow(r.Tokens[:0], len(facts))
	r.Findings = slices.Grow(r.Findings, len(facts)+1)
	for i := range facts {
		facts[i].FMG = fmg
		r.Tokens = append(r.Tokens, facts[i].TokenResult)
	}
	for _, rule := range DeviceRules {
		if !rule.Match(r, f) {
			continue
		}
		msg := strings.NewReplacer("{fmg}", r.CentralManagement.FMG, "{hosts}", strings.Join(unreachablePings(r), ", "),
			"{debug}", debugSummary(f.Debug)).Replace(rule.Message)
		r.Findings = append(r.Findings, Finding{Code: rule.Code, Severity: rule.Severity, Step: rule.Step,
			Message: strings.TrimSpace(msg), Advice: rule.Advice})
	}
	for i := range facts {
		t := &r.Tokens[i]
		rule := MatchToken(facts[i])
		t.Diagnosis, t.Severity, t.Step = rule.Code, rule.Severity, rule.Step
		t.Advice = expandAdvice(rule.Advice, t)
		if fmg && t.Advice != "" && rule.Code != CodeUnassigned {
			t.Advice = "FortiManager-managed unit: act from FortiManager (ftktui refuses here unless forced with --force). " + t.Advice
		}
		// The rule book decides the fix; advice never names one that is refused.
		t.Action = Suggest(r, t, Gate{})
		if t.Action == "" && !fmg {
			if why := blocked(r, t, Gate{}); why != "" {
				t.Advice += " (not possible now: " + why + ")"
			}
		}
		t.Command = CommandLine(t.Action, f.Inventory, r.Name, t.Serial)
		if rule.Code == CodeOK {
			continue // findings list problems only
		}
		r.Findings = append(r.Findings, Finding{Code: rule.Code, Severity: rule.Severity, Step: rule.Step,
			Message: tokenLabel(t.Serial) + ": " + tokenMessage(t), Advice: t.Advice, Token: t.Serial})
	}
	driftFindings(r)
}

// tokenLabel is a serial fit for a message: an invalid one is quoted and
// cut short, since it came from the device and may be hostile.
func tokenLabel(sn string) string {
	if parse.ValidSerial(sn) {
		return sn
	}
	if len(sn) > 40 {
		sn = sn[:40] + "…"
	}
	return strconv.Quote(sn)
}

// MatchToken returns the first TokenRule matching t.
func MatchToken(t TokenFacts) TokenRule {
	for _, r := range TokenRules {
		if r.Match(t) {
			return r
		}
	}
	return TokenRules[len(TokenRules)-1]
}

func expandAdvice(tmpl string, t *TokenResult) string {
	if !strings.Contains(tmpl, "{") {
		return tmpl // most advice has no placeholder; a Replacer per token was 4 % of a scan's CPU
	}
	return strings.NewReplacer("{token}", t.Serial, "{status}", t.Status).Replace(tmpl)
}

func tokenMessage(t *TokenResult) string {
	seed := "no seed"
	if t.Seed {
		seed = "seed in config"
	}
	users := "not assigned"
	if len(t.Users) > 0 {
		users = "assigned to " + strings.Join(t.Users, ", ")
	}
	return t.Kind + " token, status " + strconvQuote(t.Status) + ", " + seed + ", " + users
}

func strconvQuote(s string) string {
	if s == "" {
		return `""`
	}
	return `"` + s + `"`
}

// buildTokens merges `diagnose fortitoken info` with the token config and the
// accounts: config order first, then tokens only the daemon knows.
func buildTokens(f Facts) []TokenFacts {
	rows := make(map[string]parse.TokenRow, len(f.TokenInfo.Tokens))
	for _, r := range f.TokenInfo.Tokens {
		rows[r.Serial] = r
	}
	users := map[string][]string{}
	for _, a := range f.Accounts {
		if a.FortiToken == "" || a.TwoFactor == "disable" {
			continue
		}
		name := a.Name
		if a.Kind == parse.AccountAdmin {
			name = "admin:" + a.Name
		}
		users[a.FortiToken] = append(users[a.FortiToken], name)
	}
	out := make([]TokenFacts, 0, len(f.TokenConfigs)+len(f.TokenInfo.Tokens))
	seen := make(map[string]bool, cap(out))
	add := func(sn string, cfg *parse.TokenConfig) {
		if seen[sn] {
			return
		}
		seen[sn] = true
		tf := TokenFacts{TokenResult: TokenResult{Serial: sn, Kind: parse.TokenKind(sn), Users: users[sn]}}
		if tf.Users == nil {
			tf.Users = []string{}
		}
		if row, ok := rows[sn]; ok {
			tf.Drift, tf.Status = row.Drift, row.Status
		}
		if cfg != nil {
			tf.InConfig = true
			tf.Seed = cfg.HasSeed
			tf.Locked = cfg.Status == "lock"
			tf.HasActivation = cfg.ActivationCode != ""
		}
		out = append(out, tf)
	}
	for i := range f.TokenConfigs {
		add(f.TokenConfigs[i].Serial, &f.TokenConfigs[i])
	}
	for _, r := range f.TokenInfo.Tokens {
		add(r.Serial, nil)
	}
	return out
}
