package tui

import (
	"context"
	"errors"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// Options configures the TUI.
type Options struct {
	Backend       Backend
	Inventory     string        // shown in the title bar
	ReadOnly      bool          // --read-only: no action can be sent
	NoColor       bool          // force the attributes-only palette (NO_COLOR is also honoured by Run)
	Theme         string        // auto (ask the terminal), dark or light (settings file: theme)
	DebugApps     []string      // applications the `d` pane arms (default forticldd, fortitoken, alertmail)
	SaveDir       string        // where ctrl+s writes debug logs (default: the OS temp dir)
	ExportDir     string        // where ctrl+e/alt+e write the exported view (default: the working directory)
	RingSize      int           // debug lines kept per device (default DefaultRingSize)
	Tick          time.Duration // redraw cadence for streamed data (default 80ms)
	CloseTimeout  time.Duration // bound on disarming debug streams at quit (default 8s)
	NoInitialScan bool          // do not scan every device at start
	Mouse         bool          // enable mouse wheel/click support
}

type pane int

const (
	paneFleet pane = iota
	paneTokens
	paneDebug
	paneHistory
)

// devState is one device as the TUI knows it: inventory entry, last result,
// scan progress. version bumps on every change so row caches can tell.
type devState struct {
	dev      Device
	res      *fleet.DeviceResult
	scanning bool
	step     string
	version  int
	rowKey   rowCacheKey
	row      string
}

type rowCacheKey struct {
	version, width int
	mark           bool
}

// Model is the one root model of the TUI. Child views are plain structs it
// owns; it is used as a pointer so that commands and Run share its registry.
type Model struct {
	o      Options
	st     Styles
	keys   KeyMap
	ctx    context.Context
	cancel context.CancelFunc

	width, height int

	devs   []*devState
	byName map[string]int

	list    fleetList
	table   tokenTable
	dbg     debugPane
	hist    history
	dialog  *dialog
	header  header
	help    bool
	detail  *tokenKey // the token detail view, when open
	focus   pane
	zoom    bool
	showDbg bool
	showHis bool

	inbox   *inbox
	streams *streams
	rings   map[string]*ring

	scanRunning int // scan commands in flight
	// scanSet is every device of the scans in flight: progress counts
	// devices (done = not scanning any more), so R during a scan cannot
	// count a device twice.
	scanSet  map[string]bool
	actionID int
	acting   bool

	status    string
	statusSev string // "", "error", "warn", "ok"
	quitting  bool
	quitArmed bool   // q pressed once while an action runs
	jumpFrom  string // serial of the last `o` jump (cycles its units)
	actions   *inflight
}

// New builds the model; it does no I/O. Init starts the first scan.
func New(o Options) *Model {
	if o.Tick <= 0 {
		o.Tick = 80 * time.Millisecond
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = 8 * time.Second
	}
	if len(o.DebugApps) == 0 {
		o.DebugApps = []string{"forticldd", "fortitoken", "alertmail"}
	}
	if o.RingSize <= 0 {
		o.RingSize = DefaultRingSize
	}
	ctx, cancel := context.WithCancel(context.Background())
	m := &Model{
		o: o, st: NewThemedStyles(!o.NoColor, o.Theme), keys: DefaultKeyMap(),
		ctx: ctx, cancel: cancel,
		width: 120, height: 36,
		byName: map[string]int{},
		inbox:  &inbox{}, streams: newStreams(), rings: map[string]*ring{},
		actions: &inflight{},
	}
	if o.Backend != nil {
		for _, d := range o.Backend.Devices() {
			m.byName[d.Name] = len(m.devs)
			m.devs = append(m.devs, &devState{dev: d})
		}
	}
	m.list = newFleetList()
	m.table = newTokenTable()
	m.dbg = newDebugPane()
	m.layout()
	m.list.refresh(m)
	m.syncTable()
	return m
}

// Init starts the tick and, unless disabled, a scan of every device.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tickCmd(m.o.Tick)}
	if m.autoTheme() {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if !m.o.NoInitialScan && len(m.devs) > 0 {
		cmds = append(cmds, m.scanCmd(m.allNames()))
	}
	return tea.Batch(cmds...)
}

// autoTheme: the palette follows the terminal's background.
func (m *Model) autoTheme() bool {
	return !m.o.NoColor && (m.o.Theme == "" || m.o.Theme == ThemeAuto)
}

// onBackground picks the palette for the terminal's background (theme auto).
func (m *Model) onBackground(msg tea.BackgroundColorMsg) {
	if !m.autoTheme() {
		return
	}
	m.st = newStyles(true, !msg.IsDark())
	for _, d := range m.devs {
		d.version++ // cached rows hold the old colours
	}
	m.list.dirty, m.table.dirty = true, true
}

func (m *Model) allNames() []string {
	names := make([]string, len(m.devs))
	for i, d := range m.devs {
		names[i] = d.dev.Name
	}
	return names
}

// Update is the only place state changes. It never blocks: anything that may
// touch the network is returned as a command.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.BackgroundColorMsg:
		m.onBackground(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.layout()
		return m, nil
	case tickMsg:
		var cmds []tea.Cmd
		for _, q := range m.inbox.drain() {
			if c := m.handleAsync(q); c != nil {
				cmds = append(cmds, c)
			}
		}
		m.dbg.onTick(m)
		m.list.refreshIfDirty(m)
		if !m.quitting || m.streams.count() > 0 {
			cmds = append(cmds, tickCmd(m.o.Tick))
		}
		return m, tea.Batch(cmds...)
	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.MouseWheelMsg:
		return m, m.handleWheel(msg)
	case QuitMsg:
		return m, m.startQuit()
	case quitReadyMsg:
		return m, tea.Quit
	}
	c := m.handleAsync(msg)
	m.list.refreshIfDirty(m)
	return m, c
}

