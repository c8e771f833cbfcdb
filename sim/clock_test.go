package sim

import (
	"strings"
	"testing"
	"time"
)

// timedExec runs cmd on an exec channel and returns stdout and how long it took.
func timedExec(t *testing.T, f *Fleet, d *Device, cmd string) (string, time.Duration) {
	t.Helper()
	c := dial(t, f, d)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	// FortiOS's exec writes errors on stderr (with exit status 0).
	out, _ := s.CombinedOutput(cmd)
	return string(out), time.Since(start)
}

// The WAN delay is inside the simulator: the key exchange pays it too
// (several round trips before the first prompt), and so does every command.
func TestRTTOnHandshakeAndCommands(t *testing.T) {
	f := startFleet(t, Options{Devices: 1, Scenarios: []Scenario{Healthy}, RTT: 100 * time.Millisecond})
	d := f.Devices()[0]
	start := time.Now()
	c := dial(t, f, d)
	if dt := time.Since(start); dt < 300*time.Millisecond {
		t.Errorf("handshake took %v with a 100 ms RTT; SSH needs at least 3 round trips", dt)
	}
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start = time.Now()
	out, _ := s.Output("get system status")
	if dt := time.Since(start); dt < 100*time.Millisecond {
		t.Errorf("a command took %v with a 100 ms RTT (the exec request and its answer are one round trip)", dt)
	}
	if !strings.Contains(string(out), "Hostname: ") {
		t.Errorf("output lost through the WAN: %q", out)
	}
}

// Jitter varies the delay but never reorders bytes.
func TestJitterKeepsOrder(t *testing.T) {
	f := startFleet(t, Options{Devices: 1, Scenarios: []Scenario{Paged}, RTT: 20 * time.Millisecond, Jitter: 20 * time.Millisecond})
	d := f.Devices()[0]
	out, _ := timedExec(t, f, d, "show user fortitoken")
	if strings.Count(out, "edit \"FTK") < 50 || !strings.Contains(out, "config user fortitoken") {
		t.Fatalf("exec output mangled by jitter:\n%s", out)
	}
	last := strings.LastIndex(out, "end")
	if last < strings.LastIndex(out, "next") {
		t.Fatalf("bytes reordered: `end` before the last `next`")
	}
}

func TestRealTimingPing(t *testing.T) {
	if testing.Short() {
		t.Skip("real timing takes seconds")
	}
	f := startFleet(t, Options{Devices: 2, Scenarios: []Scenario{Healthy, FortiGuardDown}, Timing: TimingReal})
	healthy, down := f.Devices()[0], f.Devices()[1]

	out, dt := timedExec(t, f, healthy, "execute ping-options repeat-count 2\nexecute ping fds1.fortinet.com")
	if dt < time.Second || dt > 3*time.Second || !strings.Contains(out, "2 packets transmitted, 2 packets received") {
		t.Errorf("repeat-count 2 took %v (want 1 s interval + reply):\n%s", dt, out)
	}
	out, dt = timedExec(t, f, healthy, "execute ping-options adaptive-ping enable\nexecute ping fds1.fortinet.com")
	if dt > 800*time.Millisecond || !strings.Contains(out, "5 packets transmitted") {
		t.Errorf("adaptive ping took %v (want 5 × reply time):\n%s", dt, out)
	}
	// ping-options belong to the CLI session: a new session has the defaults.
	out, _ = timedExec(t, f, healthy, "execute ping-options view-settings")
	if !strings.Contains(out, "Repeat Count: 5") || !strings.Contains(out, "Adaptive Ping: disable") {
		t.Errorf("a new session kept earlier ping-options:\n%s", out)
	}
	out, dt = timedExec(t, f, down, "execute ping fds1.fortinet.com")
	if dt < time.Second || !strings.Contains(out, "Unable to resolve hostname.") {
		t.Errorf("DNS failure took %v:\n%s", dt, out)
	}
	out, dt = timedExec(t, f, down, "execute ping-options repeat-count 2\nexecute ping-options timeout 1\nexecute ping 96.45.33.89")
	if dt < 2*time.Second || !strings.Contains(out, "2 packets transmitted, 0 packets received, 100% packet loss") {
		t.Errorf("lost packets took %v (want (count-1) × interval + timeout = 2 s):\n%s", dt, out)
	}
	_, dt = timedExec(t, f, healthy, "diagnose debug reset")
	if dt < realDebugReset {
		t.Errorf("diagnose debug reset took %v, FortiOS was seen taking %v", dt, realDebugReset)
	}
}

func TestInstantTimingIsInstant(t *testing.T) {
	f := startFleet(t, Options{Devices: 1, Scenarios: []Scenario{Healthy}})
	out, dt := timedExec(t, f, f.Devices()[0], "execute ping fds1.fortinet.com\ndiagnose debug reset")
	if dt > 500*time.Millisecond || !strings.Contains(out, "5 packets transmitted") {
		t.Errorf("instant timing took %v:\n%s", dt, out)
	}
}

func TestPingOptionsValidation(t *testing.T) {
	f := startFleet(t, Options{Devices: 1, Scenarios: []Scenario{Healthy}})
	out, _ := timedExec(t, f, f.Devices()[0], "execute ping-options repeat-count zero\nexecute ping-options bogus 1")
	if !strings.Contains(out, "value parse error before 'zero'") || !strings.Contains(out, "command parse error before 'bogus'") {
		t.Errorf("bad ping-options accepted:\n%s", out)
	}
}
