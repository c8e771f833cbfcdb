package fleet

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

// Every diagnosis × every action: eligible or not, and the suggestion.
// One table answers planner, batch, console and advice, so this is the
// whole contract of "which action fits which token".
func TestRuleBookMatrix(t *testing.T) {
	okDev := func() *DeviceResult {
		return &DeviceResult{Name: "paris-fw1", Reachable: true, EmailServer: EmailResult{Server: "notification.fortinet.net"}}
	}
	tok := func(sn, status string, seed bool, users ...string) *TokenResult {
		f := tf(sn, status, seed, users...)
		rule := MatchToken(f)
		tr := f.TokenResult
		tr.Diagnosis = rule.Code
		return &tr
	}
	A, X, E, N := ActionActivate, ActionReadd, ActionResend, ActionRenew
	cases := []struct {
		name    string
		t       *TokenResult
		want    Code
		allowed []Action // eligible actions
		suggest Action
	}{
		{"ok hardware", tok(hwSN, "active", true, "jdoe"), CodeOK, nil, ""},
		{"ok mobile", tok(mobSN, "provisioned", true, "jdoe"), CodeOK, nil, ""},
		{"new hardware", tok(hwSN, "new", false, "jdoe"), CodeNeedsActivation, []Action{A}, A},
		{"new mobile bound", tok(mobSN, "new", false, "jdoe"), CodeNeedsActivation, []Action{E}, E},
		{"seed + error hardware", tok(hwSN, parse.StatusNotInFortiGuard, true, "jdoe"), CodeDeleteReadd, []Action{X}, X},
		{"seed + error mobile", tok(mobSN, parse.StatusNotInFortiGuard, true, "jdoe"), CodeDeleteReadd, []Action{X, N}, X},
		{"elsewhere", tok(hwSN, parse.StatusAlreadyActivated, false, "jdoe"), CodeActivatedElsewhere, nil, ""},
		{"not in fortiguard hardware", tok(hwSN, parse.StatusNotInFortiGuard, false, "jdoe"), CodeNotInFortiGuard, []Action{A}, A},
		{"not in fortiguard mobile", tok(mobSN, parse.StatusNotInFortiGuard, false, "jdoe"), CodeNotInFortiGuard, []Action{N}, N},
		{"pending", tok(mobSN, "provisioning", false, "jdoe"), CodePending, []Action{E}, E},
		{"pending unbound", tok(mobSN, "provisioning", false), CodePending, nil, ""},
		{"timeout", tok(mobSN, "provision timeout", false, "jdoe"), CodeProvisionTimeout, []Action{N, E}, N},
		{"locked mobile", tok(mobSN, "locked", true, "jdoe"), CodeLocked, []Action{N}, N},
		{"locked hardware", tok(hwSN, "locked", true, "jdoe"), CodeLocked, nil, ""},
		{"unassigned", tok(mobSN, "new", false), CodeUnassigned, nil, ""},
		{"invalid serial", tok("FTK2000000000009;touch${IFS}/tmp/x;#", "new", false, "jdoe"), CodeInvalidSerial, nil, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.t.Diagnosis != c.want {
				t.Fatalf("diagnosis %s, want %s", c.t.Diagnosis, c.want)
			}
			r := okDev()
			for _, a := range TokenActions {
				v := Check(a, r, c.t, Gate{})
				want := contains(c.allowed, a)
				if v.Eligible() != want {
					t.Errorf("%s: eligible=%v (%q), want %v", a, v.Eligible(), v.Reason, want)
				}
				if v.Suggest != "" && !Check(v.Suggest, r, c.t, Gate{}).Eligible() {
					t.Errorf("%s refused but suggests %s, which is refused too", a, v.Suggest)
				}
				if !v.Eligible() && v.Suggest == a {
					t.Errorf("%s refused and suggests itself", a)
				}
			}
			if got := Suggest(r, c.t, Gate{}); got != c.suggest {
				t.Errorf("suggest %q, want %q", got, c.suggest)
			}
			// Device-level blocks refuse every action and suggest none.
			for _, block := range []func(*DeviceResult){
				func(r *DeviceResult) { r.Findings = append(r.Findings, Finding{Code: CodeFortiGuardUnreachable}) },
				func(r *DeviceResult) { r.Findings = append(r.Findings, Finding{Code: CodeFMGManaged}) },
				func(r *DeviceResult) { r.ReadOnly = true },
				func(r *DeviceResult) { r.Reachable = false },
			} {
				r := okDev()
				block(r)
				for _, a := range TokenActions {
					if v := Check(a, r, c.t, Gate{}); v.Eligible() || v.Suggest != "" {
						t.Errorf("%s on a blocked device: %+v", a, v)
					}
				}
				if s := Suggest(r, c.t, Gate{}); s != "" {
					t.Errorf("blocked device suggests %s", s)
				}
			}
			for _, a := range TokenActions {
				if v := Check(a, okDev(), c.t, Gate{ReadOnly: true}); v.Eligible() {
					t.Errorf("%s eligible in --read-only", a)
				}
			}
		})
	}
}

