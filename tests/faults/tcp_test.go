package faults

import (
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/internal/testnet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

// tcpFault is a listener that misbehaves below SSH: what a firewall in the
// path, a wrong port, or a wedged sshd looks like.
type tcpFault struct {
	name   string
	serve  func(c net.Conn)
	expect string // must appear in the error
}

var tcpFaults = []tcpFault{
	{"blackhole", func(c net.Conn) { _, _ = io.Copy(io.Discard, c) }, "per-device bound of 5s: timed out"},
	{"banner-then-silence", func(c net.Conn) {
		_, _ = c.Write([]byte("SSH-2.0-OpenSSH_9.6p1\r\n"))
		_, _ = io.Copy(io.Discard, c)
	}, "per-device bound of 5s: timed out"},
	{"close-at-once", func(c net.Conn) {}, "ssh handshake"},
	{"http-server", func(c net.Conn) {
		_, _ = c.Write([]byte("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"))
	}, "ssh handshake"},
	{"reset", func(c net.Conn) {
		if tc, ok := c.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // RST instead of FIN
		}
		// The RST can land during connect or during the handshake; both
		// errors name it.
	}, "connection reset by peer"},
	{"endless-banner", func(c net.Conn) {
		junk := []byte(strings.Repeat("x", 1<<10) + "\r\n")
		for {
			if _, err := c.Write(junk); err != nil {
				return
			}
		}
	}, "ssh handshake"},
}

// startTCPFault serves f on loopback until the test ends.
func startTCPFault(t *testing.T, serve func(net.Conn)) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	testnet.ServeAll(t, ln, func(c net.Conn, _ *sync.WaitGroup) {
		serve(c)
		_ = c.Close()
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// Faults below SSH: each device ends UNREACHABLE with a specific error
// within the dial bound, and the scan returns.
func TestTCPFaults(t *testing.T) {
	dir := t.TempDir()
	kh := filepath.Join(dir, "known_hosts")
	testkit.WriteFileT(t, kh, nil)
	var inv strings.Builder
	fmt.Fprintf(&inv, "defaults:\n  user: admin\n  password_env: FTKTUI_PASSWORD\n  known_hosts: %q\n  timeout: 2s\ndevices:\n", kh)
	for _, f := range tcpFaults {
		fmt.Fprintf(&inv, "  - name: %s\n    host: 127.0.0.1\n    port: %d\n", f.name, startTCPFault(t, f.serve))
	}
	path := filepath.Join(dir, "inventory.yaml")
	testkit.WriteFileT(t, path, []byte(inv.String()))
	t.Setenv("FTKTUI_PASSWORD", "not-used")
	loaded, err := inventory.Load(path, inventory.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e := &fleet.Engine{Inv: loaded, DeviceTimeout: 5 * time.Second}
	start := time.Now()
	results := e.Scan(context.Background(), loaded.Devices, nil)
	// The dial timeout is the device package's default (15 s) unless the
	// per-device bound ends it first.
	if el := time.Since(start); el > 8*time.Second {
		t.Errorf("scan of %d broken endpoints took %s", len(results), el)
	}
	for i, r := range results {
		f := tcpFaults[i]
		if r.Reachable || r.Error == "" {
			t.Errorf("%s: reachable=%v error=%q", f.name, r.Reachable, r.Error)
			continue
		}
		if len(r.Findings) != 1 || r.Findings[0].Code != fleet.CodeUnreachable {
			t.Errorf("%s: findings %+v", f.name, r.Findings)
		}
		if !strings.Contains(r.Error, f.expect) || !strings.Contains(r.Error, f.name) {
			t.Errorf("%s: error %q does not say %q", f.name, r.Error, f.expect)
		}
		t.Logf("%s: %s", f.name, r.Error)
	}
}

// A device that stops answering in the middle of a scan (the session is
// open, the path turns into a black hole): the scan of that device ends
// with a timeout within its bounds, the others are unaffected.
func TestDeviceGoesSilentMidScan(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Specs: []sim.DeviceSpec{
		{Name: "silent", Scenarios: []sim.Scenario{sim.Paged}},
		{Name: "fine", Scenarios: []sim.Scenario{sim.Healthy}},
	}, Seed: 41, Latency: 30 * time.Millisecond})
	d := f.Device("silent")
	p := testkit.StartProxy(t, d.Addr())
	testkit.AddKnownHost(t, filepath.Join(f.Dir, "known_hosts"), p.Addr(), d.KnownHostKey())
	e := testkit.StartEngine(t, f, 2*time.Second, 20*time.Second)
	for i := range e.Inv.Devices {
		if e.Inv.Devices[i].Name == "silent" {
			e.Inv.Devices[i].Port = p.Port()
		}
	}
	var once sync.Once
	start := time.Now()
	results := e.Scan(context.Background(), e.Inv.Devices, func(ev fleet.Event) {
		if ev.Kind == fleet.EventStep && ev.Device == "silent" {
			once.Do(p.Freeze) // after the first KB step: mid-session
		}
	})
	el := time.Since(start)
	byName := map[string]fleet.DeviceResult{}
	for _, r := range results {
		byName[r.Name] = r
	}
	s := byName["silent"]
	if s.Error == "" || !strings.Contains(s.Error, "timed out") || len(s.Findings) == 0 || s.Findings[0].Code != fleet.CodeUnreachable {
		t.Errorf("silent device: reachable=%v error=%q findings=%+v", s.Reachable, s.Error, s.Findings)
	}
	if ok := byName["fine"]; ok.Error != "" || !ok.Reachable {
		t.Errorf("the healthy device suffered: %+v", ok.Error)
	}
	if el > 12*time.Second {
		t.Errorf("scan took %s with one silent device (command timeout 2s)", el)
	}
	t.Logf("silent: %s after %s", s.Error, el.Round(time.Millisecond))
}
