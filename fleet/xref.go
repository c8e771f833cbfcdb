package fleet

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// Fleet-wide codes: only a scan of several units can produce them.
const (
	CodeTokenActiveOnOtherUnit Code = "TOKEN_ACTIVE_ON_OTHER_UNIT"
	CodeTokenOnSeveralUnits    Code = "TOKEN_ON_SEVERAL_UNITS"
	CodeTokenDrift             Code = "TOKEN_DRIFT"
)

// HAResult is the HA cluster a unit belongs to; nil for a standalone unit.
type HAResult struct {
	Mode    string   `json:"mode"`               // `Current HA mode` of get system status: "a-p, primary"
	Group   string   `json:"group,omitempty"`    // group name
	GroupID string   `json:"group_id,omitempty"` // group id
	Members []string `json:"members"`            // unit serials, from get system ha status
}

// TokenPlace is another scanned unit where the same token serial is configured.
type TokenPlace struct {
	Device  string `json:"device"`            // inventory name
	Serial  string `json:"serial"`            // the unit's serial number
	Cluster string `json:"cluster,omitempty"` // HA group of that unit, if any
	VDOM    string `json:"vdom,omitempty"`
	Status  string `json:"status"`
	Seed    bool   `json:"seed"`
	// SameCluster: that unit is an HA peer of this one; sharing is normal.
	SameCluster bool `json:"same_cluster,omitempty"`
}

// CrossScope says what the cross-reference covered.
type CrossScope struct {
	Scanned   int    `json:"units_scanned"` // units whose tokens were read
	Inventory int    `json:"units_in_inventory"`
	Partial   bool   `json:"partial"` // a --tag/--device selection: other units were not looked at
	Note      string `json:"note,omitempty"`
}

// Pointers returns pointers to each result, for CrossReference.
func Pointers(results []DeviceResult) []*DeviceResult {
	out := make([]*DeviceResult, len(results))
	for i := range results {
		out[i] = &results[i]
	}
	return out
}

// NewCrossScope describes a cross-reference over scanned units out of the
// inventory's total.
func NewCrossScope(results []DeviceResult, inventory int) CrossScope {
	n := 0
	for i := range results {
		if results[i].Reachable {
			n++
		}
	}
	s := CrossScope{Scanned: n, Inventory: inventory, Partial: len(results) < inventory}
	if s.Partial {
		s.Note = fmt.Sprintf("where-else-a-token-lives covers only the %d units scanned, not the %d in the inventory", len(results), inventory)
	}
	return s
}

// MarshalJSON writes `elsewhere` as [] rather than null when no
// cross-reference ran, so scripts can always iterate it.
func (t TokenResult) MarshalJSON() ([]byte, error) {
	type plain TokenResult // no methods: no recursion
	p := plain(t)
	if p.Elsewhere == nil {
		p.Elsewhere = []TokenPlace{}
	}
	return json.Marshal(p)
}

// kbFix is a token's advice and suggested fix as the scan made them.
type kbFix struct {
	advice, command string
	action          Action
}

// place is one (unit, token) occurrence while cross-referencing.
type place struct {
	dev, tok int
}

// CrossReference fills every token's Elsewhere from the other reachable
// units in results (pointers, so the console can pass the results it
// keeps per device) and adds the fleet-wide findings
// TOKEN_ACTIVE_ON_OTHER_UNIT and TOKEN_ON_SEVERAL_UNITS (replacing those of
// an earlier call, so it can run again after a refresh). HA peers share
// tokens by design and never produce a finding. The KB diagnosis of a token
// is kept; its advice changes where re-adding it here cannot work.
func CrossReference(results []*DeviceResult) {
	bySerial := map[string][]place{}
	for i := range results {
		r := results[i]
		r.Findings = slices.DeleteFunc(r.Findings, func(f Finding) bool {
			return f.Code == CodeTokenActiveOnOtherUnit || f.Code == CodeTokenOnSeveralUnits
		})
		for j := range r.Tokens {
			r.Tokens[j].Elsewhere = r.Tokens[j].Elsewhere[:0]
			if r.Tokens[j].Elsewhere == nil {
				r.Tokens[j].Elsewhere = []TokenPlace{}
			}
			if t := &r.Tokens[j]; t.kb != nil {
				t.Advice, t.Action, t.Command, t.kb = t.kb.advice, t.kb.action, t.kb.command, nil
			}
			if r.Reachable {
				bySerial[r.Tokens[j].Serial] = append(bySerial[r.Tokens[j].Serial], place{i, j})
			}
		}
	}
	for _, ps := range bySerial {
		if len(ps) < 2 {
			continue
		}
		for _, p := range ps {
			here := results[p.dev]
			for _, q := range ps {
				if q.dev == p.dev || sameUnit(here, results[q.dev]) {
					continue
				}
				there := results[q.dev]
				t := &there.Tokens[q.tok]
				here.Tokens[p.tok].Elsewhere = append(here.Tokens[p.tok].Elsewhere, TokenPlace{
					Device: there.Name, Serial: there.Serial, Cluster: clusterName(there), VDOM: there.VDOM,
					Status: t.Status, Seed: t.Seed, SameCluster: sameCluster(here, there)})
			}
		}
	}
	for _, r := range results {
		for j := range r.Tokens {
			crossFindings(r, &r.Tokens[j])
		}
	}
}

// activeWithSeed: the unit holds the token's seed and FortiGuard considers
// it activated there.
func activeWithSeed(status string, seed bool) bool { return seed && status == parse.StatusActive }

