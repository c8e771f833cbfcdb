package fleet

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/sim"
)

// The estate of issue 18: paris holds tokens that a migration left stale
// on lyon; an HA pair (ha-a, ha-b) shares its tokens; one token is
// configured active on two unrelated units (oslo and rome).
func crossFleet(t *testing.T) []DeviceResult {
	t.Helper()
	const (
		moved1 = "FTK2000000MOVED1"
		moved2 = "FTK2000000MOVED2"
		shared = "FTK2000000HAPAIR"
		twice  = "FTK2000000TWICE1"
		drift  = "FTK2000000DRIFT1"
	)
	paris := spec("paris", sim.Healthy)
	paris.ExtraTokens = []sim.TokenSpec{{Serial: moved1, Seed: true, User: "mover1"}, {Serial: moved2, Seed: true, User: "mover2"}}
	lyon := spec("lyon", sim.Healthy)
	lyon.ExtraTokens = []sim.TokenSpec{
		{Serial: moved1, Status: "token already activated, and seed won't be returned", User: "mover1"},
		{Serial: moved2, Status: "token already activated, and seed won't be returned", Seed: true, User: "mover2"},
	}
	haA, haB := spec("ha-a", sim.Healthy), spec("ha-b", sim.Healthy)
	haA.HAGroup, haB.HAGroup = "core-cluster", "core-cluster"
	haA.ExtraTokens = []sim.TokenSpec{{Serial: shared, Seed: true, User: "hauser"}}
	haB.ExtraTokens = haA.ExtraTokens
	oslo, rome := spec("oslo", sim.Healthy), spec("rome", sim.Healthy)
	oslo.ExtraTokens = []sim.TokenSpec{{Serial: twice, Seed: true, User: "twin"}, {Serial: drift, Seed: true, Drift: 12, User: "drifter"}}
	rome.ExtraTokens = []sim.TokenSpec{{Serial: twice, Seed: true, User: "twin"}}
	_, e := simFleet(t, paris, lyon, haA, haB, oslo, rome)
	results := e.Scan(context.Background(), e.Inv.Devices, nil)
	CrossReference(Pointers(results))
	for _, r := range results {
		if !r.Reachable {
			t.Fatalf("%s unreachable: %s", r.Name, r.Error)
		}
	}
	return results
}

func byName(rs []DeviceResult, name string) *DeviceResult {
	for i := range rs {
		if rs[i].Name == name {
			return &rs[i]
		}
	}
	return nil
}

func tokenOf(r *DeviceResult, sn string) *TokenResult {
	for i := range r.Tokens {
		if r.Tokens[i].Serial == sn {
			return &r.Tokens[i]
		}
	}
	return nil
}

func findingsFor(r *DeviceResult, code Code, sn string) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Code == code && f.Token == sn {
			out = append(out, f)
		}
	}
	return out
}

func TestCrossReferenceMigratedUnit(t *testing.T) {
	rs := crossFleet(t)
	lyon, paris := byName(rs, "lyon"), byName(rs, "paris")
	for _, sn := range []string{"FTK2000000MOVED1", "FTK2000000MOVED2"} {
		tok := tokenOf(lyon, sn)
		if tok == nil || len(tok.Elsewhere) != 1 || tok.Elsewhere[0].Device != "paris" ||
			tok.Elsewhere[0].Serial != paris.Serial || tok.Elsewhere[0].Status != "active" || !tok.Elsewhere[0].Seed {
			t.Fatalf("lyon %s elsewhere = %+v", sn, tok)
		}
		fs := findingsFor(lyon, CodeTokenActiveOnOtherUnit, sn)
		if len(fs) != 1 || fs[0].Severity != SevWarn {
			t.Fatalf("lyon %s findings = %+v", sn, lyon.Findings)
		}
		for _, want := range []string{"paris", paris.Serial, lyon.Serial, sn, "Do not re-add"} {
			if !strings.Contains(fs[0].Advice, want) || !strings.Contains(tok.Advice, want) {
				t.Errorf("advice for %s lacks %q: %s", sn, want, fs[0].Advice)
			}
		}
		// The KB diagnosis stays what the KB says.
		if tok.Diagnosis != CodeActivatedElsewhere && tok.Diagnosis != CodeDeleteReadd {
			t.Errorf("%s diagnosis %s", sn, tok.Diagnosis)
		}
		// paris, where the token works, gets no finding about it.
		if fs := findingsFor(paris, CodeTokenActiveOnOtherUnit, sn); len(fs) != 0 {
			t.Errorf("paris has %v", fs)
		}
		if fs := findingsFor(paris, CodeTokenOnSeveralUnits, sn); len(fs) != 0 {
			t.Errorf("paris has %v", fs)
		}
	}
	if got := tokenOf(lyon, "FTK2000000MOVED2").Diagnosis; got != CodeDeleteReadd {
		t.Errorf("seeded stale copy diagnosis = %s, want DELETE_READD kept", got)
	}
}

