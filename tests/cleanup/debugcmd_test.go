package cleanup

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

var (
	buildOnce sync.Once
	binPath   string
)

// binary builds ./cmd/ftktui once per test process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() { binPath = testkit.BuildBinary(t, binDir) })
	if binPath == "" {
		t.Fatal("ftktui binary was not built")
	}
	return binPath
}

// debugRun is a running `ftktui debug` process.
type debugRun struct {
	cmd    *exec.Cmd
	stderr *lineLog
	done   chan error
}

// lineLog collects a stream's lines for polling.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) add(s string) {
	l.mu.Lock()
	l.lines = append(l.lines, s)
	l.mu.Unlock()
}

func (l *lineLog) has(sub string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.lines {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func (l *lineLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// startDebug runs `ftktui debug -i INV --device NAME extra...` on plain
// pipes and waits until it reports the capture armed.
func startDebug(t *testing.T, f *testkit.Fleet, name string, extra ...string) *debugRun {
	t.Helper()
	args := append([]string{"debug", "-i", f.Inventory, "--device", name,
		"--audit-log", f.Dir + "/audit.jsonl"}, extra...)
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "FTKTUI_PASSWORD="+f.Password(), "NO_COLOR=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &debugRun{cmd: cmd, stderr: &lineLog{}, done: make(chan error, 1)}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			r.stderr.add(sc.Text())
		}
	}()
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
		}
	}()
	go func() {
		wg.Wait()
		r.done <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-r.done
	})
	if !testkit.Eventually(20*time.Second, func() bool { return r.stderr.has("debug armed") }) {
		t.Fatalf("ftktui debug did not arm within 20s; stderr:\n%s", r.stderr)
	}
	return r
}

// wait waits for the process to exit.
func (r *debugRun) wait(t *testing.T, d time.Duration) error {
	t.Helper()
	select {
	case err := <-r.done:
		r.done <- err
		return err
	case <-time.After(d):
		t.Fatalf("ftktui did not exit within %s; stderr:\n%s", d, r.stderr)
		return nil
	}
}

// assertArmed checks the device really has debug on (so that a clean state
// afterwards is the cleanup's doing, not a capture that never started).
func assertArmed(t *testing.T, d *sim.Device) {
	t.Helper()
	if !testkit.Eventually(5*time.Second, func() bool {
		st := d.State()
		return st.DebugEnabled && st.DebugLevels["forticldd"] == 255
	}) {
		st := d.State()
		t.Fatalf("%s: debug not armed: enabled=%v levels=%v", d.Name(), st.DebugEnabled, st.DebugLevels)
	}
}

// assertDisarmed checks docs/spec.md §4: debug disabled and reset on the device.
func assertDisarmed(t *testing.T, d *sim.Device, resetsBefore int) {
	t.Helper()
	ok := testkit.Eventually(5*time.Second, func() bool {
		st := d.State()
		return st.DebugClean() && !st.DebugEnabled && st.ResetCount > resetsBefore
	})
	if !ok {
		st := d.State()
		t.Fatalf("%s: debug left behind: enabled=%v levels=%v fortitoken=%v resets=%d (before %d)",
			d.Name(), st.DebugEnabled, st.DebugLevels, st.FortitokenDebug, st.ResetCount, resetsBefore)
	}
	st := d.State()
	var disable, reset bool
	for _, c := range st.Commands {
		disable = disable || c == "diagnose debug disable"
		reset = reset || c == "diagnose debug reset"
	}
	if !disable || !reset {
		t.Fatalf("%s: disable sent=%v reset sent=%v", d.Name(), disable, reset)
	}
}

// Every signal that ends `ftktui debug` leaves the device disarmed.
func TestDebugCommandSignals(t *testing.T) {
	signals := []struct {
		name string
		sig  syscall.Signal
	}{{"ctrl-c", syscall.SIGINT}, {"sigterm", syscall.SIGTERM}, {"sighup", syscall.SIGHUP}}
	specs := make([]sim.DeviceSpec, len(signals))
	for i, s := range signals {
		specs[i] = sim.DeviceSpec{Name: s.name, Scenarios: []sim.Scenario{sim.Healthy}}
	}
	f := testkit.StartFleet(t, sim.Options{Specs: specs, Seed: 3})
	for _, s := range signals {
		t.Run(s.name, func(t *testing.T) {
			d := f.Device(s.name)
			before := d.State().ResetCount
			r := startDebug(t, f, s.name)
			assertArmed(t, d)
			if err := r.cmd.Process.Signal(s.sig); err != nil {
				t.Fatal(err)
			}
			if err := r.wait(t, 20*time.Second); err != nil {
				t.Errorf("exit after %s: %v; stderr:\n%s", s.name, err, r.stderr)
			}
			assertDisarmed(t, d, before)
			if !r.stderr.has("debug disabled and reset") {
				t.Errorf("no disarm confirmation on stderr:\n%s", r.stderr)
			}
		})
	}
}

