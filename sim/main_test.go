package sim

import (
	"context"
	mrand "math/rand/v2"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: Close
// must stop listeners, sessions, debug emitters and timers.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestConsecutivePortsAndLatency(t *testing.T) {
	// Ports below the kernel's ephemeral range, so that client sockets of
	// concurrent tests do not take them; a random base avoids other runs.
	var f *Fleet
	var lastErr error
	for try := 0; try < 20 && f == nil; try++ {
		base := 20000 + mrand.IntN(10000)
		f, lastErr = Start(context.Background(), Options{Devices: 3, Scenarios: []Scenario{Healthy, FaultRefused},
			Listen: "127.0.0.1:" + strconv.Itoa(base), Latency: 150 * time.Millisecond})
		if f != nil {
			for i, d := range f.Devices() {
				if d.Port() != base+i {
					t.Errorf("device %d on port %d, want %d", i, d.Port(), base+i)
				}
			}
		}
	}
	if f == nil {
		t.Fatalf("no free consecutive ports found: %v", lastErr)
	}
	t.Cleanup(func() { f.Close() })
	d := f.Devices()[0]
	c := dial(t, f, d)
	start := time.Now()
	if out := execOut(t, c, "get system status\nget system console"); !strings.Contains(out, "output              : more") {
		t.Errorf("exec: %q", out)
	}
	if el := time.Since(start); el < 300*time.Millisecond {
		t.Errorf("two commands with 150ms latency took %v", el)
	}
}

func TestStartErrors(t *testing.T) {
	for _, o := range []Options{
		{Devices: 1, Scenarios: []Scenario{"nope"}},
		{Listen: "127.0.0.1"},
		{Specs: []DeviceSpec{{Name: "a"}, {Name: "a"}}},
	} {
		if f, err := Start(context.Background(), o); err == nil {
			f.Close()
			t.Errorf("Start(%+v) succeeded", o)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	f, err := Start(ctx, Options{Devices: 2})
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(2 * time.Second)
	for {
		if _, err := net.DialTimeout("tcp", f.Devices()[0].Addr(), time.Second); err != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("fleet still listening after ctx cancel")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := f.Close(); err != nil {
		t.Error(err)
	}
}

func TestParseScenario(t *testing.T) {
	for _, s := range AllScenarios() {
		if got, err := ParseScenario(string(s)); err != nil || got != s {
			t.Errorf("ParseScenario(%q) = %q, %v", s, got, err)
		}
	}
	if s, err := ParseScenario("vdom-admin"); err != nil || s != VDOMAdmin {
		t.Errorf("vdom-admin: %v", err)
	}
	if _, err := ParseScenario("healthy2"); err == nil || !strings.Contains(err.Error(), "mobile-pending") {
		t.Errorf("bad name: %v", err)
	}
}

// TestCloseWithBusySessions closes the fleet while sessions sit in the
// pager, stream a debug flood, hang, and wait for an activation.
func TestCloseWithBusySessions(t *testing.T) {
	f, err := Start(context.Background(), Options{ActivationDelay: time.Hour, Specs: []DeviceSpec{
		{Scenarios: []Scenario{Paged}}, {Scenarios: []Scenario{PendingActivation, FaultDebugFlood}}, {Scenarios: []Scenario{FaultHang}}}})
	if err != nil {
		t.Fatal(err)
	}
	ds := f.Devices()
	var terms []*term
	for i, d := range ds {
		c, err := dialErr(f, d, f.Password())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		m := openTerm(t, c, 10)
		terms = append(terms, m)
		p := d.Hostname() + " # "
		switch i {
		case 0:
			m.readUntil(p, 5*time.Second)
			m.send("show user fortitoken\n")
			m.readUntil("--More-- ", 5*time.Second)
		case 1:
			m.readUntil(p, 5*time.Second)
			m.run("execute fortitoken activate "+d.State().Tokens[0].Serial, p)
			armKB(t, m, p, "forticldd")
			m.readUntil("fds_queue_task", 5*time.Second)
		case 2:
			m.send("get system status\n")
		}
	}
	if st := ds[1].State(); st.PendingActions != 1 || !st.DebugEnabled {
		t.Fatalf("busy state not reached: %+v", st)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	for i, m := range terms {
		if !m.drainUntilEnded(5 * time.Second) {
			t.Fatalf("session %d still open after Close", i)
		}
	}
	if st := ds[1].State(); st.OpenSessions != 0 || st.OpenConns != 0 {
		t.Errorf("after close: sessions=%d conns=%d", st.OpenSessions, st.OpenConns)
	}
}
