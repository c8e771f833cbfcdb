package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// ctrl+c in a confirmation dialog quits (issue 15: it was ignored there),
// and nothing is sent.
func TestCtrlCInDialogQuits(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.confirmActivate("berlin-fw1")
	_, c := h.m.Update(keyMsg("ctrl+c"))
	if !h.m.quitting || c == nil {
		t.Fatal("ctrl+c in the dialog did not start quitting")
	}
	if msg, ok := c().(quitReadyMsg); !ok || msg.err != nil {
		t.Fatalf("quit: %#v", msg)
	}
	if _, runs := fb.counts(); runs != 0 {
		t.Fatalf("ctrl+c in the dialog sent something: runs=%d", runs)
	}
}

// sentBackend's Run has written its line and waits for the device when
// the quit comes: fleet.Run then reports the outcome as unknown.
type sentBackend struct {
	*fakeBackend
	running chan struct{}
}

func (b sentBackend) Run(ctx context.Context, p *fleet.Plan, debug func(parse.DebugLine)) fleet.ActionResult {
	close(b.running)
	<-ctx.Done()
	return fleet.ActionResult{Request: p.Request, Outcome: fleet.OutcomeUnknown,
		Message: fleet.UnknownPrefix + "interrupted: " + ctx.Err().Error()}
}

// ctrl+c while an action runs quits at once: the action is interrupted,
// waited for, and its unknown outcome comes back for the admin to read
// after the screen is gone.
func TestCtrlCDuringActionInterruptsAndReports(t *testing.T) {
	b := sentBackend{fakeBackend: newFake(), running: make(chan struct{})}
	h := newHarness(t, b.fakeBackend, Options{})
	h.m.o.Backend = b // same fake, with a Run that has sent its line
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("enter", "a")
	_, c := h.m.Update(keyMsg("y"))
	if c == nil {
		t.Fatal("y started nothing")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, cmd := range flatten(c) {
			_ = cmd()
		}
	}()
	select {
	case <-b.running:
	case <-time.After(5 * time.Second):
		t.Fatal("the action never started")
	}
	_, q := h.m.Update(keyMsg("ctrl+c")) // once: no "press again"
	if !h.m.quitting || q == nil {
		t.Fatal("ctrl+c during an action did not quit")
	}
	msg, ok := q().(quitReadyMsg)
	if !ok {
		t.Fatalf("quit returned %#v", msg)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("quit returned before the action stopped")
	}
	if msg.err == nil || !strings.Contains(msg.err.Error(), "sent, outcome unknown") {
		t.Fatalf("the interrupted action is not reported: %v", msg.err)
	}
}

// flatten expands a batch into its commands.
func flatten(c tea.Cmd) []tea.Cmd {
	if c == nil {
		return nil
	}
	msg := c()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Cmd
		for _, sub := range batch {
			out = append(out, sub)
		}
		return out
	}
	return []tea.Cmd{func() tea.Msg { return msg }}
}

// slowStream's disarm does not finish in time (a device that stalls).
type slowStream struct{ release chan struct{} }

func (s slowStream) Lines() <-chan parse.DebugLine { return nil }
func (s slowStream) Close() error                  { <-s.release; return nil }

// A quit that stops waiting (second ctrl+c) still reports the disarms it
// did not see confirmed, instead of exiting as if all were clean.
func TestUnconfirmedDisarmIsReported(t *testing.T) {
	r := newStreams()
	s := slowStream{release: make(chan struct{})}
	defer close(s.release)
	r.add("paris-fw1", s)
	if err := r.closeAll(50 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Fatalf("first closeAll: %v", err)
	}
	if err := r.closeAll(50 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "paris-fw1") {
		t.Fatalf("second closeAll forgot the unconfirmed disarm: %v", err)
	}
}
