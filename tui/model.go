package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"
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

// Model is the one root model of the TUI. It routes messages and keys to
// its components (plain structs, each with its own Update, View and
// SetSize over a shared common context) and owns every I/O command; it is
// used as a pointer so that commands and Run share its registry.
type Model struct {
	common   // the whole screen; the panes get copies with their own size
	*devices // the fleet, shared read-only with the panes that render it
	o        Options
	st       Styles
	keys     KeyMap
	ctx      context.Context
	cancel   context.CancelFunc

	list    *fleetList
	table   *tokenTable
	dbg     *debugPane
	hist    *history
	dialog  *dialog
	header  *header
	help    bool
	detail  *tokenKey // the token detail view, when open
	focus   pane
	zoom    bool
	showDbg bool
	showHis bool

	inbox   *inbox
	streams *streams

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
		inbox: &inbox{}, streams: newStreams(),
		actions: &inflight{},
	}
	var devs []Device
	if o.Backend != nil {
		devs = o.Backend.Devices()
	}
	m.devices = newDevices(devs)
	m.common = common{width: 120, height: 36, styles: &m.st, keys: &m.keys, readOnly: o.ReadOnly}
	m.list = newFleetList(m.common, m.devices)
	m.table = newTokenTable(m.common, m.devices)
	m.dbg = newDebugPane(m.common, o.RingSize)
	m.hist = &history{common: m.common}
	m.header = &header{common: m.common, inventory: o.Inventory}
	m.layout()
	m.refreshList()
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
		m.dbg.onTick()
		m.refreshListIfDirty()
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
	m.refreshListIfDirty()
	return m, c
}

// handleAsync applies results of background work.
func (m *Model) handleAsync(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case scanEventMsg:
		m.applyEvent(msg.ev)
	case scanDoneMsg:
		m.onScanDone(msg)
	case planMsg:
		m.onPlans(msg)
	case actionResultMsg:
		m.onActionResult(msg)
	case actionDoneMsg:
		return m.onActionDone(msg)
	case debugOpenedMsg:
		m.onDebugOpened(msg)
	case debugClosedMsg:
		m.onDebugClosed(msg)
	case debugEndedMsg:
		m.dbg.ended(msg.device)
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

func (m *Model) setStatus(s, sev string) { m.status, m.statusSev = s, sev }
