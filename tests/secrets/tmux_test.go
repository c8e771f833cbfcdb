package secrets

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/tests/testkit"
)

// term is a tmux server with one window running a command: a real
// terminal for the TUI, whose screen the test reads.
type term struct {
	t    *testing.T
	sock string
	// screens keeps every capture taken, for the secret grep.
	screens []string
}

func newTerm(t *testing.T, cmd string) *term {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is required for the terminal tests (apt-get install tmux)")
	}
	tm := &term{t: t, sock: fmt.Sprintf("ftksec%d-%d", os.Getpid(), time.Now().UnixNano()%1e6)}
	if out, err := tm.tmux("new-session", "-d", "-s", "s", "-x", "200", "-y", "50", cmd); err != nil {
		t.Fatalf("tmux: %v %s", err, out)
	}
	t.Cleanup(func() { _, _ = tm.tmux("kill-server") })
	return tm
}

func (tm *term) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-L", tm.sock}, args...)...).CombinedOutput()
	return string(out), err
}

func (tm *term) screen() string {
	s, _ := tm.tmux("capture-pane", "-t", "s", "-p", "-S", "-200")
	tm.screens = append(tm.screens, s)
	return s
}

func (tm *term) waitFor(text string, secs int) {
	tm.t.Helper()
	if !testkit.Eventually(time.Duration(secs)*time.Second, func() bool { return strings.Contains(tm.screen(), text) }) {
		tm.t.Fatalf("did not see %q within %ds; screen:\n%s", text, secs, tm.screen())
	}
}

func (tm *term) keys(keys ...string) {
	for _, k := range keys {
		if _, err := tm.tmux("send-keys", "-t", "s", k); err != nil {
			tm.t.Fatalf("send-keys %s: %v", k, err)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

func (tm *term) literal(s string) {
	if _, err := tm.tmux("send-keys", "-t", "s", "-l", s); err != nil {
		tm.t.Fatalf("send-keys -l: %v", err)
	}
	time.Sleep(300 * time.Millisecond)
}