func TestCrossReferenceHAPairIsNotAFinding(t *testing.T) {
	rs := crossFleet(t)
	a, b := byName(rs, "ha-a"), byName(rs, "ha-b")
	if a.HA == nil || b.HA == nil || len(a.HA.Members) != 2 || a.HA.Group != "core-cluster" {
		t.Fatalf("HA not detected: %+v %+v", a.HA, b.HA)
	}
	if !strings.Contains(a.HA.Mode, "primary") || !strings.Contains(b.HA.Mode, "backup") {
		t.Errorf("modes %q %q", a.HA.Mode, b.HA.Mode)
	}
	tok := tokenOf(a, "FTK2000000HAPAIR")
	if len(tok.Elsewhere) != 1 || tok.Elsewhere[0].Device != "ha-b" || !tok.Elsewhere[0].SameCluster ||
		tok.Elsewhere[0].Cluster != "core-cluster" {
		t.Fatalf("ha-a elsewhere = %+v", tok.Elsewhere)
	}
	for _, r := range []*DeviceResult{a, b} {
		for _, f := range r.Findings {
			if f.Code == CodeTokenOnSeveralUnits || f.Code == CodeTokenActiveOnOtherUnit {
				t.Errorf("%s: HA peers sharing a token produced %+v", r.Name, f)
			}
		}
	}
	// Standalone units carry no ha block.
	if byName(rs, "oslo").HA != nil {
		t.Errorf("standalone unit reports HA")
	}
}

func TestCrossReferenceActiveOnTwoUnits(t *testing.T) {
	rs := crossFleet(t)
	for _, pair := range [][2]string{{"oslo", "rome"}, {"rome", "oslo"}} {
		r := byName(rs, pair[0])
		fs := findingsFor(r, CodeTokenOnSeveralUnits, "FTK2000000TWICE1")
		if len(fs) != 1 || fs[0].Severity != SevError || !strings.Contains(fs[0].Message, pair[1]) {
			t.Fatalf("%s findings = %+v", pair[0], r.Findings)
		}
	}
	if !slices.ContainsFunc(rs, DeviceResult.Failed) {
		t.Errorf("a token active on two units must make the scan exit 1")
	}
}

func TestTokenDrift(t *testing.T) {
	rs := crossFleet(t)
	oslo := byName(rs, "oslo")
	fs := findingsFor(oslo, CodeTokenDrift, "FTK2000000DRIFT1")
	if len(fs) != 1 || fs[0].Severity != SevWarn || !strings.Contains(fs[0].Message, "12") {
		t.Fatalf("drift findings = %+v", oslo.Findings)
	}
	if tokenOf(oslo, "FTK2000000DRIFT1").Drift != 12 {
		t.Errorf("drift not read")
	}
	for _, r := range rs {
		for _, f := range r.Findings {
			if f.Code == CodeTokenDrift && f.Token != "FTK2000000DRIFT1" {
				t.Errorf("%s: unexpected drift finding %+v", r.Name, f)
			}
		}
	}
}

// Running it again (the console does after every refresh) neither
// duplicates findings nor keeps advice whose cause went away.
func TestCrossReferenceIdempotent(t *testing.T) {
	rs := crossFleet(t)
	CrossReference(Pointers(rs))
	lyon := byName(rs, "lyon")
	if n := len(findingsFor(lyon, CodeTokenActiveOnOtherUnit, "FTK2000000MOVED1")); n != 1 {
		t.Fatalf("%d findings after a second pass", n)
	}
	// paris unreachable now: lyon's stale copy has no known active twin.
	byName(rs, "paris").Reachable = false
	CrossReference(Pointers(rs))
	tok := tokenOf(lyon, "FTK2000000MOVED1")
	if len(tok.Elsewhere) != 0 || strings.Contains(tok.Advice, "Do not re-add") {
		t.Fatalf("stale cross-reference kept: %+v", tok)
	}
	if n := len(findingsFor(lyon, CodeTokenActiveOnOtherUnit, "FTK2000000MOVED1")); n != 0 {
		t.Fatalf("finding kept")
	}
	b, _ := json.Marshal(tok)
	if !strings.Contains(string(b), `"elsewhere":[]`) {
		t.Errorf("elsewhere must be [] in JSON, got %s", b)
	}
}

func TestCrossScopePartial(t *testing.T) {
	rs := []DeviceResult{{Name: "a", Reachable: true}, {Name: "b"}}
	s := NewCrossScope(rs, 5)
	if !s.Partial || s.Scanned != 1 || !strings.Contains(s.Note, "only the 2 units scanned") {
		t.Fatalf("%+v", s)
	}
	if s := NewCrossScope(rs, 2); s.Partial || s.Note != "" {
		t.Fatalf("%+v", s)
	}
}

// The rule book reads the cross-reference: activate and readd are refused
// for a token that is active on another unit, and nothing suggests them.
func TestRuleBookRefusesTokenActiveElsewhere(t *testing.T) {
	rs := crossFleet(t)
	lyon := byName(rs, "lyon")
	tok := tokenOf(lyon, "FTK2000000MOVED2") // DELETE_READD, seed here, active on paris
	v := Check(ActionReadd, lyon, tok, Gate{})
	if v.Eligible() || !strings.Contains(v.Reason, "paris") {
		t.Fatalf("readd of a token active on paris: %+v", v)
	}
	if tok.Action != "" || tok.Command != "" {
		t.Errorf("still suggests %q / %q", tok.Action, tok.Command)
	}
	// Once paris is gone from the scan, the KB fix comes back.
	byName(rs, "paris").Reachable = false
	CrossReference(Pointers(rs))
	if tok.Action != ActionReadd || !strings.Contains(tok.Command, "readd") {
		t.Errorf("KB fix not restored: %q / %q", tok.Action, tok.Command)
	}
	if !Check(ActionReadd, lyon, tok, Gate{}).Eligible() {
		t.Errorf("readd still refused without the other unit")
	}
}
