package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

const (
	hwSN  = "FTK200ABCDEF0001"
	mobSN = "FTKMOB0A1B2C3D4E"
)

// diagnosed is a reachable unit diagnosed by fleet's rules from facts: a
// hardware token waiting for activation (NEEDS_ACTIVATION, with a command)
// and a provisioned mobile token. extra tokens join the facts.
func diagnosed(inv string, extra ...string) fleet.DeviceResult {
	r := fleet.DeviceResult{Name: "paris-fw1", Host: "192.0.2.10", Port: 22, Reachable: true,
		CentralManagement: fleet.CentralMgmtResult{Type: "none"},
		FortiGuard:        []fleet.PingCheck{{Host: "fds1.fortinet.com", Reachable: true}},
		EmailServer:       fleet.EmailResult{Server: "notification.fortinet.net", Port: 465, Security: "smtps"}}
	f := fleet.Facts{Inventory: inv,
		TokenInfo:    parse.TokenInfo{ServerStatus: "reachable", Tokens: []parse.TokenRow{{Serial: hwSN, Status: "new"}, {Serial: mobSN, Status: "provisioned"}}},
		TokenConfigs: []parse.TokenConfig{{Serial: hwSN}, {Serial: mobSN, HasSeed: true}},
		Accounts: []parse.Account{{Name: "jdoe", Kind: "user", TwoFactor: "fortitoken", FortiToken: hwSN},
			{Name: "amy", Kind: "user", TwoFactor: "fortitoken", FortiToken: mobSN}},
		Debug: &parse.DebugInfo{Levels: map[string]int{}},
	}
	for _, sn := range extra {
		f.TokenInfo.Tokens = append(f.TokenInfo.Tokens, parse.TokenRow{Serial: sn, Status: "new"})
		f.TokenConfigs = append(f.TokenConfigs, parse.TokenConfig{Serial: sn})
		f.Accounts = append(f.Accounts, parse.Account{Name: "eve", Kind: "user", TwoFactor: "fortitoken", FortiToken: sn})
	}
	fleet.Diagnose(&r, f)
	return r
}

// down is a unit that could not be reached, as fleet reports one.
func down() fleet.DeviceResult {
	return fleet.DeviceResult{Name: "down", Host: "192.0.2.9", Port: 22, Error: "dial tcp: connection refused",
		Findings: []fleet.Finding{{Code: fleet.CodeUnreachable, Severity: fleet.SevError, Message: "cannot connect: dial tcp: connection refused"}}}
}

// The scan table stays aligned with colour on: escape codes take no columns.
func TestTableAlignedWithColour(t *testing.T) {
	var sb strings.Builder
	if err := WriteTable(&sb, []fleet.DeviceResult{diagnosed("inv.yaml"), down()}, true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(ansi.Strip(sb.String()), "\n")
	col := strings.Index(lines[0], "MODEL")
	for _, l := range lines[1:3] {
		if len(l) <= col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("MODEL column not at %d in %q (header %q)", col, l, lines[0])
		}
	}
	if !strings.Contains(sb.String(), "run: ftktui activate -i 'inv.yaml' --device 'paris-fw1' --token "+hwSN) {
		t.Errorf("table lacks the quoted command:\n%s", sb.String())
	}
}

func TestExitCodeAndTable(t *testing.T) {
	r := diagnosed("inv.yaml")
	if ExitCode([]fleet.DeviceResult{r}) != 0 {
		t.Error("warn-only fleet should exit 0")
	}
	if ExitCode([]fleet.DeviceResult{r, down()}) != 1 {
		t.Error("unreachable device should exit 1")
	}
	var sb strings.Builder
	if err := WriteTable(&sb, []fleet.DeviceResult{r, down()}, false); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	for _, w := range []string{"paris-fw1", "NEEDS_ACTIVATION", "down", "unreachable", "UNREACHABLE", "connection refused"} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour off must print no escape codes")
	}
}

// Informational diagnoses are summed up per code so a unit with dozens of
// spare tokens does not drown the findings that need work.
func TestTableSumsUpInfoTokens(t *testing.T) {
	r := fleet.DeviceResult{Name: "spare-fw", Host: "192.0.2.7", Port: 22, Reachable: true}
	for i := range 5 {
		r.Tokens = append(r.Tokens, fleet.TokenResult{Serial: fmt.Sprintf("FTK20000000000%02d", i), Diagnosis: fleet.CodeUnassigned, Severity: fleet.SevInfo})
	}
	r.Findings = append(r.Findings, fleet.Finding{Code: fleet.CodeUnassigned, Severity: fleet.SevInfo, Token: "FTK2000000000000"})
	var sb strings.Builder
	if err := WriteTable(&sb, []fleet.DeviceResult{r}, false); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if !strings.Contains(out, "5 token(s) UNASSIGNED: FTK2000000000000, FTK2000000000001, FTK2000000000002, … (2 more)") {
		t.Errorf("info tokens not summed up:\n%s", out)
	}
	if strings.Contains(out, "FTK2000000000004") {
		t.Errorf("info tokens listed one by one:\n%s", out)
	}
	if !strings.Contains(out, "192.0.2.7:22  ok") {
		t.Errorf("a device with only info findings is ok:\n%s", out)
	}
}

// Issue 15 §4, the table's side (fleet.TestHostileSerialFromDeviceOutput
// reads the serial from device text): no table line offers a command for a
// hostile serial, which gets its own finding.
func TestHostileSerialTable(t *testing.T) {
	evil := "FTK2000000000009;touch${IFS}/tmp/x;#"
	var sb strings.Builder
	if err := WriteTable(&sb, []fleet.DeviceResult{diagnosed("hostile inv.yaml", evil)}, false); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if strings.Contains(out, "--token FTK2000000000009") || strings.Contains(out, "--token '"+evil) {
		t.Errorf("table offers a command with the hostile serial:\n%s", out)
	}
	if !strings.Contains(out, "INVALID_SERIAL") {
		t.Errorf("table lacks the INVALID_SERIAL finding:\n%s", out)
	}
	if !strings.Contains(out, "ftktui activate -i 'hostile inv.yaml' --device 'paris-fw1' --token "+hwSN) {
		t.Errorf("table lacks the quoted command of the valid token:\n%s", out)
	}
}
