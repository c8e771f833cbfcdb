package fleet

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

const (
	hwSN  = "FTK200ABCDEF0001"
	hwSN2 = "FTK200ABCDEF0002"
	mobSN = "FTKMOB0A1B2C3D4E"
)

func tf(sn, status string, seed bool, users ...string) TokenFacts {
	if users == nil {
		users = []string{}
	}
	return TokenFacts{TokenResult: TokenResult{Serial: sn, Kind: parse.TokenKind(sn), Status: status, Seed: seed, Users: users}}
}

// Each token rule, one case that must hit it and one close case that must not.
func TestTokenRules(t *testing.T) {
	cases := []struct {
		name string
		in   TokenFacts
		want Code
		sev  Severity
	}{
		{"active hardware with seed", tf(hwSN, "active", true, "jdoe"), CodeOK, SevInfo},
		{"provisioned mobile", tf(mobSN, "provisioned", true, "jdoe"), CodeOK, SevInfo},
		{"3b: new hardware, no seed, bound", tf(hwSN, "new", false, "jdoe"), CodeNeedsActivation, SevWarn},
		{"3b: new hardware, no seed, unbound is still to activate", tf(hwSN, "new", false), CodeNeedsActivation, SevWarn},
		{"new mobile bound", tf(mobSN, "new", false, "jdoe"), CodeNeedsActivation, SevWarn},
		{"new mobile unbound trial", tf(mobSN, "new", false), CodeUnassigned, SevInfo},
		{"active hardware not bound", tf(hwSN, "active", true), CodeUnassigned, SevInfo},
		{"3a: seed + already activated", tf(hwSN, parse.StatusAlreadyActivated, true, "jdoe", "admin:root"), CodeDeleteReadd, SevError},
		{"3a: seed + not in FortiGuard", tf(hwSN, parse.StatusNotInFortiGuard, true, "jdoe"), CodeDeleteReadd, SevError},
		{"already activated, no seed", tf(hwSN, parse.StatusAlreadyActivated, false, "jdoe"), CodeActivatedElsewhere, SevError},
		{"activation error, no seed", tf(hwSN, parse.StatusNotInFortiGuard, false, "jdoe"), CodeNotInFortiGuard, SevError},
		{"mobile provisioning", tf(mobSN, "provisioning", false, "jdoe"), CodePending, SevWarn},
		{"mobile provision timeout", tf(mobSN, "provision timeout", false, "jdoe"), CodeProvisionTimeout, SevWarn},
		{"locked status", tf(mobSN, "locked", true, "jdoe"), CodeLocked, SevWarn},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := MatchToken(c.in)
			if r.Code != c.want || r.Severity != c.sev {
				t.Errorf("got %s/%s, want %s/%s", r.Code, r.Severity, c.want, c.sev)
			}
		})
	}
	locked := tf(hwSN, "active", true, "jdoe")
	locked.Locked = true
	if got := MatchToken(locked).Code; got != CodeLocked {
		t.Errorf("config `set status lock`: got %s", got)
	}
}

func healthyFacts() (DeviceResult, Facts) {
	r := DeviceResult{Name: "paris-fw1", Reachable: true, CentralManagement: CentralMgmtResult{Type: "none"},
		FortiGuard:  []PingCheck{{Host: "fds1.fortinet.com", Reachable: true}, {Host: "directregistration.fortinet.com", Reachable: true}},
		EmailServer: EmailResult{Server: "notification.fortinet.net", Port: 465, Security: "smtps"}}
	f := Facts{Inventory: "inv.yaml",
		TokenInfo: parse.TokenInfo{ServerStatus: "reachable", Tokens: []parse.TokenRow{
			{Serial: hwSN, Status: "new"}, {Serial: mobSN, Status: "provisioned"}}},
		TokenConfigs: []parse.TokenConfig{{Serial: hwSN}, {Serial: mobSN, HasSeed: true}},
		Accounts: []parse.Account{
			{Name: "jdoe", Kind: "user", TwoFactor: "fortitoken", FortiToken: hwSN},
			{Name: "root", Kind: "admin", TwoFactor: "fortitoken", FortiToken: hwSN},
			{Name: "old", Kind: "user", TwoFactor: "disable", FortiToken: mobSN},
			{Name: "amy", Kind: "user", TwoFactor: "fortitoken", FortiToken: mobSN},
		},
		Debug: &parse.DebugInfo{Levels: map[string]int{}},
	}
	return r, f
}

func codes(r DeviceResult, token bool) []string {
	var out []string
	for _, f := range r.Findings {
		if (f.Token != "") == token {
			out = append(out, string(f.Code))
		}
	}
	return out
}

