package cleanup

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ftktui/ftktui/tests/testkit"
)

// demoState is one device of `ftktui demo --state-out`.
type demoState struct {
	Name         string         `json:"name"`
	DebugEnabled bool           `json:"debug_enabled"`
	DebugLevels  map[string]int `json:"debug_levels"`
	DebugClean   bool           `json:"debug_clean"`
	ResetCount   int            `json:"reset_count"`
}

// tmuxDemo is `ftktui demo` running in its own tmux server (a real terminal).
type tmuxDemo struct {
	t     *testing.T
	sock  string
	state string
	dir   string
}

func (d *tmuxDemo) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", d.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (d *tmuxDemo) screen() string {
	s, _ := d.tmux("capture-pane", "-t", "demo", "-p")
	return s
}

func (d *tmuxDemo) waitFor(text string, secs int) {
	d.t.Helper()
	if !testkit.Eventually(time.Duration(secs)*time.Second, func() bool { return strings.Contains(d.screen(), text) }) {
		d.t.Fatalf("did not see %q within %ds; screen:\n%s", text, secs, d.screen())
	}
}

// keys sends tmux key names, pausing as a typist would (Escape needs it).
func (d *tmuxDemo) keys(keys ...string) {
	for _, k := range keys {
		if _, err := d.tmux("send-keys", "-t", "demo", k); err != nil {
			d.t.Fatalf("send-keys %s: %v", k, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func (d *tmuxDemo) literal(s string) {
	if _, err := d.tmux("send-keys", "-t", "demo", "-l", s); err != nil {
		d.t.Fatalf("send-keys -l %s: %v", s, err)
	}
	time.Sleep(300 * time.Millisecond)
}

// pid is the ftktui process (the pane runs it with exec).
func (d *tmuxDemo) pid() int {
	out, err := d.tmux("display-message", "-p", "-t", "demo", "#{pane_pid}")
	if err != nil {
		d.t.Fatalf("pane pid: %v %s", err, out)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(out))
	if err != nil {
		d.t.Fatalf("pane pid %q: %v", out, err)
	}
	return pid
}

// startDemo runs the demo in tmux, opens the debug pane of the
// pending-activation device and waits until its debug lines show.
func startDemo(t *testing.T) *tmuxDemo {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the terminal tests (apt-get install tmux)")
	}
	bin := binary(t)
	dir := t.TempDir()
	d := &tmuxDemo{t: t, sock: fmt.Sprintf("ftkclean%d-%d", os.Getpid(), time.Now().UnixNano()%1e6),
		state: filepath.Join(dir, "state.json"), dir: dir}
	cmd := fmt.Sprintf("cd %q && NO_COLOR=1 exec %q demo --audit-log %q --state-out %q",
		dir, bin, filepath.Join(dir, "audit.jsonl"), d.state)
	if out, err := d.tmux("new-session", "-d", "-s", "demo", "-x", "180", "-y", "50", cmd); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() { _, _ = d.tmux("kill-server") })
	d.waitFor("lisbon-fw1", 30)
	d.keys("/")
	d.literal("lisbon")
	d.keys("Enter", "Enter")
	d.waitFor("NEEDS_ACTIVATION", 20)
	d.keys("d")
	d.waitFor("Debug · lisbon-fw1", 10)
	d.waitFor("cldd", 15)
	return d
}

// checkState waits for --state-out and asserts every device is disarmed and
// the armed one received `diagnose debug reset`.
func (d *tmuxDemo) checkState(armed string) {
	d.t.Helper()
	if !testkit.Eventually(25*time.Second, func() bool {
		fi, err := os.Stat(d.state)
		return err == nil && fi.Size() > 0
	}) {
		d.t.Fatalf("ftktui demo wrote no state within 25s; screen:\n%s", d.screen())
	}
	time.Sleep(100 * time.Millisecond) // the file is written in one go; let it land
	b, err := os.ReadFile(d.state)
	if err != nil {
		d.t.Fatal(err)
	}
	var devs []demoState
	if err := json.Unmarshal(b, &devs); err != nil {
		d.t.Fatalf("state: %v\n%s", err, b)
	}
	found := false
	for _, s := range devs {
		if !s.DebugClean || s.DebugEnabled {
			d.t.Errorf("%s: debug left on: enabled=%v levels=%v", s.Name, s.DebugEnabled, s.DebugLevels)
		}
		if s.Name == armed {
			found = true
			if s.ResetCount < 1 {
				d.t.Errorf("%s: never received diagnose debug reset", s.Name)
			}
		}
	}
	if !found {
		d.t.Errorf("%s missing from the state (%d devices)", armed, len(devs))
	}
}

// Every way out of the TUI leaves the demo fleet disarmed: q, Ctrl-C,
// SIGTERM to the process, SIGHUP (the terminal is closed).
func TestDemoExitPaths(t *testing.T) {
	cases := []struct {
		name string
		exit func(d *tmuxDemo)
	}{
		{"q", func(d *tmuxDemo) { d.keys("Escape", "q") }},
		{"ctrl-c", func(d *tmuxDemo) { d.keys("C-c") }},
		{"sigterm", func(d *tmuxDemo) { _ = syscall.Kill(d.pid(), syscall.SIGTERM) }},
		{"sighup-terminal-closed", func(d *tmuxDemo) {
			// Killing the session closes the pty: the kernel sends SIGHUP.
			if out, err := d.tmux("kill-session", "-t", "demo"); err != nil {
				d.t.Fatalf("kill-session: %v %s", err, out)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := startDemo(t)
			c.exit(d)
			d.checkState("lisbon-fw1")
		})
	}
}
