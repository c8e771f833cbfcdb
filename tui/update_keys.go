package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// handleKey routes a key press: quitting first, then the dialog (which owns
// its keys), help, the detail view, an open `/` editor, the focused pane's
// own keys, and last the console's keys.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if cmd, done := m.quitKey(k); done {
		return cmd
	}
	switch {
	case m.dialog != nil:
		return m.dialogKey(k)
	case m.help:
		if key.Matches(k, m.keys.Help, m.keys.Back) || k.String() == "q" {
			m.help = false
		}
		return nil
	case m.detail != nil && m.detailKey(k):
		return nil
	}
	if in := m.activeInput(); in != nil {
		if changed, _ := in.key(k); changed {
			m.onFilterChange()
		}
		return nil
	}
	m.status = ""
	if m.zoom && key.Matches(k, m.keys.Back) {
		m.zoom = false
		m.layout()
		return nil
	}
	if m.paneKey(k) {
		return nil
	}
	return m.consoleKey(k)
}

// quitKey handles q and ctrl+c; done means the key was theirs.
func (m *Model) quitKey(k tea.KeyPressMsg) (cmd tea.Cmd, done bool) {
	quit := key.Matches(k, m.keys.Quit)
	switch {
	case m.quitting:
		if k.String() == "ctrl+c" { // second ctrl+c: stop waiting for the disarm
			return tea.Quit, true
		}
		return nil, true
	case k.String() == "ctrl+c":
		// ctrl+c always quits, dialog or action: the same cleanup as q,
		// and a running action is interrupted and reported (Close).
		return m.startQuit(), true
	case quit && m.acting && !m.quitArmed:
		// a half-done readd is worse than waiting: make aborting deliberate
		m.quitArmed = true
		m.setStatus("an action is running: press q again to abort it and quit", "warn")
		return nil, true
	case quit && m.quitArmed:
		return m.startQuit(), true
	}
	m.quitArmed = false
	return nil, false
}

// detailKey: in the token detail view `o` follows the token to the other
// unit; esc, enter and q close it; any other key closes it and does what
// it does in the token table. True when the key is used up.
func (m *Model) detailKey(k tea.KeyPressMsg) bool {
	if key.Matches(k, m.keys.Elsewhere) {
		m.jumpElsewhere()
		return true
	}
	m.detail = nil
	return key.Matches(k, m.keys.Back, m.keys.Open) || k.String() == "q"
}

// paneKey hands the key to the focused pane and does what its reply asks;
// false when the key is not the pane's.
func (m *Model) paneKey(k tea.KeyPressMsg) bool {
	var r reply
	switch m.focus {
	case paneFleet:
		r = m.list.Update(k)
	case paneTokens:
		r = m.table.Update(k)
	case paneDebug:
		r = m.dbg.Update(k)
	case paneHistory:
		r = m.hist.Update(k)
	}
	if r.status != "" {
		m.setStatus(r.status, r.sev)
	}
	switch r.ev {
	case paneIgnored:
		return false
	case paneMoved:
		m.syncTable()
	case paneFiltered:
		m.onFilterChange()
	case paneOpen:
		m.open()
	}
	return true
}

// open is enter: the fleet list opens the device's tokens, the token table
// the token's detail.
func (m *Model) open() {
	switch {
	case m.focus == paneFleet && m.table.device != "":
		m.focus = paneTokens
	case m.focus == paneTokens:
		m.openDetail()
	}
}

