// Package secrets proves docs/spec.md §4's redaction promise on every artefact of a
// real run — the audit log, saved debug logs, `scan --json`, a headless
// action's --debug-log and everything the TUI put on the screen — by
// grepping them for the password and every activation code and ENC value
// the simulator holds; and that host keys are checked strictly.
package secrets

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

var (
	buildOnce sync.Once
	binPath   string
	binDir    string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "ftktui-secrets-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { binPath = testkit.BuildBinary(t, binDir) })
	if binPath == "" {
		t.Fatal("ftktui binary was not built")
	}
	return binPath
}

// secretSet collects every secret the fleet has held during the test.
type secretSet struct {
	mu sync.Mutex
	m  map[string]string // secret -> where it came from
}

func (s *secretSet) add(v, from string) {
	if len(v) < 6 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]string{}
	}
	s.m[v] = from
}

var encRe = regexp.MustCompile(`ENC ([A-Za-z0-9+/=]{8,})`)

// harvest records the password and the current activation code of every
// token. ENC values need no harvest: FortiOS (and the simulator) re-salt
// them on every `show`, so any `ENC <base64>` in an artefact is a leak.
func (s *secretSet) harvest(t *testing.T, f *testkit.Fleet) {
	t.Helper()
	s.add(f.Password(), "password")
	for _, d := range f.Devices() {
		for _, tk := range d.State().Tokens {
			s.add(tk.ActivationCode, d.Name()+" "+tk.Serial+" activation code")
		}
	}
}

// execOn runs lines on a simulated device over an SSH exec channel.
func execOn(t *testing.T, f *testkit.Fleet, d *sim.Device, lines string) string {
	t.Helper()
	cfg := &ssh.ClientConfig{User: f.User(), Auth: []ssh.AuthMethod{ssh.Password(f.Password())},
		HostKeyCallback: ssh.FixedHostKey(d.KnownHostKey()), Timeout: 30 * time.Second}
	c, err := ssh.Dial("tcp", d.Addr(), cfg)
	if err != nil {
		t.Fatalf("reading %s's secrets: %v", d.Name(), err)
	}
	defer c.Close()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatalf("reading %s's secrets: %v", d.Name(), err)
	}
	defer sess.Close()
	out, _ := sess.CombinedOutput(lines)
	return string(out)
}

// found lists where the secrets present in b came from.
func (s *secretSet) found(b []byte) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for v, from := range s.m {
		if bytes.Contains(b, []byte(v)) {
			out = append(out, from)
		}
	}
	for _, m := range encRe.FindAll(b, 3) {
		out = append(out, "an ENC value ("+string(m[:7])+"…)")
	}
	return out
}

// grep fails the test for every secret found in an artefact.
func (s *secretSet) grep(t *testing.T, name string, b []byte) {
	t.Helper()
	for _, from := range s.found(b) {
		t.Errorf("%s holds a secret (%s)", name, from)
	}
}

