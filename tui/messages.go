package tui

import (
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// Messages. Work done in commands and goroutines comes back as one of these;
// goroutines that report often (scan progress, per-item action results) put
// them in the inbox, which the fixed-cadence tick drains, so a flood of
// events costs one redraw per tick rather than one per event.
type (
	tickMsg      struct{}
	scanEventMsg struct{ ev fleet.Event }
	scanDoneMsg  struct {
		names   []string
		results []fleet.DeviceResult
	}
	planMsg struct {
		id    int
		items []planItem
	}
	actionResultMsg struct {
		id, idx int
		res     fleet.ActionResult
	}
	actionDoneMsg  struct{ id int }
	debugOpenedMsg struct {
		device string
		err    error
	}
	debugClosedMsg struct {
		device string
		err    error
	}
	debugEndedMsg struct{ device string }
	savedMsg      struct {
		path string
		n    int   // lines written
		seen int64 // lines the pane received; more than n when the ring dropped the oldest
		err  error
	}
	// QuitMsg asks the TUI to disarm debug streams and exit; Run sends it on
	// SIGTERM/SIGHUP and when its context ends.
	QuitMsg      struct{}
	quitReadyMsg struct{ err error }
)

// inbox is a mutex-protected queue filled by goroutines and drained by Update
// on every tick.
type inbox struct {
	mu sync.Mutex
	q  []tea.Msg
}

func (b *inbox) push(m tea.Msg) {
	b.mu.Lock()
	b.q = append(b.q, m)
	b.mu.Unlock()
}

func (b *inbox) drain() []tea.Msg {
	b.mu.Lock()
	q := b.q
	b.q = nil
	b.mu.Unlock()
	return q
}

func tickCmd(d time.Duration) tea.Cmd {
	return tea.Tick(d, func(time.Time) tea.Msg { return tickMsg{} })
}
