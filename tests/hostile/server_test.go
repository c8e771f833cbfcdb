// Package hostile drives the real session layer (device.Dial/Open/Run and
// the debug stream) against a tiny SSH server that answers with fuzzed,
// flooded or oversized output, and feeds malformed identifiers and
// inventories to the validators: never a panic, never a hang, never
// unbounded memory, never a hostile byte on a device's command line.
package hostile

import (
	"bufio"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

// statusOK is a `get system status` a session accepts, so that fuzzed
// output reaches Run and the typed readers, not only the login.
const statusOK = "Version: FortiGate-60F v7.0.7,build0367,221005 (GA.F)\r\n" +
	"Serial-Number: FGT60FTK20000001\r\nHostname: FGT-HOSTILE\r\nOperation Mode: NAT\r\n" +
	"Current virtual domain: root\r\nVirtual domain configuration: disable\r\nCurrent HA mode: standalone\r\n"

const prompt = "FGT-HOSTILE # "

// readLine reads one command the client typed (it ends lines with \r or \n).
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		c, err := r.ReadByte()
		if err != nil {
			return b.String(), err
		}
		if c == '\r' || c == '\n' {
			if b.Len() == 0 {
				continue
			}
			return b.String(), nil
		}
		if b.Len() < 4096 {
			b.WriteByte(c)
		}
	}
}

// script is how a hostile device answers each command after login.
type script func(w ssh.Channel, cmd string) (keepGoing bool)

// scripted is a shell: prompt, `get system status` answered properly (when
// okStatus), then every other command handed to answer.
func scripted(okStatus bool, answer script) testkit.ShellHandler {
	return func(_ string, ch ssh.Channel) {
		r := bufio.NewReader(ch)
		if _, err := ch.Write([]byte(prompt)); err != nil {
			return
		}
		for {
			cmd, err := readLine(r)
			if err != nil {
				return
			}
			if okStatus && strings.HasPrefix(cmd, "get system status") {
				if _, err := ch.Write([]byte(cmd + "\r\n" + statusOK + prompt)); err != nil {
					return
				}
				continue
			}
			if !answer(ch, cmd) {
				return
			}
		}
	}
}

// hostileTarget reaches a HostileServer with short timeouts.
func hostileTarget(s *testkit.HostileServer, user string, cmdTimeout time.Duration) device.Target {
	return device.Target{Name: "hostile", Host: "127.0.0.1", Port: s.Port(), User: user,
		Password:    func(context.Context) (string, error) { return testkit.HostilePassword, nil },
		KnownHosts:  s.KnownHosts,
		DialTimeout: 3 * time.Second, CommandTimeout: cmdTimeout, Keepalive: -1}
}

// openHostile logs in to s as admin and opens a shell; both close when the test ends.
func openHostile(t *testing.T, s *testkit.HostileServer, cmdTimeout time.Duration) *device.Session {
	t.Helper()
	ctx := context.Background()
	cl, err := device.Dial(ctx, hostileTarget(s, "admin", cmdTimeout))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Close() })
	sess, err := cl.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sess.Close() })
	return sess
}

// The well-formed baseline: the hostile server is a usable device when it
// behaves, so the fuzz target below really reaches Run and the readers.
func TestHostileBaselineOpens(t *testing.T) {
	s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
		_, err := w.Write([]byte(cmd + "\r\nhello\r\n" + prompt))
		return err == nil
	}))
	ctx := context.Background()
	sess := openHostile(t, s, 2*time.Second)
	if sess.Hostname() != "FGT-HOSTILE" {
		t.Fatalf("hostname %q", sess.Hostname())
	}
	out, err := sess.Run(ctx, "diagnose fortitoken info")
	if err != nil || strings.TrimSpace(out) != "hello" {
		t.Fatalf("Run = %q, %v", out, err)
	}
}

// heapWatch samples the heap while a hostile exchange runs and reports the
// peak growth over the starting point.
type heapWatch struct {
	mu         sync.Mutex
	base, peak uint64
	stop       chan struct{}
	done       sync.WaitGroup
}

func watchHeap() *heapWatch {
	h := &heapWatch{base: testkit.Heap(), stop: make(chan struct{})}
	h.peak = h.base
	h.done.Add(1)
	go func() {
		defer h.done.Done()
		// Sample the live heap (after a collection), not HeapAlloc between
		// collections, which also counts garbage not yet swept.
		tk := time.NewTicker(100 * time.Millisecond)
		defer tk.Stop()
		for {
			select {
			case <-h.stop:
				return
			case <-tk.C:
				v := testkit.Heap()
				h.mu.Lock()
				if v > h.peak {
					h.peak = v
				}
				h.mu.Unlock()
			}
		}
	}()
	return h
}

// split returns the peak growth so far and starts a new peak window.
func (h *heapWatch) split() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	g := uint64(0)
	if h.peak > h.base {
		g = h.peak - h.base
	}
	h.peak = h.base
	return g
}

// growth stops the watch and returns the peak growth in bytes.
func (h *heapWatch) growth() uint64 {
	close(h.stop)
	h.done.Wait()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.peak < h.base {
		return 0
	}
	return h.peak - h.base
}

// simExec runs lines on a simulated device over a plain SSH exec channel,
// bypassing ftktui (to plant state a test needs).
func simExec(t *testing.T, f *testkit.Fleet, d *sim.Device, lines string) string {
	t.Helper()
	cfg := &ssh.ClientConfig{User: f.User(), Auth: []ssh.AuthMethod{ssh.Password(f.Password())},
		HostKeyCallback: ssh.FixedHostKey(d.KnownHostKey()), Timeout: 30 * time.Second}
	c, err := ssh.Dial("tcp", d.Addr(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out, _ := s.CombinedOutput(lines)
	return string(out)
}
