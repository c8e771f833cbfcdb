package device

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device/internal/wireshell"
	"github.com/ftktui/ftktui/parse"
)

// pagedShell is a unit that pages `show user fortitoken` (29 tokens, 5
// lines a page: 12 pages) and answers `get system status`, with prompt.
func pagedShell(prompt func(n int) string) *wireShell {
	return &wireShell{Prompt: prompt, PageRows: 5, Output: func(cmd string) []string {
		switch cmd {
		case CmdTokenConfig:
			return tokenLines(29)
		case CmdSystemStatus:
			return statusLines("FW-1")
		}
		return []string{"Unknown action 0"}
	}}
}

func fixedPrompt(p string) func(int) string { return func(int) string { return p } }

// checkPaged runs the paged command and a second one, and checks every
// token came through, each `--More--` got exactly one key and nothing was
// typed ahead or left over at a prompt.
func checkPaged(t *testing.T, s *Session, w *wireShell) {
	t.Helper()
	ctx := context.Background()
	_, _, _, keys0 := w.Stats()
	pages0 := s.ch.Pages()
	for round := 0; round < 2; round++ {
		out, err := s.Run(ctx, CmdTokenConfig)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		tc, err := parse.ParseTokenConfig(out)
		if err != nil || len(tc) != 29 || strings.Contains(out, "More") || strings.ContainsAny(out, "\r\b") {
			t.Fatalf("round %d: %d tokens (%v), output %q", round, len(tc), err, out)
		}
		if out, err := s.Run(ctx, CmdSystemStatus); err != nil || !strings.Contains(out, "Hostname: FW-1") {
			t.Fatalf("round %d: status after the pager: %v %q", round, err, out)
		}
	}
	// 60 token lines and 11 status lines at 5 a page: 11 + 2 `--More--` a round.
	_, ahead, strays, keys := w.Stats()
	if keys-keys0 != 2*13 || s.ch.Pages()-pages0 != int64(keys-keys0) {
		t.Fatalf("pager keys received %d, answered %d; want 26 (13 `--More--` a round)", keys-keys0, s.ch.Pages()-pages0)
	}
	if ahead != 0 || strays != 0 {
		t.Fatalf("typed ahead %d bytes, %d stray lines at a prompt", ahead, strays)
	}
}

// TestPagerAnsweredOnceByPosition: the erase after `--More--` comes in a
// packet of its own (the issue-12 defect answered the pager a second time
// then), and again with a read boundary at every byte and at random ones.
func TestPagerAnsweredOnceByPosition(t *testing.T) {
	cases := map[string]func(*wireShell){
		"erase alone over ssh": func(w *wireShell) { w.Gap = time.Millisecond },
		"byte by byte":         func(w *wireShell) { w.Cut, w.Gap = wireshell.ByteByByte, 50*time.Microsecond },
	}
	for seed := uint64(1); seed <= 3; seed++ {
		cases[fmt.Sprintf("random cuts seed %d", seed)] = func(w *wireShell) { w.Cut, w.Gap = wireshell.RandomCuts(seed), 100*time.Microsecond }
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			w := pagedShell(fixedPrompt("FW-1 # "))
			setup(w)
			_, s := open(t, startWire(t, w))
			checkPaged(t, s, w)
		})
	}
}

// TestPagerEveryReadBoundary cuts the whole conversation at every byte
// through pipes, where each written piece is exactly one client read.
func TestPagerEveryReadBoundary(t *testing.T) {
	w := pagedShell(fixedPrompt("FW-1(Primary) (global) # "))
	w.Cut = wireshell.ByteByByte
	checkPaged(t, pipeSession(t, w), w)
}

// FuzzPagerAndPromptOverSplits: wherever the reads split the conversation,
// with any prompt form, the pager is answered once per `--More--` and the
// output is the same.
func FuzzPagerAndPromptOverSplits(f *testing.F) {
	f.Add(uint64(1), uint8(0))
	f.Add(uint64(7), uint8(3))
	f.Add(uint64(42), uint8(5))
	prompts := []string{"FW-1 # ", "FW-1 $ ", "FW-1 (root) # ", "FW-1(Primary) # ", "FW-1(Secondary) $ ",
		"FW-1(Primary) (global) # ", "FW-1 (Interim)# ", "FW-1 (cust a.b) # "}
	f.Fuzz(func(t *testing.T, seed uint64, form uint8) {
		p := prompts[int(form)%len(prompts)]
		w := pagedShell(fixedPrompt(p))
		w.Cut = wireshell.RandomCuts(seed)
		checkPaged(t, pipeSession(t, w), w)
	})
}

