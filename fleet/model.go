// Package fleet runs the FortiToken KB procedure across an inventory (loaded
// by package inventory): it scans devices concurrently, diagnoses every
// token, plans and runs actions, and writes the audit log. Presentation
// (table, JSON document, CSV, Prometheus, exit codes) is package report's.
package fleet

import (
	"strings"
	"time"
)

// Report is the whole `scan --json` document.
type Report struct {
	Devices []DeviceResult `json:"devices"`
	// CrossReference says which units the tokens' `elsewhere` covers.
	CrossReference *CrossScope `json:"cross_reference,omitempty"`
}

// DeviceResult is one device in `scan --json`; field names are the contract.
type DeviceResult struct {
	Name              string            `json:"name"`
	Host              string            `json:"host"`
	Port              int               `json:"port"`
	Reachable         bool              `json:"reachable"`
	Error             string            `json:"error"`
	Hostname          string            `json:"hostname"`
	Model             string            `json:"model"`
	Version           string            `json:"version"`
	Build             string            `json:"build"`
	Serial            string            `json:"serial"`
	VDOMMode          string            `json:"vdom_mode"`
	VDOM              string            `json:"vdom,omitempty"` // the VDOM that was scanned on multi-VDOM units
	CentralManagement CentralMgmtResult `json:"central_management"`
	FortiGuard        []PingCheck       `json:"fortiguard"`
	TokenServer       string            `json:"token_server"` // reachable | unreachable | unknown
	EmailServer       EmailResult       `json:"email_server"`
	Tokens            []TokenResult     `json:"tokens"`
	Findings          []Finding         `json:"findings"`
	HA                *HAResult         `json:"ha,omitempty"`        // HA cluster membership; absent on standalone units
	ReadOnly          bool              `json:"read_only,omitempty"` // the admin has a read-only profile ($ prompt)
	ScannedAt         time.Time         `json:"scanned_at"`
	DurationMS        int64             `json:"duration_ms"`
	// Steps: where the time went (connect, each read, each ping on its own
	// session); parallel steps overlap.
	Steps []StepTiming `json:"steps,omitempty"`
}

// CentralMgmtResult is the central-management part of a DeviceResult.
type CentralMgmtResult struct {
	Type string `json:"type"`
	FMG  string `json:"fmg"`
}

// PingCheck is one FortiGuard reachability probe (KB step 1).
type PingCheck struct {
	Host      string  `json:"host"`
	Reachable bool    `json:"reachable"`
	LossPct   float64 `json:"loss_pct"`
	Error     string  `json:"error,omitempty"`
}

// EmailResult is the email-server part of a DeviceResult.
type EmailResult struct {
	Server   string `json:"server"`
	Port     int    `json:"port"`
	Security string `json:"security"`
}

// TokenResult is one token with its diagnosis.
type TokenResult struct {
	Serial    string   `json:"serial"`
	Kind      string   `json:"kind"` // hardware | mobile
	Drift     int      `json:"drift"`
	Status    string   `json:"status"`
	Seed      bool     `json:"seed"`
	Users     []string `json:"users"`            // users and admins bound to the token; admins as "admin:NAME"
	Locked    bool     `json:"locked,omitempty"` // config `set status lock`
	Diagnosis Code     `json:"diagnosis"`
	Severity  Severity `json:"severity"`
	Advice    string   `json:"advice"`
	Step      string   `json:"step,omitempty"` // KB step the diagnosis comes from, e.g. "3a/5a"
	// Action is the rule book's fix that can run now ("" when none); the
	// console shows it as a key, headless output as Command.
	Action Action `json:"suggested_action,omitempty"`
	// Command is Action as a shell-quoted headless command line, built from
	// validated values only ("" when there is no action or a value is unfit).
	Command string `json:"command,omitempty"`
	// Elsewhere: the other scanned units where this token serial is
	// configured (CrossReference fills it; [] when none).
	Elsewhere []TokenPlace `json:"elsewhere"`
	kb        *kbFix       // the scan's own advice and fix, while CrossReference replaced them
}

// Finding is one diagnosis about a device or one of its tokens.
type Finding struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	Step     string   `json:"step"` // KB step: "1", "3b/5b", "email"; "" for connection findings
	Message  string   `json:"message"`
	Advice   string   `json:"advice,omitempty"`
	Token    string   `json:"token,omitempty"` // set for token findings
}

// Worst returns the most severe severity among the findings ("" when none).
func (d DeviceResult) Worst() Severity {
	worst := Severity("")
	for _, f := range d.Findings {
		switch {
		case f.Severity == SevError:
			return SevError
		case f.Severity == SevWarn:
			worst = SevWarn
		case f.Severity == SevInfo && worst == "":
			worst = SevInfo
		}
	}
	return worst
}

// Failed reports whether the device makes a scan fail (exit 1): it is
// unreachable, its scan failed, or a finding has severity error.
func (d DeviceResult) Failed() bool {
	return !d.Reachable || d.Error != "" || d.Worst() == SevError
}

// FindingCodes lists the distinct codes of a device, device findings first,
// comma-separated (the table's FINDINGS cell, the action log's warnings).
func (d DeviceResult) FindingCodes() string {
	seen := map[Code]bool{}
	var out []string
	for _, f := range d.Findings {
		if f.Code == CodeOK || seen[f.Code] {
			continue
		}
		seen[f.Code] = true
		out = append(out, string(f.Code))
	}
	return strings.Join(out, ",")
}

// findingCodes is DeviceResult.FindingCodes under the name run.go and
// actions.go use (left so the structure change does not touch them).
func findingCodes(r DeviceResult) string { return r.FindingCodes() }

// EventKind tells what a scan progress Event reports.
type EventKind string

// Scan progress event kinds.
const (
	EventStarted  EventKind = "started"  // a device's scan began
	EventStep     EventKind = "step"     // a device finished one KB step (Step says which)
	EventFinished EventKind = "finished" // a device's scan ended; Result is set
)

// Event is a progress report from a running scan.
type Event struct {
	Kind   EventKind
	Device string
	Step   string        // human label of the step just finished
	Result *DeviceResult // set on EventFinished
	Done   int           // devices finished so far in this run
	Total  int           // devices in this run
}