// --for elapsing is the normal way out of a headless capture.
func TestDebugCommandForElapses(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "timed", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 4})
	d := f.Device("timed")
	r := startDebug(t, f, "timed", "--for", "1500ms")
	assertArmed(t, d)
	if err := r.wait(t, 20*time.Second); err != nil {
		t.Errorf("exit: %v; stderr:\n%s", err, r.stderr)
	}
	assertDisarmed(t, d, 0)
}

// A SIGKILL cannot be caught; a later `ftktui debug` session cleans up
// after itself as usual, and the next scan reports the debug the killed
// process left behind as DEBUG_LEFT_ON (someone must know).
func TestDebugLeftByKilledProcessIsReported(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "killed", Scenarios: []sim.Scenario{sim.Healthy}}}, Seed: 5})
	d := f.Device("killed")
	r := startDebug(t, f, "killed")
	assertArmed(t, d)
	_ = r.cmd.Process.Kill()
	_ = r.wait(t, 10*time.Second)
	// The session died with the process, so `debug enable` is gone, but
	// the application levels are device-wide and stay.
	if !testkit.Eventually(5*time.Second, func() bool { return !d.State().DebugEnabled }) {
		t.Fatal("session debug still enabled after the process died")
	}
	if d.State().DebugClean() {
		t.Fatal("application levels vanished with the session; the sim contract says they are device-wide")
	}
	e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	res := e.ScanDevice(context.Background(), e.Inv.Devices[0])
	found := false
	for _, fd := range res.Findings {
		found = found || fd.Code == "DEBUG_LEFT_ON"
	}
	if !found {
		t.Errorf("debug left by a killed process not reported: findings %+v", res.Findings)
	}
}

// The real binary with the link dropping mid-capture: `ftktui debug`
// reconnects, re-arms, and still leaves the device disarmed when stopped.
func TestDebugCommandConnectionDropped(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "flaky", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 6})
	d := f.Device("flaky")
	p := testkit.StartProxy(t, d.Addr())
	testkit.AddKnownHost(t, filepath.Join(f.Dir, "known_hosts"), p.Addr(), d.KnownHostKey())
	b, err := os.ReadFile(f.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	inv := strings.Replace(string(b), "port: "+strconv.Itoa(d.Port()), "port: "+strconv.Itoa(p.Port()), 1)
	testkit.WriteFileT(t, f.Inventory, []byte(inv))
	r := startDebug(t, f, "flaky")
	assertArmed(t, d)
	resets := d.State().ResetCount
	if p.Cut() == 0 {
		t.Fatal("the capture does not go through the relay")
	}
	// Re-armed on a new connection: a second `diagnose debug enable`.
	if !testkit.Eventually(15*time.Second, func() bool {
		n := 0
		for _, c := range d.State().Commands {
			if c == "diagnose debug enable" {
				n++
			}
		}
		return n >= 2 && d.State().DebugEnabled
	}) {
		t.Fatalf("not re-armed after the drop; stderr:\n%s", r.stderr)
	}
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := r.wait(t, 20*time.Second); err != nil {
		t.Errorf("exit: %v; stderr:\n%s", err, r.stderr)
	}
	assertDisarmed(t, d, resets)
}

// SIGTERM while a headless action waits for its verification: the capture
// armed for the action is disarmed, the process says the action is not
// verified (exit ≠ 0), and nothing is re-sent.
func TestActionInterruptedBySignal(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "act", Scenarios: []sim.Scenario{sim.PendingActivation}}},
		Seed: 7, ActivationDelay: 30 * time.Second})
	d := f.Device("act")
	var sn string
	for _, tk := range d.State().Tokens {
		if tk.Status == "new" {
			sn = tk.Serial
		}
	}
	cmd := exec.Command(binary(t), "activate", "-i", f.Inventory, "--device", "act", "--token", sn, "--yes",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl"))
	cmd.Env = append(os.Environ(), "FTKTUI_PASSWORD="+f.Password(), "NO_COLOR=1")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
		done <- nil
	})
	if !testkit.Eventually(20*time.Second, func() bool { return d.State().ActivationAttempts[sn] == 1 }) {
		t.Fatal("the activation was never sent")
	}
	assertArmed(t, d)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-done:
		done <- err
	case <-time.After(30 * time.Second):
		t.Fatalf("activate did not exit within 30s of SIGTERM:\n%s", out.String())
	}
	if err == nil {
		t.Errorf("an interrupted, unverified activation exited 0:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "interrupted") || !strings.Contains(out.String(), "sent") {
		t.Errorf("the result does not say the line was sent and the wait interrupted:\n%s", out.String())
	}
	assertDisarmed(t, d, 0)
	if n := d.State().ActivationAttempts[sn]; n != 1 {
		t.Errorf("activation attempts = %d", n)
	}
	t.Logf("output:\n%s", out.String())
}
