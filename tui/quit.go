package tui

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// actionQuitTimeout bounds how long quitting waits for a running action to
// stop, disarm its capture and audit its result (fleet.Run bounds its own
// disarm; a readd rollback can take longer and is then reported).
const actionQuitTimeout = 30 * time.Second

// inflight tracks the action commands (and debug arms) running in the background so that
// every exit path (q, ctrl+c, SIGTERM, SIGHUP) waits for their cleanup
// instead of exiting with the action's debug capture armed.
type inflight struct {
	wg      sync.WaitGroup
	mu      sync.Mutex
	running int
	results []fleet.ActionResult
	notes   []string
}

func (f *inflight) start() {
	f.mu.Lock()
	f.running++
	f.mu.Unlock()
	f.wg.Add(1)
}

func (f *inflight) done() {
	f.mu.Lock()
	f.running--
	f.mu.Unlock()
	f.wg.Done()
}

func (f *inflight) busy() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.running > 0
}

// note keeps a cleanup failure to report once the screen is gone.
func (f *inflight) note(msg string) {
	f.mu.Lock()
	f.notes = append(f.notes, msg)
	f.mu.Unlock()
}

func (f *inflight) record(r fleet.ActionResult) {
	f.mu.Lock()
	f.results = append(f.results, r)
	f.mu.Unlock()
}

// wait waits for every running action, at most d; false on timeout.
func (f *inflight) wait(d time.Duration) bool {
	ch := make(chan struct{})
	go func() { f.wg.Wait(); close(ch) }()
	select {
	case <-ch:
		return true
	case <-time.After(d):
		return false
	}
}

// unsettled is what the admin must hear after the console is gone: every
// action result that is not verified nor refused, and actions that did not
// finish in time.
func (f *inflight) unsettled(stillRunning bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	msgs := append([]string(nil), f.notes...)
	for _, r := range f.results {
		if r.Outcome == fleet.OutcomeUnknown {
			msgs = append(msgs, fmt.Sprintf("%s: %s", r.Request, r.Message))
		}
	}
	if stillRunning {
		msgs = append(msgs, fmt.Sprintf("an action or a debug arm was still running %s after quit: its outcome is unknown and debug may be left armed — re-scan (DEBUG_LEFT_ON) before retrying", actionQuitTimeout))
	}
	if len(msgs) == 0 {
		return nil
	}
	return errors.New("at quit: " + strings.Join(msgs, "; "))
}

// Close cancels background work and disarms every debug stream, waiting at
// most the configured timeout. Run calls it on every exit path.
//
// A running action is interrupted first (its context is cancelled) and
// waited for: fleet.Run then disarms its own capture and audits the result,
// which is "sent, outcome unknown" once a mutation line was written; such
// results come back in the error so the admin hears of them after the
// screen is gone.
func (m *Model) Close() error {
	open := m.streams.takeAll() // before cancel: pumps drop streams when it ends
	m.cancel()
	finished := m.actions.wait(actionQuitTimeout)
	err := m.streams.closeSet(open, m.o.CloseTimeout)
	return errors.Join(err, m.actions.unsettled(!finished))
}

// startQuit disarms debug streams in a command, then quits.
func (m *Model) startQuit() tea.Cmd {
	if m.quitting {
		return nil
	}
	m.quitting = true
	if m.actions.busy() {
		m.setStatus("quitting: interrupting the action (a line already sent is reported as 'sent, outcome unknown'), disarming debug…", "warn")
	} else {
		m.setStatus("quitting: disarming debug on every device…", "warn")
	}
	return func() tea.Msg { return quitReadyMsg{err: m.Close()} }
}
