package cleanup

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
	"github.com/ftktui/ftktui/tui"
)

// screenBuf is the TUI's output, safe for the program and the test.
type screenBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *screenBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *screenBuf) has(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Contains(s.b.String(), sub)
}

// panicOnScan is the real fleet backend whose scan handler panics once
// told to: a bug in a handler while a capture is armed on a real device.
type panicOnScan struct {
	tui.Backend
	boom chan struct{}
}

func (p panicOnScan) Scan(ctx context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult {
	select {
	case <-p.boom:
		panic("handler bug while debug is armed")
	case <-ctx.Done():
		return nil
	}
}

// runTUI starts the TUI on the real engine over a one-device fleet.
func runTUI(t *testing.T, b tui.Backend) (*io.PipeWriter, *screenBuf, chan error) {
	t.Helper()
	in, inW := io.Pipe()
	out := &screenBuf{}
	errc := make(chan error, 1)
	go func() {
		errc <- tui.RunWith(context.Background(), tui.Options{Backend: b, Inventory: "cleanup", NoColor: true,
			SaveDir: t.TempDir()}, tui.RunOptions{Input: in, Output: out, Width: 140, Height: 40})
	}()
	t.Cleanup(func() { _ = inW.Close() })
	if !testkit.Eventually(10*time.Second, func() bool { return out.has("cleanup") }) {
		t.Fatal("no first frame")
	}
	return inW, out, errc
}

func press(t *testing.T, w io.Writer, keys string) {
	t.Helper()
	if _, err := w.Write([]byte(keys)); err != nil {
		t.Fatal(err)
	}
}

// Closing the debug pane (d again) disarms the device while the TUI runs
// on; q afterwards exits cleanly.
func TestPaneClosedDisarms(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "pane", Scenarios: []sim.Scenario{sim.Healthy}}}, Seed: 11})
	e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	d := f.Device("pane")
	w, out, errc := runTUI(t, tui.NewFleetBackend(e))
	if !testkit.Eventually(15*time.Second, func() bool { return out.has("OK") || out.has("1/1") }) {
		t.Log("initial scan not visible yet; opening the pane anyway")
	}
	press(t, w, "d")
	assertArmed(t, d)
	press(t, w, "d")
	assertDisarmed(t, d, 0)
	if st := d.State(); st.DebugEnabled {
		t.Fatal("debug still enabled after the pane closed")
	}
	press(t, w, "q")
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("TUI exit: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("TUI did not quit on q")
	}
}

// A panic in a handler still disarms the real device before the process
// would die.
func TestPanicInHandlerDisarms(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "boom", Scenarios: []sim.Scenario{sim.Healthy}}}, Seed: 12})
	e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	d := f.Device("boom")
	b := panicOnScan{Backend: tui.NewFleetBackend(e), boom: make(chan struct{})}
	w, _, errc := runTUI(t, b)
	press(t, w, "d")
	assertArmed(t, d)
	close(b.boom)
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "panic") {
			t.Fatalf("Run after a panic returned %v, want the panic reported", err)
		}
		if strings.Contains(err.Error(), f.Password()) {
			t.Fatal("the panic message holds the password")
		}
	case <-time.After(20 * time.Second):
		t.Fatal("TUI did not return after a panic")
	}
	assertDisarmed(t, d, 0)
}

// proxiedTarget is a device.Target for d reached through a relay that the
// test can cut, with the relay's address in a known_hosts of its own.
func proxiedTarget(t *testing.T, f *testkit.Fleet, d *sim.Device) (device.Target, *testkit.Proxy) {
	t.Helper()
	p := testkit.StartProxy(t, d.Addr())
	kh := filepath.Join(t.TempDir(), "known_hosts")
	testkit.AddKnownHost(t, kh, p.Addr(), d.KnownHostKey())
	pw := f.Password()
	return device.Target{Name: d.Name(), Host: "127.0.0.1", Port: p.Port(), User: f.User(),
		Password:    func(context.Context) (string, error) { return pw, nil },
		KnownHosts:  kh,
		DialTimeout: 5 * time.Second, CommandTimeout: 3 * time.Second, Keepalive: 500 * time.Millisecond}, p
}

