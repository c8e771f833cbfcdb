package channel

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device/internal/wireshell"
	"github.com/ftktui/ftktui/parse"
)

var bg = context.Background()

// numbered is an answer of n lines "<cmd> line i".
func numbered(n int) func(string) []string {
	return func(cmd string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s line %d", cmd, i)
		}
		return out
	}
}

func login(t *testing.T, c *Channel) {
	t.Helper()
	ctx, cancel := context.WithTimeout(bg, 2*time.Second)
	defer cancel()
	if err := c.Login(ctx); err != nil {
		t.Fatalf("Login: %v", err)
	}
}

// TestBannerThenPromptLearned: the banner gets a single `a`, the prompt is
// learned with its role, and a role change between commands is followed.
func TestBannerThenPromptLearned(t *testing.T) {
	w := &wireshell.Shell{Banner: "Authorised use only\r\n(Press 'a' to accept):", AwaitBannerKey: true, Output: numbered(2),
		Prompt: func(n int) string {
			return map[bool]string{true: "FW-1(Primary) # ", false: "FW-1(Secondary) # "}[n < 2]
		}}
	c := start(t, w, Config{})
	login(t, c)
	if c.Hostname() != "FW-1" || c.Role() != "Primary" || c.ReadOnly() {
		t.Fatalf("learned host %q role %q read-only %v", c.Hostname(), c.Role(), c.ReadOnly())
	}
	for i, want := range []string{"Primary", "Secondary", "Secondary"} {
		out, err := c.Run(bg, "get x")
		if err != nil || out != "get x line 0\nget x line 1" {
			t.Fatalf("run %d: %q %v", i, out, err)
		}
		if c.Role() != want {
			t.Fatalf("after run %d: role %q, want %q", i, c.Role(), want)
		}
	}
	if cmds, ahead, strays, _ := w.Stats(); len(cmds) != 3 || ahead != 0 || strays != 0 {
		t.Fatalf("commands %q, typed ahead %d, strays %d: the banner takes a single `a`", cmds, ahead, strays)
	}
}

// TestPagerOnceEveryFragmentation: over random packet boundaries (the
// erase after `--More--` often alone), every page comes through once, each
// pager prompt gets exactly one key and nothing is typed ahead.
func TestPagerOnceEveryFragmentation(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		w := &wireshell.Shell{Prompt: func(int) string { return "FGT-P # " }, Output: numbered(23), PageRows: 5, Cut: wireshell.RandomCuts(seed)}
		c := start(t, w, Config{})
		login(t, c)
		for round := 0; round < 2; round++ {
			out, err := c.Run(bg, "show user local")
			lines := strings.Split(out, "\n")
			if err != nil || len(lines) != 23 || lines[22] != "show user local line 22" || strings.Contains(out, "More") {
				t.Fatalf("seed %d round %d: %d lines, %v: %q", seed, round, len(lines), err, out)
			}
		}
		_, ahead, strays, keys := w.Stats()
		if keys != 2*4 || strays != 0 || c.Pages() != int64(keys) || ahead != 0 {
			t.Fatalf("seed %d: %d pager keys received, %d answered, %d bytes typed ahead; want 8, 8, 0", seed, keys, c.Pages(), ahead)
		}
	}
}