func contains(as []Action, a Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}

// The three contradictions of issue 14 §1.
func TestRuleBookContradictions(t *testing.T) {
	// FTM `new` + bound user: the advice's action is eligible.
	r, f := healthyFacts()
	f.TokenInfo.Tokens[1].Status = "new"
	f.TokenConfigs[1].HasSeed = false
	Diagnose(&r, f)
	mob := &r.Tokens[1]
	if mob.Diagnosis != CodeNeedsActivation || mob.Action != ActionResend {
		t.Fatalf("mobile new: %s / %q", mob.Diagnosis, mob.Action)
	}
	if v := Check(ActionResend, &r, mob, Gate{}); !v.Eligible() {
		t.Errorf("advice says resend but resend is refused: %s", v.Reason)
	}
	if v := Check(ActionActivate, &r, mob, Gate{}); v.Eligible() || v.Suggest != ActionResend {
		t.Errorf("activate on mobile: %+v", v)
	}
	// Renew on a PENDING token: refused everywhere (docs/spec.md §6), with resend suggested.
	pend := TokenResult{Serial: mobSN, Kind: "mobile", Status: "provisioning", Diagnosis: CodePending, Users: []string{"amy"}}
	if v := Check(ActionRenew, &r, &pend, Gate{}); v.Eligible() || v.Suggest != ActionResend {
		t.Errorf("renew on pending: %+v", v)
	}
	// FortiGuard unreachable: no token advice suggests an action.
	r, f = healthyFacts()
	r.FortiGuard[0].Reachable = false
	Diagnose(&r, f)
	hw := r.Tokens[0]
	if hw.Diagnosis != CodeNeedsActivation || hw.Action != "" || hw.Command != "" {
		t.Errorf("FortiGuard down still suggests %q / %q", hw.Action, hw.Command)
	}
	if !strings.Contains(hw.Advice, "not possible now: FortiGuard") {
		t.Errorf("advice does not say why: %q", hw.Advice)
	}
}