// handleAsync applies results of background work.
func (m *Model) handleAsync(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case scanEventMsg:
		m.applyEvent(msg.ev)
	case scanDoneMsg:
		m.scanRunning--
		for i := range msg.results {
			m.applyResult(msg.results[i])
		}
		for _, n := range msg.names {
			if d := m.dev(n); d != nil && d.scanning {
				m.finishScan(d)
				d.version++
			}
		}
		if m.scanRunning <= 0 {
			m.scanRunning = 0
			m.crossReference()
			// keep an action's result summary; only replace scan chatter
			if m.status == "" || strings.HasPrefix(m.status, "refreshing") || strings.HasPrefix(m.status, "rescanning") {
				m.setStatus("scan finished", "ok")
			}
		}
		m.list.dirty = true
	case planMsg:
		m.onPlans(msg)
	case actionResultMsg:
		m.onActionResult(msg)
	case actionDoneMsg:
		return m.onActionDone(msg)
	case debugOpenedMsg:
		m.dbg.onOpened(m, msg)
	case debugClosedMsg:
		m.dbg.onClosed(m, msg)
	case debugEndedMsg:
		m.dbg.onEnded(m, msg)
	case exportedMsg:
		m.onExported(msg)
	case savedMsg:
		if msg.err != nil {
			m.setStatus("save failed: "+msg.err.Error(), "error")
		} else {
			kept := ""
			if msg.seen > int64(msg.n) {
				kept = sprintf("; the pane received %d, the oldest %d had left the ring", msg.seen, msg.seen-int64(msg.n))
			}
			m.setStatus(sprintf("saved %d debug lines (redacted, source tags kept%s) to %s", msg.n, kept, msg.path), "ok")
		}
	}
	return nil
}

func (m *Model) dev(name string) *devState {
	if i, ok := m.byName[name]; ok {
		return m.devs[i]
	}
	return nil
}

// applyEvent folds a scan progress event into the device state.
func (m *Model) applyEvent(ev fleet.Event) {
	d := m.dev(ev.Device)
	if d == nil {
		return
	}
	switch ev.Kind {
	case fleet.EventStarted:
		d.scanning, d.step = true, "connecting"
	case fleet.EventStep:
		d.scanning, d.step = true, ev.Step
	case fleet.EventFinished:
		m.finishScan(d)
		if ev.Result != nil {
			m.applyResult(*ev.Result)
		}
	}
	d.version++
	m.list.dirty = true
}

func (m *Model) applyResult(r fleet.DeviceResult) {
	d := m.dev(r.Name)
	if d == nil {
		return
	}
	rc := r
	d.res = &rc
	m.finishScan(d)
	d.version++
	m.list.dirty = true
	if m.table.device == r.Name {
		m.table.dirty = true
	}
}

// scanCmd scans the named devices in a command; progress flows through the
// inbox.
func (m *Model) scanCmd(names []string) tea.Cmd {
	b, ctx, in := m.o.Backend, m.ctx, m.inbox
	if b == nil || len(names) == 0 {
		return nil
	}
	if m.scanRunning == 0 || m.scanSet == nil { // progress covers every scan in flight
		m.scanSet = map[string]bool{}
	}
	m.scanRunning++
	for _, n := range names {
		if d := m.dev(n); d != nil {
			m.scanSet[n] = true
			d.scanning, d.step = true, "queued"
			d.version++
		}
	}
	m.list.dirty = true
	return func() tea.Msg {
		res := b.Scan(ctx, names, func(ev fleet.Event) { in.push(scanEventMsg{ev}) })
		return scanDoneMsg{names: names, results: res}
	}
}

// crossReference relates every device's tokens to the other units' (where
// else a serial lives) once the scans in flight are done: it is a pass
// over the whole fleet, too costly to repeat for each result of a scan.
func (m *Model) crossReference() {
	rs := make([]*fleet.DeviceResult, 0, len(m.devs))
	for _, d := range m.devs {
		if d.res != nil {
			rs = append(rs, d.res)
		}
	}
	fleet.CrossReference(rs)
	for _, d := range m.devs {
		d.version++
	}
	m.table.dirty = true
}

// scanProgress is (devices done, devices) over the scans in flight.
func (m *Model) scanProgress() (done, total int) {
	for n := range m.scanSet {
		if d := m.dev(n); d != nil && !d.scanning {
			done++
		}
	}
	return done, len(m.scanSet)
}

// finishScan ends a device's scan.
func (m *Model) finishScan(d *devState) {
	if d.scanning {
		d.scanning, d.step = false, ""
	}
}

func (m *Model) setStatus(s, sev string) { m.status, m.statusSev = s, sev }

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
