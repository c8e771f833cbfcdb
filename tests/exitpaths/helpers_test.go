package exitpaths

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

var (
	buildOnce sync.Once
	binPath   string
)

// binary builds ./cmd/ftktui once per test process.
func binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() { binPath = testkit.BuildBinary(t, binDir) })
	if binPath == "" {
		t.Fatal("ftktui binary was not built")
	}
	return binPath
}

// proxied points the fleet's inventory entry for d at a relay the test
// can cut or freeze.
func proxied(t testing.TB, f *testkit.Fleet, d *sim.Device) *testkit.Proxy {
	t.Helper()
	p := testkit.StartProxy(t, d.Addr())
	testkit.AddKnownHost(t, filepath.Join(f.Dir, "known_hosts"), p.Addr(), d.KnownHostKey())
	b, err := os.ReadFile(f.Inventory)
	if err != nil {
		t.Fatal(err)
	}
	inv := strings.Replace(string(b), "port: "+strconv.Itoa(d.Port()), "port: "+strconv.Itoa(p.Port()), 1)
	testkit.WriteFileT(t, f.Inventory, []byte(inv))
	return p
}

// proc is a running ftktui process with its output collected.
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout strings.Builder
	stderr strings.Builder
	done   chan struct{}
	err    error
	// closeOut closes the read end of stdout: the next write gets EPIPE
	// (a `| head` that has exited).
	closeOut func()
}

func (p *proc) out() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stdout.String() + "\n--- stderr ---\n" + p.stderr.String()
}

func (p *proc) stderrText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stderr.String()
}

// start runs the binary; headBytes > 0 makes stdout behave like
// `| head -c N`: after N bytes the reader goes away.
func start(t testing.TB, f *testkit.Fleet, headBytes int, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "FTKTUI_PASSWORD="+f.Password(), "NO_COLOR=1", "XDG_RUNTIME_DIR="+lockDir)
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	errR, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout = outW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	_ = outW.Close()
	p := &proc{cmd: cmd, done: make(chan struct{})}
	var once sync.Once
	p.closeOut = func() { once.Do(func() { _ = outR.Close() }) }
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		buf := make([]byte, 4096)
		n := 0
		for {
			k, err := outR.Read(buf)
			if k > 0 {
				p.mu.Lock()
				if headBytes > 0 && n+k >= headBytes {
					p.stdout.Write(buf[:headBytes-n])
					p.mu.Unlock()
					p.closeOut()
					return
				}
				p.stdout.Write(buf[:k])
				p.mu.Unlock()
				n += k
			}
			if err != nil {
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(errR)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	go func() {
		wg.Wait()
		p.err = cmd.Wait()
		p.closeOut()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	return p
}

// wait waits for the exit and returns the exit code.
func (p *proc) wait(t testing.TB, d time.Duration) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("ftktui did not exit within %s:\n%s", d, p.out())
	}
	if p.err == nil {
		return 0
	}
	if ee, ok := p.err.(*exec.ExitError); ok {
		if ws := ee.ExitCode(); ws >= 0 {
			return ws
		}
		return -1 // killed by a signal
	}
	t.Fatalf("wait: %v", p.err)
	return -1
}

// count is how often the device received exactly line.
func count(st sim.State, line string) int {
	n := 0
	for _, c := range st.Commands {
		if c == line {
			n++
		}
	}
	return n
}

// countPrefix is how often the device received a line starting with pre.
func countPrefix(st sim.State, pre string) int {
	n := 0
	for _, c := range st.Commands {
		if strings.HasPrefix(c, pre) {
			n++
		}
	}
	return n
}

// debugState describes the device's debug state for failure messages.
func debugState(st sim.State) string {
	return "levels=" + strconv.Quote(strings.TrimSpace(strings.ReplaceAll(stringify(st.DebugLevels), "map", ""))) +
		" fortitoken=" + strconv.FormatBool(st.FortitokenDebug) + " enabled=" + strconv.FormatBool(st.DebugEnabled) +
		" resets=" + strconv.Itoa(st.ResetCount)
}

func stringify(m map[string]int) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// clean waits (bounded) for the device to have no debug armed at all.
func clean(d *sim.Device, within time.Duration) bool {
	return testkit.Eventually(within, func() bool {
		st := d.State()
		return st.DebugClean() && !st.DebugEnabled
	})
}

// tokenFor returns the first token of d for which a plan of a is not
// refused (planning is read-only).
func tokenFor(t testing.TB, e *fleet.Engine, dev string, d *sim.Device, a fleet.Action) string {
	t.Helper()
	for _, tk := range d.State().Tokens {
		p, err := e.Plan(context.Background(), fleet.ActionRequest{Action: a, Device: dev, Token: tk.Serial})
		if err == nil && p.Refused == "" {
			return tk.Serial
		}
	}
	t.Fatalf("no token on %s accepts %s", dev, a)
	return ""
}

// audit reads the audit log's entries.
func audit(t testing.TB, path string) []fleet.AuditEntry {
	t.Helper()
	out, err := parseAudit(path)
	if err != nil {
		t.Fatalf("audit log: %v", err)
	}
	return out
}

func parseAudit(path string) ([]fleet.AuditEntry, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var out []fleet.AuditEntry
	dec := json.NewDecoder(fh)
	for {
		var e fleet.AuditEntry
		if err := dec.Decode(&e); err == io.EOF {
			return out, nil
		} else if err != nil {
			return out, err
		}
		out = append(out, e)
	}
}

// waitFor polls the device until its commands hold a line starting with pre.
func waitFor(d *sim.Device, pre string, within time.Duration) bool {
	return testkit.Eventually(within, func() bool { return countPrefix(d.State(), pre) > 0 })
}
