package sim

import (
	"fmt"
	"strings"
)

// Scenario names a device condition (a FortiOS state or a transport fault).
// The names are a contract with inventories (tags) and tests.
type Scenario string

// Scenarios: device states.
const (
	Healthy           Scenario = "healthy"
	FMGManaged        Scenario = "fmg-managed"
	MigratedSeed      Scenario = "migrated-seed"
	FortiGuardDown    Scenario = "fortiguard-down"
	PendingActivation Scenario = "pending-activation"
	MobilePending     Scenario = "mobile-pending"
	EmailUnset        Scenario = "email-unset"
	MultiVDOM         Scenario = "multi-vdom"
	ReadonlyAdmin     Scenario = "readonly-admin"
	Banner            Scenario = "banner"
	Paged             Scenario = "paged"
	// HAMember is a FortiOS 7.6.7+ HA cluster member: the role is in the
	// prompt ("HOST(Primary) # ") and flips on failover, mid session.
	HAMember Scenario = "ha-member"
)

// VDOMAdmin is an extra state beyond docs/spec.md §7: a multi-VDOM unit where the
// login admin is restricted to VDOM root, so the session starts inside
// `(root)`, cannot leave it, and `config global` / `config vdom` fail. It is
// not part of AllScenarios or the default mix.
const VDOMAdmin Scenario = "vdom-admin"

// ExtraScenarios lists the scenarios beyond docs/spec.md §7 (not in AllScenarios).
func ExtraScenarios() []Scenario { return []Scenario{VDOMAdmin} }

// Faults: transport or daemon misbehaviour layered on top of a state.
const (
	FaultSlow           Scenario = "slow"
	FaultDrop           Scenario = "drop"
	FaultHang           Scenario = "hang"
	FaultGarbage        Scenario = "garbage"
	FaultAuthFail       Scenario = "auth-fail"
	FaultHostKeyRotated Scenario = "hostkey-rotated"
	FaultDebugFlood     Scenario = "debug-flood"
	FaultRefused        Scenario = "refused"
)

// AllScenarios lists every scenario and fault, states first.
func AllScenarios() []Scenario {
	return []Scenario{Healthy, FMGManaged, MigratedSeed, FortiGuardDown, PendingActivation,
		MobilePending, EmailUnset, MultiVDOM, ReadonlyAdmin, Banner, Paged, HAMember,
		FaultSlow, FaultDrop, FaultHang, FaultGarbage, FaultAuthFail, FaultHostKeyRotated,
		FaultDebugFlood, FaultRefused}
}

// StateScenarios lists the scenarios that describe device state (no faults).
func StateScenarios() []Scenario { return AllScenarios()[:12] }

// IsFault reports whether s is a transport/daemon fault rather than a state.
func (s Scenario) IsFault() bool {
	switch s {
	case FaultSlow, FaultDrop, FaultHang, FaultGarbage, FaultAuthFail, FaultHostKeyRotated,
		FaultDebugFlood, FaultRefused:
		return true
	}
	return false
}

// Valid reports whether s is a known scenario name.
func (s Scenario) Valid() bool {
	for _, k := range append(AllScenarios(), ExtraScenarios()...) {
		if k == s {
			return true
		}
	}
	return false
}

// defaultMix is the 12-device layout that shows every scenario at least once.
// Faults that make a device unusable (refused, hostkey-rotated, auth-fail,
// hang, garbage) each get their own device so that each is observable; the
// others ride on states they do not hide. See the package doc.
var defaultMix = [][]Scenario{
	{Healthy, Banner},
	{FMGManaged, EmailUnset, ReadonlyAdmin},
	{MigratedSeed, HAMember},
	{FortiGuardDown, FaultSlow},
	{PendingActivation, FaultDebugFlood},
	{MobilePending},
	{MultiVDOM, Paged},
	{FaultGarbage, FaultDrop},
	{FaultHang},
	{FaultAuthFail},
	{FaultHostKeyRotated},
	{FaultRefused},
}

// mixFor returns the scenarios of device i in the default mix: the
// 12-device layout first, then every state scenario alone, cycled.
func mixFor(i int) []Scenario {
	if i < len(defaultMix) {
		return append([]Scenario(nil), defaultMix[i]...)
	}
	st := StateScenarios()
	return []Scenario{st[(i-len(defaultMix))%len(st)]}
}

// ParseScenario checks a scenario name (as given to `ftktui sim --scenario`).
func ParseScenario(name string) (Scenario, error) {
	s := Scenario(strings.TrimSpace(name))
	if !s.Valid() {
		return "", fmt.Errorf("unknown scenario %q (known: %s)", name, scenarioList())
	}
	return s, nil
}

func scenarioList() string {
	var n []string
	for _, s := range append(AllScenarios(), ExtraScenarios()...) {
		n = append(n, string(s))
	}
	return strings.Join(n, ", ")
}

func has(list []Scenario, s Scenario) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