// consoleKey is the keys that do not belong to the focused pane.
func (m *Model) consoleKey(k tea.KeyPressMsg) tea.Cmd {
	km := &m.keys
	switch {
	case key.Matches(k, km.Quit):
		return m.startQuit()
	case key.Matches(k, km.Help):
		m.help = true
	case key.Matches(k, km.NextPane):
		m.nextPane()
	case key.Matches(k, km.Back):
		m.focus = paneFleet
	case key.Matches(k, km.Filter):
		m.setStatus("/ — disabled: the history pane has no filter", "warn")
	case key.Matches(k, km.Mark):
		m.setStatus("space — disabled: marks apply to the fleet list and the token table", "warn")
	case key.Matches(k, km.MarkAll):
		m.setStatus(km.MarkAll.Help().Key+" — disabled: marks apply to the fleet list and the token table", "warn")
	case key.Matches(k, km.MarkDiag):
		m.markDiagnosis()
	case key.Matches(k, km.Elsewhere):
		m.jumpElsewhere()
	case key.Matches(k, km.Zoom):
		m.zoom = !m.zoom
		m.layout()
	case key.Matches(k, km.History):
		m.toggleHistory()
	default:
		return m.commandKey(k)
	}
	return nil
}

// commandKey is the keys that start work: debug, save, export, actions, scans.
func (m *Model) commandKey(k tea.KeyPressMsg) tea.Cmd {
	km := &m.keys
	switch {
	case key.Matches(k, km.Debug):
		return m.toggleDebug()
	case key.Matches(k, km.Follow):
		return m.debugKey(m.dbg.toggleFollow)
	case key.Matches(k, km.Wrap):
		return m.debugKey(func() { m.dbg.wrap = !m.dbg.wrap })
	case key.Matches(k, km.Save):
		if r := m.reasonFor(&km.Save); r != "" {
			m.setStatus("ctrl+s save — disabled: "+r, "warn")
			return nil
		}
		return m.saveDebug()
	case key.Matches(k, km.Export):
		return m.exportView("csv")
	case key.Matches(k, km.ExportJSON):
		return m.exportView("json")
	case m.actionKeyPressed(k) != "":
		return m.startAction(m.actionKeyPressed(k))
	case key.Matches(k, km.Refresh):
		return m.refresh()
	case key.Matches(k, km.RescanAll):
		if len(m.devs) == 0 {
			m.setStatus("R rescan all — disabled: inventory is empty", "warn")
			return nil
		}
		m.setStatus(sprintf("rescanning %d devices", len(m.devs)), "ok")
		return m.scanCmd(m.allNames())
	}
	return nil
}

// actionKeyPressed is the token action whose key k is, from the action table.
func (m *Model) actionKeyPressed(k tea.KeyPressMsg) fleet.Action {
	for _, s := range actionSpecs {
		if key.Matches(k, *s.bind(&m.keys)) {
			return s.act
		}
	}
	return ""
}

// dialogKey hands the key to the dialog, which owns its keys, and does
// what the dialog asks of the root.
func (m *Model) dialogKey(k tea.KeyPressMsg) tea.Cmd {
	d := m.dialog
	switch d.Update(k, &m.keys) {
	case dialogConfirm:
		return m.confirm()
	case dialogCancel:
		m.dialog = nil
		m.setStatus(actionLabel(d.action)+" cancelled: nothing was sent", "warn")
	case dialogCancelPlanning:
		m.dialog = nil
		m.setStatus(actionLabel(d.action)+" cancelled while planning: nothing was sent", "warn")
	case dialogBusy:
		m.setStatus("action running: wait for the per-token results", "warn")
	case dialogClose:
		m.dialog = nil
	}
	return nil
}

// refresh is `r`: rescan the marked devices the filter shows, else the
// selected one. Marks hidden by the filter are not acted on.
func (m *Model) refresh() tea.Cmd {
	var names []string
	marked, _ := m.list.visibleMarks()
	for _, n := range marked {
		if d := m.dev(n); d != nil && !d.scanning {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		if r := m.reasonFor(&m.keys.Refresh); r != "" {
			m.setStatus("r refresh — disabled: "+r, "warn")
			return nil
		}
		names = []string{m.table.device}
	}
	m.setStatus("refreshing "+joinMax(names, 5), "ok")
	return m.scanCmd(names)
}

func joinMax(s []string, n int) string {
	if len(s) <= n {
		return join(s)
	}
	return join(s[:n]) + sprintf(" and %d more", len(s)-n)
}

func join(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}