// TestScopesEnteredOnceAndLeft: on a multi-VDOM unit the context lines are
// sent only when the scope changes, reads in one scope cost one line each,
// the top level is reached with one `end`, and the transcript names the
// context of every line.
func TestScopesEnteredOnceAndLeft(t *testing.T) {
	u := &scopedUnit{host: "FGT-M", answer: func(string) []string { return nil }}
	w := u.shell()
	var mu sync.Mutex
	var vdoms []string
	c := start(t, w, Config{VDOM: "cust1"})
	login(t, c)
	c.SetMultiVDOM(true)
	c.SetTranscript(func(e TranscriptEntry) { mu.Lock(); vdoms = append(vdoms, e.Line+"@"+e.VDOM); mu.Unlock() })
	steps := []struct {
		sc   Scope
		cmds []string
	}{{ScopeVDOM, []string{"show user local"}}, {ScopeVDOM, []string{"diagnose fortitoken info"}},
		{ScopeGlobal, []string{"show system admin", "get system email-server"}}, {ScopeTop, []string{"get system status"}}}
	for _, st := range steps {
		if _, errs := c.RunIn(bg, st.sc, st.cmds); errors.Join(errs...) != nil {
			t.Fatalf("%s: %v", st.sc, errors.Join(errs...))
		}
	}
	want := "config vdom|edit cust1|show user local|diagnose fortitoken info|end|config global|show system admin|get system email-server|end|get system status"
	if cmds, _, _, _ := w.Stats(); strings.Join(cmds, "|") != want {
		t.Fatalf("sent %s\nwant %s", strings.Join(cmds, "|"), want)
	}
	if c.PromptScope() != "" {
		t.Fatalf("prompt scope %q after a top-level read", c.PromptScope())
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(vdoms, "|"); !strings.Contains(got, "show user local@cust1") || !strings.Contains(got, "show system admin@global") ||
		!strings.HasSuffix(got, "get system status@") {
		t.Fatalf("transcript contexts %s", got)
	}
}

// TestRefusedGlobalSendsNothingElse: a refused `config global` fails every
// command with ErrPermission naming the admin, and none of them is sent.
func TestRefusedGlobalSendsNothingElse(t *testing.T) {
	u := &scopedUnit{host: "FGT-V", answer: func(cmd string) []string {
		if cmd == "config global" {
			return []string{"Command fail. Return code -37"}
		}
		return []string{"ok"}
	}}
	w := u.shell()
	c := start(t, w, Config{User: "vdomadmin"})
	login(t, c)
	c.SetMultiVDOM(true)
	_, errs := c.RunIn(bg, ScopeGlobal, []string{"show system admin", "get system email-server"})
	for i, err := range errs {
		var ce *parse.CLIError
		if !errors.Is(err, ErrPermission) || !errors.As(err, &ce) || !strings.Contains(err.Error(), `"vdomadmin"`) {
			t.Fatalf("command %d: %v", i, err)
		}
	}
	// The `end` makes sure no scope was left half entered.
	if cmds, _, _, _ := w.Stats(); strings.Join(cmds, "|") != "config global|end" {
		t.Fatalf("sent %q", cmds)
	}
}

// TestCancelAndTimeoutLoseTheChannel: a command that never gets its prompt
// ends with the caller's error (cancel) or ErrTimeout, and the channel then
// refuses every command rather than reading a stale answer.
func TestCancelAndTimeoutLoseTheChannel(t *testing.T) {
	for _, cancelled := range []bool{true, false} {
		hung := make(chan struct{})
		w := &wireshell.Shell{Prompt: func(int) string { return "FGT-H # " }, Output: func(cmd string) []string {
			if cmd == "diagnose hang" {
				<-hung
			}
			return numbered(1)(cmd)
		}}
		c := start(t, w, Config{CommandTimeout: 300 * time.Millisecond})
		t.Cleanup(func() { close(hung) }) // before start's cleanup waits for the shell
		login(t, c)
		ctx, cancel := context.WithCancel(bg)
		if cancelled {
			time.AfterFunc(50*time.Millisecond, cancel)
		}
		_, err := c.Run(ctx, "diagnose hang")
		cancel()
		if cancelled && !errors.Is(err, context.Canceled) || !cancelled && !errors.Is(err, ErrTimeout) {
			t.Fatalf("cancelled=%v: %v", cancelled, err)
		}
		if !strings.Contains(err.Error(), "sent, but") {
			t.Fatalf("a line that reached the unit must not read as unsent: %v", err)
		}
		if _, err := c.Run(bg, "get x"); !errors.Is(err, ErrConnLost) {
			t.Fatalf("after a lost prompt: %v, want ErrConnLost", err)
		}
	}
}

// TestApplyStopsAtTheFirstError: a configuration block stops at the CLI
// error, returns to the top level and reports the typed error.
func TestApplyStopsAtTheFirstError(t *testing.T) {
	u := &scopedUnit{host: "FGT-A", answer: func(cmd string) []string {
		if strings.HasPrefix(cmd, "set fortitoken") {
			return []string{"entry not found in datasource", "", "value parse error before 'FTK1'", "Command fail. Return code -3"}
		}
		return nil
	}}
	w := u.shell()
	c := start(t, w, Config{VDOM: "root"})
	login(t, c)
	c.SetMultiVDOM(true)
	lines := []string{"config user local", `edit "jdoe"`, "set fortitoken FTK1", "next", "end"}
	if got := strings.Join(c.Wrap(ScopeVDOM, lines), "|"); got != "config vdom|edit root|"+strings.Join(lines, "|")+"|end" {
		t.Fatalf("Wrap = %s", got)
	}
	_, err := c.Apply(bg, ScopeVDOM, lines)
	var ce *parse.CLIError
	if !errors.As(err, &ce) || ce.Kind != parse.ErrEntryNotFound {
		t.Fatalf("Apply = %v", err)
	}
	sent, _, _, _ := w.Stats()
	if strings.Contains(strings.Join(sent, "|"), "next") || sent[len(sent)-1] != "end" || c.PromptScope() != "" {
		t.Fatalf("sent %q, prompt scope %q", sent, c.PromptScope())
	}
}

// TestDrainCompleteLinesOnly: an asynchronous consumer gets whole lines;
// the unfinished tail waits, an over-long one is cut, and the end of the
// shell is reported once everything before it is drained.
func TestDrainCompleteLinesOnly(t *testing.T) {
	cr, sw := io.Pipe()
	c := New(cr, io.Discard, closerFunc(func() error { return cr.Close() }), Config{Label: "d"})
	t.Cleanup(func() { _ = c.Close() })
	go func() {
		_, _ = io.WriteString(sw, "2026-01-01 one\r\n2026-01-01 tw")
		_, _ = io.WriteString(sw, "o\r\n"+strings.Repeat("x", 40))
		_ = sw.Close()
	}()
	var got []string
	deadline := time.After(2 * time.Second)
	for {
		chunk, err := c.Drain(16)
		if len(chunk) > 0 {
			got = append(got, strings.Split(strings.TrimSuffix(string(chunk), "\n"), "\n")...)
		}
		if err != nil && len(chunk) == 0 {
			if !errors.Is(err, ErrConnLost) {
				t.Fatalf("end reported as %v", err)
			}
			break
		}
		if err != nil {
			continue
		}
		select {
		case <-c.Readable():
		case <-deadline:
			t.Fatalf("no end; got %q", got)
		}
	}
	want := "2026-01-01 one\r|2026-01-01 two\r|xxxxxxxxxxxxxxxx|xxxxxxxxxxxxxxxx"
	if strings.Join(got, "|") != want {
		t.Fatalf("drained %q\nwant %q", strings.Join(got, "|"), want)
	}
}