// TestPromptFormsOnTheWire opens a session on each prompt form, with the
// login noise real units print and fragmented writes, and runs commands;
// the HA form changes role after a failover (after the second command).
func TestPromptFormsOnTheWire(t *testing.T) {
	warning := "\r\n******WARNING: This firmware failed signature validation.******\r\n" +
		"Proceed at your own risk.\r\n\r\n\r\n\r\n"
	cases := []struct {
		name, banner string
		prompt       func(int) string
		roles        []string // Role() after commands 0, 1, 2, 3
	}{
		{"plain", "", fixedPrompt("FW-1 # "), []string{"", "", "", ""}},
		{"read-only", "", fixedPrompt("FW-1 $ "), nil},
		{"ha failover", "", func(n int) string {
			if n >= 2 {
				return "FW-1(Secondary) $ "
			}
			return "FW-1(Primary) # "
		}, []string{"Primary", "Secondary", "Secondary", "Secondary"}}, // open ran command 1
		{"ha global", "", fixedPrompt("FW-1(Primary) (global) # "), nil},
		{"interim", warning, fixedPrompt("FW-1 (Interim)# "), nil},
		{"truncated", "", func(n int) string {
			if n%2 == 1 {
				return "FW-~ # "
			}
			return "FW-1 # "
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := pagedShell(c.prompt)
			w.Banner, w.Cut, w.Gap = c.banner, wireshell.RandomCuts(9), 100*time.Microsecond
			_, s := open(t, startWire(t, w))
			for i := 0; i < 4; i++ {
				if c.roles != nil && s.Role() != c.roles[i] {
					t.Fatalf("before command %d: role %q, want %q", i, s.Role(), c.roles[i])
				}
				out, err := s.Run(context.Background(), CmdSystemStatus)
				if err != nil || !strings.Contains(out, "Hostname: FW-1") {
					t.Fatalf("command %d: %v %q", i, err, out)
				}
			}
			if _, ahead, strays, _ := w.Stats(); ahead != 0 || strays != 0 {
				t.Fatalf("typed ahead %d, strays %d", ahead, strays)
			}
		})
	}
}

// TestNeverTypesAhead: RunBatch and RunBatchIn send one line, then wait for
// its prompt: a unit that takes its time sees no input while a command
// runs, and each output is its own command's.
func TestNeverTypesAhead(t *testing.T) {
	w := &wireShell{Prompt: fixedPrompt("FW-1 # "), Gap: 200 * time.Microsecond, Cut: wireshell.RandomCuts(3),
		Output: func(cmd string) []string {
			if cmd == CmdSystemStatus {
				return statusLines("FW-1")
			}
			time.Sleep(20 * time.Millisecond) // a busy CLI: anything typed now is typed ahead
			return []string{"answer to " + cmd}
		}}
	_, s := open(t, startWire(t, w))
	cmds := []string{"get a", "show b", "diagnose c", "get d", "show e", "diagnose f"}
	outs, errs := s.RunBatch(context.Background(), cmds)
	for i, c := range cmds {
		if errs[i] != nil || outs[i] != "answer to "+c {
			t.Fatalf("%q: %q %v", c, outs[i], errs[i])
		}
	}
	outs, errs = s.RunBatchIn(context.Background(), ScopeGlobal, cmds[:3])
	for i, c := range cmds[:3] {
		if errs[i] != nil || outs[i] != "answer to "+c {
			t.Fatalf("in scope %q: %q %v", c, outs[i], errs[i])
		}
	}
	if _, ahead, strays, _ := w.Stats(); ahead != 0 || strays != 0 {
		t.Fatalf("typed ahead %d bytes, %d strays", ahead, strays)
	}
}
