package channel

import (
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device/internal/wireshell"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// start wires a Channel to w through in-process pipes (no SSH): each piece
// w writes is one read on the channel's side, so every cut is a real read
// boundary. The channel is returned before Login.
func start(t *testing.T, w *wireshell.Shell, cfg Config) *Channel {
	t.Helper()
	pc := w.Pipe()
	if cfg.Label == "" {
		cfg.Label = "pipe"
	}
	if cfg.CommandTimeout == 0 {
		cfg.CommandTimeout = 2 * time.Second
	}
	c := New(pc.Stdout, pc.Stdin, pc, cfg)
	t.Cleanup(func() { _ = pc.Close(); _ = c.Close(); pc.Wait() })
	return c
}

// scopedUnit is a unit whose prompt follows the scope as FortiOS's does
// (`config global`, `config vdom`, `edit X` in it, `end`), for a Shell's
// Prompt and Output; both run on the shell's goroutine.
type scopedUnit struct {
	host   string
	scope  string
	answer func(cmd string) []string
}

func (u *scopedUnit) prompt(int) string {
	if u.scope == "" {
		return u.host + " # "
	}
	return u.host + " (" + u.scope + ") # "
}

func (u *scopedUnit) output(cmd string) []string {
	out := u.answer(cmd)
	if len(out) > 0 && strings.HasPrefix(out[len(out)-1], "Command fail") {
		return out
	}
	switch {
	case cmd == "end":
		u.scope = ""
	case cmd == "config global":
		u.scope = "global"
	case cmd == "config vdom":
		u.scope = "vdom"
	case strings.HasPrefix(cmd, "edit ") && u.scope == "vdom":
		u.scope = strings.TrimPrefix(cmd, "edit ")
	}
	return out
}

func (u *scopedUnit) shell() *wireshell.Shell {
	return &wireshell.Shell{Prompt: u.prompt, Output: u.output, Cut: wireshell.RandomCuts(11)}
}