func TestDiagnoseTokensAndBindings(t *testing.T) {
	r, f := healthyFacts()
	Diagnose(&r, f)
	if got := codes(r, false); len(got) != 0 {
		t.Errorf("device findings = %v, want none", got)
	}
	if len(r.Tokens) != 2 || r.TokenServer != "reachable" {
		t.Fatalf("tokens = %+v", r.Tokens)
	}
	hw := r.Tokens[0]
	if hw.Diagnosis != CodeNeedsActivation || strings.Join(hw.Users, ",") != "jdoe,admin:root" || hw.Step != "3b/5b" {
		t.Errorf("hw = %+v", hw)
	}
	want := "ftktui activate -i 'inv.yaml' --device 'paris-fw1' --token " + hwSN
	if hw.Action != ActionActivate || hw.Command != want {
		t.Errorf("suggestion %q / %q, want activate / %q", hw.Action, hw.Command, want)
	}
	if strings.Contains(hw.Advice, "press") || strings.Contains(hw.Advice, "ftktui ") {
		t.Errorf("advice %q names a key or a command: the renderers do that", hw.Advice)
	}
	if m := r.Tokens[1]; m.Diagnosis != CodeOK || strings.Join(m.Users, ",") != "amy" || m.Kind != "mobile" {
		t.Errorf("mobile = %+v (a disabled two-factor does not bind)", m)
	}
	if got := codes(r, true); strings.Join(got, ",") != "NEEDS_ACTIVATION" {
		t.Errorf("token findings = %v", got)
	}
}

func TestDeviceRules(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*DeviceResult, *Facts)
		want   Code
		sev    Severity
		step   string
	}{
		{"fmg", func(r *DeviceResult, _ *Facts) {
			r.CentralManagement = CentralMgmtResult{Type: "fortimanager", FMG: "192.0.2.50"}
		},
			CodeFMGManaged, SevWarn, "1"},
		{"fortiguard", func(r *DeviceResult, _ *Facts) {
			r.FortiGuard[1] = PingCheck{Host: "directregistration.fortinet.com", Error: "Unable to resolve hostname."}
		}, CodeFortiGuardUnreachable, SevError, "1"},
		{"token server", func(_ *DeviceResult, f *Facts) { f.TokenInfo.ServerStatus = "unreachable" },
			CodeTokenServerUnreachable, SevError, "2"},
		{"email unset", func(r *DeviceResult, _ *Facts) { r.EmailServer = EmailResult{} }, CodeEmailServerUnset, SevError, "email"},
		{"debug left on", func(_ *DeviceResult, f *Facts) { f.Debug = &parse.DebugInfo{Levels: map[string]int{"forticldd": 255}} },
			CodeDebugLeftOn, SevWarn, "4"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, f := healthyFacts()
			c.mutate(&r, &f)
			Diagnose(&r, f)
			got := codes(r, false)
			if len(got) != 1 || got[0] != string(c.want) {
				t.Fatalf("device findings = %v, want [%s]", got, c.want)
			}
			fd := r.Findings[0]
			if fd.Severity != c.sev || fd.Step != c.step || fd.Advice == "" || fd.Message == "" {
				t.Errorf("finding = %+v", fd)
			}
		})
	}
	// email unset only matters when mobile tokens exist.
	r, f := healthyFacts()
	r.EmailServer = EmailResult{}
	f.TokenConfigs, f.TokenInfo.Tokens = f.TokenConfigs[:1], f.TokenInfo.Tokens[:1]
	Diagnose(&r, f)
	if got := codes(r, false); len(got) != 0 {
		t.Errorf("no mobile tokens: findings = %v", got)
	}
	// An email server that could not be read is not an unset one.
	r, f = healthyFacts()
	r.EmailServer, f.EmailUnknown = EmailResult{}, true
	Diagnose(&r, f)
	if got := codes(r, false); len(got) != 0 {
		t.Errorf("unreadable email server: findings = %v", got)
	}
}

func TestDiagnoseFMGAdvice(t *testing.T) {
	r, f := healthyFacts()
	r.CentralManagement = CentralMgmtResult{Type: "fortimanager", FMG: "192.0.2.50"}
	Diagnose(&r, f)
	if !strings.Contains(r.Tokens[0].Advice, "FortiManager") || r.Findings[0].Message != "managed by FortiManager 192.0.2.50" {
		t.Errorf("fmg advice %q / %q", r.Tokens[0].Advice, r.Findings[0].Message)
	}
}

type errTest string

func (e errTest) Error() string { return string(e) }