// The connection dropping in the middle of a capture: the stream
// reconnects and re-arms, and closing it afterwards disarms the device.
func TestConnectionDroppedMidStream(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "drop", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 13})
	d := f.Device("drop")
	tgt, p := proxiedTarget(t, f, d)
	ds, err := device.StartDebug(context.Background(), tgt, device.DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertArmed(t, d)
	resets := d.State().ResetCount
	if n := p.Cut(); n == 0 {
		t.Fatal("nothing to cut: the stream is not relayed")
	}
	sawNotice := false
	deadline := time.After(20 * time.Second)
	for !sawNotice {
		select {
		case l, ok := <-ds.Lines():
			if !ok {
				t.Fatalf("stream ended after one drop: %v", ds.Err())
			}
			sawNotice = strings.Contains(l.Message, "reconnected")
		case <-deadline:
			t.Fatal("no reconnect notice within 20s of the drop")
		}
	}
	assertArmed(t, d)
	if err := ds.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	assertDisarmed(t, d, resets)
}

// The connection dropping and the capture being closed at once (the user
// quits right as the link fails): the disarm goes over a fresh connection.
func TestDroppedThenClosedDisarms(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "drop2", Scenarios: []sim.Scenario{sim.Healthy}}}, Seed: 14})
	d := f.Device("drop2")
	tgt, p := proxiedTarget(t, f, d)
	ds, err := device.StartDebug(context.Background(), tgt, device.DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertArmed(t, d)
	p.Cut()
	if err := ds.Close(); err != nil {
		t.Errorf("Close after a drop: %v", err)
	}
	assertDisarmed(t, d, 0)
}

// An action that fails on the device (activation refused by FortiGuard)
// still ends with its capture disarmed and reset.
func TestFailedActionDisarms(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "fgd", Scenarios: []sim.Scenario{sim.FortiGuardDown}}},
		Seed: 15, ActivationDelay: 200 * time.Millisecond})
	e := testkit.StartEngine(t, f, 5*time.Second, 20*time.Second)
	d := f.Device("fgd")
	sn := d.State().Tokens[0].Serial
	ctx := context.Background()
	p, err := e.Plan(ctx, fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fgd", Token: sn, Force: true})
	if err != nil || p.Refused != "" {
		t.Fatalf("plan: %v %q", err, p.Refused)
	}
	res := e.Run(ctx, p, nil)
	if res.Outcome != fleet.OutcomeUnknown {
		t.Fatalf("activation against FortiGuard-down verified? %+v", res)
	}
	if !strings.Contains(res.Message, "not exist in FortiGuard") && !strings.Contains(res.Message, "status") {
		t.Errorf("failure does not say why: %q", res.Message)
	}
	assertDisarmed(t, d, 0)
}

// The link turns into a black hole mid-capture (no FIN, no RST: a cable
// pulled, a firewall state lost). Keepalives notice, the stream
// reconnects once the path is back, re-arms, and Close disarms.
func TestBlackholedStreamReconnects(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "hole", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 16})
	d := f.Device("hole")
	tgt, p := proxiedTarget(t, f, d)
	tgt.DialTimeout = 2 * time.Second
	ds, err := device.StartDebug(context.Background(), tgt, device.DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	assertArmed(t, d)
	resets := d.State().ResetCount
	p.Freeze()
	time.Sleep(2 * time.Second) // several keepalive intervals (500ms) pass unanswered
	p.Thaw()
	deadline := time.After(30 * time.Second)
	for reconnected := false; !reconnected; {
		select {
		case l, ok := <-ds.Lines():
			if !ok {
				t.Fatalf("stream ended instead of reconnecting: %v", ds.Err())
			}
			reconnected = strings.Contains(l.Message, "reconnected")
		case <-deadline:
			t.Fatal("a black-holed capture was not noticed and re-established within 30s")
		}
	}
	assertArmed(t, d)
	if err := ds.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	assertDisarmed(t, d, resets)
}