// Issue 15 §4: a serial from the device never reaches a command line.
func TestHostileSerialNeverInCommand(t *testing.T) {
	evil := "FTK2000000000009;touch${IFS}/tmp/x;#"
	r, f := healthyFacts()
	f.TokenInfo.Tokens = append(f.TokenInfo.Tokens, parse.TokenRow{Serial: evil, Status: "new"})
	f.TokenConfigs = append(f.TokenConfigs, parse.TokenConfig{Serial: evil})
	f.Accounts = append(f.Accounts, parse.Account{Name: "eve", Kind: "user", TwoFactor: "fortitoken", FortiToken: evil})
	Diagnose(&r, f)
	bad := r.Tokens[2]
	if bad.Diagnosis != CodeInvalidSerial || bad.Severity != SevWarn || bad.Action != "" || bad.Command != "" {
		t.Errorf("hostile serial: %+v", bad)
	}
	for _, fd := range r.Findings {
		if strings.Contains(fd.Advice, "touch") || strings.Contains(fd.Advice, "-i ") {
			t.Errorf("advice carries the serial or a command: %+v", fd)
		}
	}
	if CommandLine(ActionActivate, "inv.yaml", "dev", evil) != "" {
		t.Error("CommandLine accepted an invalid serial")
	}
	got := CommandLine(ActionResend, "my inv's.yaml", "x'; rm -rf ~", mobSN)
	want := `ftktui resend -i 'my inv'\''s.yaml' --device 'x'\''; rm -rf ~' --token ` + mobSN
	if got != want {
		t.Errorf("quoting:\n got %s\nwant %s", got, want)
	}
	if CommandLine(ActionResend, "inv.yaml", "dev\nrm -rf ~", mobSN) != "" {
		t.Error("a newline in a name must not produce a command")
	}
}

// Issue 15 §4 end to end from device text: the hostile serial is parsed
// from real-format `diagnose fortitoken info` / `show user fortitoken` /
// `show user local` output; no table line, JSON field or advice offers a
// command for it, and it gets its own finding.
func TestHostileSerialFromDeviceOutput(t *testing.T) {
	evil := "FTK2000000000009;touch${IFS}/tmp/x;#"
	info, err := parse.ParseTokenInfo("FORTITOKEN        DRIFT  STATUS\n" + hwSN + "  0      new\n" + evil + "  0      new\n\n" +
		"Total activated token: 0\nTotal global activated token: 0\n\nToken server status: reachable\n")
	if err != nil {
		t.Fatal(err)
	}
	cfgs, err := parse.ParseTokenConfig("config user fortitoken\n    edit \"" + hwSN + "\"\n        set status active\n    next\n" +
		"    edit \"" + evil + "\"\n        set status active\n    next\nend\n")
	if err != nil {
		t.Fatal(err)
	}
	accts, err := parse.ParseAccounts("config user local\n    edit \"eve\"\n        set type password\n        set two-factor fortitoken\n"+
		"        set fortitoken \""+evil+"\"\n    next\n    edit \"jdoe\"\n        set type password\n        set two-factor fortitoken\n"+
		"        set fortitoken \""+hwSN+"\"\n    next\nend\n", parse.AccountUser)
	if err != nil {
		t.Fatal(err)
	}
	r, _ := healthyFacts()
	Diagnose(&r, Facts{Inventory: "hostile inv.yaml", TokenInfo: info, TokenConfigs: cfgs, Accounts: accts})
	var found bool
	for _, tk := range r.Tokens {
		if tk.Serial == evil {
			found = true
			if tk.Diagnosis != CodeInvalidSerial || tk.Action != "" || tk.Command != "" {
				t.Errorf("hostile token: %+v", tk)
			}
		}
	}
	if !found {
		t.Fatalf("the hostile serial was not read from the output: %+v", r.Tokens)
	}
	// The table's side of this is report.TestHostileSerialTable.
	js, _ := json.Marshal(r)
	for name, out := range map[string]string{"json": string(js)} {
		if strings.Contains(out, "--token FTK2000000000009") || strings.Contains(out, "--token '"+evil) {
			t.Errorf("%s offers a command with the hostile serial:\n%s", name, out)
		}
		if !strings.Contains(out, "INVALID_SERIAL") {
			t.Errorf("%s lacks the INVALID_SERIAL finding", name)
		}
		if !strings.Contains(out, "ftktui activate -i 'hostile inv.yaml' --device 'paris-fw1' --token "+hwSN) {
			t.Errorf("%s lacks the quoted command of the valid token", name)
		}
	}
}