func crossFindings(r *DeviceResult, t *TokenResult) {
	var activeElsewhere []TokenPlace
	for _, p := range t.Elsewhere {
		if !p.SameCluster && activeWithSeed(p.Status, p.Seed) {
			activeElsewhere = append(activeElsewhere, p)
		}
	}
	if len(activeElsewhere) == 0 {
		return
	}
	names := make([]string, 0, len(activeElsewhere))
	for _, p := range activeElsewhere {
		names = append(names, p.Device+" ("+orDash(p.Serial)+")")
	}
	sort.Strings(names)
	switch {
	case activeWithSeed(t.Status, t.Seed):
		msg := fmt.Sprintf("%s is active with a seed here and on %s, which is not an HA peer of this unit: "+
			"FortiGuard registers a token to one FortiGate, so one of them cannot be authenticating its users",
			t.Serial, strings.Join(names, ", "))
		adv := fmt.Sprintf("Decide which unit keeps %s. On the other one, bind its users to another token and delete this one. "+
			"If both must work, that is two tokens: Fortinet support needs the unit serials (%s, %s) and the token serial.",
			t.Serial, orDash(r.Serial), strings.Join(serialsOf(activeElsewhere), ", "))
		r.Findings = append(r.Findings, Finding{Code: CodeTokenOnSeveralUnits, Severity: SevError, Step: "fleet",
			Message: msg, Advice: adv, Token: t.Serial})
	case isErrorStatus(t.Status) || t.Diagnosis == CodeDeleteReadd || t.Diagnosis == CodeActivatedElsewhere ||
		t.Diagnosis == CodeNeedsActivation:
		other := activeElsewhere[0]
		msg := fmt.Sprintf("%s is %s here but active with a seed on %s", t.Serial, statusWord(t), strings.Join(names, ", "))
		adv := fmt.Sprintf("Do not re-add or activate %s here: it is registered to %s (%s) and cannot activate on this unit. "+
			"Keep it on %s and remove the stale copy here (unbind its users, delete the token), or, to move it, "+
			"ask Fortinet support to release it, giving both FortiGate serials (this: %s, %s: %s) and the token serial %s.",
			t.Serial, other.Device, orDash(other.Serial), other.Device, orDash(r.Serial), other.Device, orDash(other.Serial), t.Serial)
		r.Findings = append(r.Findings, Finding{Code: CodeTokenActiveOnOtherUnit, Severity: SevWarn, Step: "fleet",
			Message: msg, Advice: adv, Token: t.Serial})
		t.kb = &kbFix{advice: t.Advice, action: t.Action, command: t.Command}
		t.Advice = adv
		// The rule book now refuses activate and readd here (it reads
		// Elsewhere): the suggestion follows it.
		if a := Suggest(r, t, Gate{}); a != t.Action {
			t.Action, t.Command = a, "" // no inventory path here to build another command line
		}
	}
}

func statusWord(t *TokenResult) string {
	if t.Status == "" {
		return "not known to the token daemon"
	}
	return "\"" + t.Status + "\""
}

func serialsOf(ps []TokenPlace) []string {
	out := make([]string, 0, len(ps))
	for _, p := range ps {
		out = append(out, p.Device+": "+orDash(p.Serial))
	}
	return out
}

// sameUnit: two inventory entries that reach one box (a cluster address
// and a member address, say) are not "elsewhere" for each other.
func sameUnit(a, b *DeviceResult) bool { return a.Serial != "" && a.Serial == b.Serial }

// sameCluster tells HA peers apart from unrelated units using what the
// units say about themselves (member serials, group name and id), never
// their names.
func sameCluster(a, b *DeviceResult) bool {
	if a.HA == nil || b.HA == nil {
		return false
	}
	if slices.Contains(a.HA.Members, b.Serial) || slices.Contains(b.HA.Members, a.Serial) {
		return b.Serial != "" && a.Serial != ""
	}
	return len(a.HA.Members) == 0 && len(b.HA.Members) == 0 && a.HA.Group != "" &&
		a.HA.Group == b.HA.Group && a.HA.GroupID == b.HA.GroupID
}

func clusterName(r *DeviceResult) string {
	if r.HA == nil {
		return ""
	}
	if r.HA.Group != "" {
		return r.HA.Group
	}
	return "HA " + strings.Join(r.HA.Members, "+")
}

// DriftWarnSteps is the hardware-token drift (in token time steps of 60 s,
// as `diagnose fortitoken info` prints it) above which one-time codes are
// likely to be refused at login.
const DriftWarnSteps = 5

// driftFindings adds TOKEN_DRIFT for hardware tokens whose clock drifted
// more than DriftWarnSteps from the FortiGate's.
func driftFindings(r *DeviceResult) {
	for i := range r.Tokens {
		t := &r.Tokens[i]
		if t.Kind != parse.TokenKindHardware || abs(t.Drift) <= DriftWarnSteps {
			continue
		}
		r.Findings = append(r.Findings, Finding{Code: CodeTokenDrift, Severity: SevWarn, Step: "2",
			Message: fmt.Sprintf("%s drift is %d time steps (threshold %d): its codes are out of step with this unit's clock", t.Serial, t.Drift, DriftWarnSteps),
			Advice: "Check the FortiGate's time first (`diagnose sys ntp status`): a wrong unit clock looks like drift on every token. " +
				"If only this token drifts, have its user log in with two consecutive codes so FortiOS can resynchronise it; " +
				"a token that keeps drifting has a failing clock and should be replaced (re-adding it does not help).",
			Token: t.Serial})
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
