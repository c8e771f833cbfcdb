package tui

import (
	"bytes"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// TestProgramEndToEnd runs the real program loop (teatest) over the fake
// backend: initial scan, navigation, a confirmed activation, quit.
func TestProgramEndToEnd(t *testing.T) {
	fb := newFake()
	m := New(Options{Backend: fb, Inventory: "demo.yaml", NoColor: true, SaveDir: t.TempDir()})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(150, 44))
	wait := func(s string) {
		t.Helper()
		teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte(s)) },
			teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	}
	wait("scan finished")
	for range 4 { // dead, kyiv, madrid, rome → berlin
		tm.Send(tea.KeyPressMsg{Code: 'j', Text: "j"})
	}
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEnter})
	tm.Send(tea.KeyPressMsg{Code: 'a', Text: "a"})
	wait("Activate 1 token?")
	tm.Send(tea.KeyPressMsg{Code: 'y', Text: "y"})
	wait("verified")
	tm.Send(tea.KeyPressMsg{Code: tea.KeyEscape})
	tm.Send(tea.KeyPressMsg{Code: 'q', Text: "q"})
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(10*time.Second)).(*Model)
	if !fm.quitting {
		t.Fatal("final model did not go through quit")
	}
	if _, runs := fb.counts(); runs != 1 {
		t.Fatalf("runs = %d", runs)
	}
}