// The full run of issue #9 §5: the TUI on a simulated fleet with a resend
// on the mobile-pending device and a ctrl+s save of its debug pane, then
// `scan --json` and a headless `resend --yes --debug-log`. No artefact holds
// the password, an activation code or an ENC value.
func TestNoSecretInAnyArtefact(t *testing.T) {
	bin := binary(t)
	f := testkit.StartFleet(t, sim.Options{Devices: 12, Seed: 1, ActivationDelay: 300 * time.Millisecond,
		SlowLatency: 100 * time.Millisecond})
	var secrets secretSet
	secrets.harvest(t, f)
	if len(secrets.m) < 3 {
		t.Fatalf("only %d secrets harvested; the sim should hold a password and activation codes", len(secrets.m))
	}
	var mobile *sim.Device
	for _, d := range f.Devices() {
		if slices.Equal(d.Scenarios(), []sim.Scenario{sim.MobilePending}) {
			mobile = d
		}
	}
	if mobile == nil {
		t.Fatal("no mobile-pending device in the default mix")
	}
	// The grep works: the unredacted configuration is full of secrets. (The
	// mobile-pending unit has no post-login banner, which blocks exec.)
	raw := execOn(t, f, mobile, "show user fortitoken\nshow user local")
	if len(secrets.found([]byte(raw))) < 2 || len(secrets.found([]byte(f.Password()))) != 1 {
		t.Fatal("the secret grep does not find the secrets in raw device output")
	}
	work := t.TempDir()
	saveDir := filepath.Join(work, "tmp")
	if err := os.Mkdir(saveDir, 0o700); err != nil {
		t.Fatal(err)
	}
	audit := filepath.Join(work, "audit.jsonl")

	// 1. The TUI: debug pane, resend, ctrl+s, quit.
	tm := newTerm(t, "cd "+work+" && TMPDIR="+saveDir+" FTKTUI_PASSWORD='"+f.Password()+"' NO_COLOR=1 '"+bin+
		"' -i '"+f.Inventory+"' --audit-log '"+audit+"'; echo TUI-EXIT=$?; sleep 60")
	resendAndSave(tm, mobile.Name())
	secrets.harvest(t, f) // the resend set a new code
	tm.keys("q")
	tm.waitFor("TUI-EXIT=", 30)

	// 2. scan --json.
	env := append(os.Environ(), "FTKTUI_PASSWORD="+f.Password(), "NO_COLOR=1")
	scan := exec.Command(bin, "scan", "-i", f.Inventory, "--json", "--timeout", "10s", "--audit-log", audit)
	scan.Env = env
	jsonOut, _ := scan.Output()
	if !bytes.Contains(jsonOut, []byte(`"devices"`)) {
		t.Fatalf("scan --json printed no report: %s", jsonOut)
	}

	// 3. A headless resend with --debug-log.
	var sn string
	for _, tk := range mobile.State().Tokens {
		if tk.Status == "provisioning" || tk.Status == "provision timeout" {
			sn = tk.Serial
		}
	}
	debugLog := filepath.Join(work, "resend-debug.log")
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	resend := exec.CommandContext(ctx, bin, "resend", "-i", f.Inventory, "--device", mobile.Name(), "--token", sn,
		"--yes", "--debug-log", debugLog, "--audit-log", audit)
	resend.Env = env
	resendOut, err := resend.CombinedOutput()
	if err != nil {
		t.Errorf("resend: %v\n%s", err, resendOut)
	}
	secrets.harvest(t, f)

	// Every artefact, grepped for every secret ever held.
	artefacts := map[string][]byte{"scan --json": jsonOut, "resend output": resendOut}
	for i, s := range tm.screens {
		artefacts["screen "+strconvI(i)] = []byte(s)
	}
	for _, p := range []string{audit, debugLog} {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			t.Errorf("artefact %s missing or empty: %v", p, err)
		}
		artefacts[filepath.Base(p)] = b
	}
	saved, _ := filepath.Glob(filepath.Join(saveDir, "ftktui-debug-*.log"))
	if len(saved) == 0 {
		t.Error("ctrl+s saved no debug log")
	}
	for _, p := range saved {
		b, _ := os.ReadFile(p)
		artefacts[filepath.Base(p)] = b
	}
	sawCodeLine := false
	for name, b := range artefacts {
		secrets.grep(t, name, b)
		sawCodeLine = sawCodeLine || bytes.Contains(b, []byte("«redacted»"))
	}
	if !sawCodeLine {
		t.Error("no artefact shows a redaction marker: the resend's activation-code lines were never captured, so the grep proved nothing")
	}
	t.Logf("%d secrets grepped in %d artefacts", len(secrets.m), len(artefacts))
}

// resendAndSave drives the TUI as an admin would: open the device, open
// its debug pane, resend the activation email (confirming the plan), then
// save the debug pane with ctrl+s.
func resendAndSave(tm *term, device string) {
	tm.t.Helper()
	tm.waitFor(device, 30)
	tm.keys("/")
	tm.literal(device)
	tm.keys("Enter", "Enter")
	tm.waitFor("PENDING", 30)
	tm.keys("d")
	tm.waitFor("Debug · "+device, 10)
	tm.keys("e")
	tm.waitFor("fortitoken-mobile provision FTK", 15)
	tm.keys("y")
	tm.waitFor("verified", 30)
	time.Sleep(time.Second) // let the alertmail lines with the new code arrive
	tm.screen()
	tm.keys("Escape", "C-s")
	tm.waitFor("saved", 10)
}

func strconvI(i int) string { return string(rune('a'+i%26)) + strings.Repeat("+", i/26) }

// knownHostsLine is the OpenSSH line for a device's expected key.
func knownHostsLine(d *sim.Device) string {
	return knownhosts.Line([]string{knownhosts.Normalize(d.Addr())}, d.KnownHostKey())
}
