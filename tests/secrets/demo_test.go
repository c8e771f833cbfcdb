package secrets

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// codeRe finds an activation code in any of the forms FortiOS prints it.
var codeRe = regexp.MustCompile(`(?i)activation[ _-]code[" ]*(?:is)?[:=]?[ "]*([A-Z2-7]{16})\b`)

// `ftktui demo` itself (its simulator lives inside the process): the same
// admin session, then the audit log, the saved debug log and every screen
// are checked for the activation codes of a twin simulator (same seed, so
// the same initial codes), for any activation code in any printed form,
// and for any ENC value.
func TestDemoRunNoSecrets(t *testing.T) {
	bin := binary(t)
	twin := testkit.StartFleet(t, sim.Options{Devices: 12, Seed: 1})
	var secrets secretSet
	for _, d := range twin.Devices() {
		for _, tk := range d.State().Tokens {
			secrets.add(tk.ActivationCode, d.Name()+" "+tk.Serial+" activation code (twin)")
		}
	}
	var mobile string
	for _, d := range twin.Devices() {
		if slices.Equal(d.Scenarios(), []sim.Scenario{sim.MobilePending}) {
			mobile = d.Name()
		}
	}
	if mobile == "" || len(secrets.m) == 0 {
		t.Fatal("twin simulator has no mobile-pending device or no codes")
	}
	work := t.TempDir()
	saveDir := filepath.Join(work, "tmp")
	if err := os.Mkdir(saveDir, 0o700); err != nil {
		t.Fatal(err)
	}
	audit := filepath.Join(work, "audit.jsonl")
	tm := newTerm(t, "cd "+work+" && TMPDIR="+saveDir+" NO_COLOR=1 '"+bin+"' demo --seed 1 --audit-log '"+audit+
		"'; echo TUI-EXIT=$?; sleep 60")
	resendAndSave(tm, mobile)
	tm.keys("q")
	tm.waitFor("TUI-EXIT=", 30)

	artefacts := map[string][]byte{}
	for i, s := range tm.screens {
		artefacts["screen "+strconvI(i)] = []byte(s)
	}
	b, err := os.ReadFile(audit)
	if err != nil || len(b) == 0 {
		t.Fatalf("demo audit log: %v", err)
	}
	artefacts["audit.jsonl"] = b
	saved, _ := filepath.Glob(filepath.Join(saveDir, "ftktui-debug-*.log"))
	if len(saved) == 0 {
		t.Fatal("ctrl+s saved no debug log")
	}
	for _, p := range saved {
		b, _ := os.ReadFile(p)
		artefacts[filepath.Base(p)] = b
	}
	for name, b := range artefacts {
		secrets.grep(t, name, b)
		if m := codeRe.FindSubmatch(b); m != nil {
			t.Errorf("%s shows an activation code: %q", name, m[0])
		}
	}
}

// The pattern catches every printed form the simulator uses (so a pass of
// the demo test means no code was printed, not that the regexp is blind).
func TestCodePatternCatchesEveryForm(t *testing.T) {
	for _, s := range []string{
		`set activation-code "BF5R6CTNYNCCWXLW"`,
		`alertmail_send_ftm_activation[812]:token FTKMOB0000000001, activation code: BF5R6CTNYNCCWXLW, to "u@example.com"`,
		`FortiToken Mobile activation code BF5R6CTNYNCCWXLW for FTKMOB0000000001`,
		`ftm_fc_comm_recv_response[266]:{"sn":"FTKMOB0000000001","activation_code":"BF5R6CTNYNCCWXLW"}`,
		`activation code is: BF5R6CTNYNCCWXLW`,
	} {
		if !codeRe.MatchString(s) {
			t.Errorf("pattern misses %q", s)
		}
	}
}
