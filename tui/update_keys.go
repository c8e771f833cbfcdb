package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// handleKey dispatches a key press: dialog first, then help, then an active
// `/` editor, then the focused pane, then global keys.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	km := &m.keys
	if m.quitting {
		if k.String() == "ctrl+c" { // second ctrl+c: stop waiting for the disarm
			return tea.Quit
		}
		return nil
	}
	if k.String() == "ctrl+c" {
		// ctrl+c always quits, dialog or action: the same cleanup as q,
		// and a running action is interrupted and reported (Close).
		return m.startQuit()
	}
	if key.Matches(k, km.Quit) && m.acting && !m.quitArmed {
		// a half-done readd is worse than waiting: make aborting deliberate
		m.quitArmed = true
		m.setStatus("an action is running: press q again to abort it and quit", "warn")
		return nil
	}
	if m.quitArmed && key.Matches(k, km.Quit) {
		return m.startQuit()
	}
	m.quitArmed = false
	if m.dialog != nil {
		return m.dialogKey(k)
	}
	if m.help {
		if key.Matches(k, km.Help, km.Back) || k.String() == "q" {
			m.help = false
		}
		return nil
	}
	if m.detail != nil && key.Matches(k, km.Elsewhere) {
		m.jumpElsewhere() // the detail view follows the token to the other unit
		return nil
	}
	if m.detail != nil {
		m.detail = nil
		if key.Matches(k, km.Back, km.Open) || k.String() == "q" {
			return nil
		}
	}
	if in := m.activeInput(); in != nil {
		changed, _ := in.key(k)
		if changed {
			m.onFilterChange()
		}
		return nil
	}
	m.status = ""
	switch {
	case key.Matches(k, km.Quit):
		return m.startQuit()
	case key.Matches(k, km.Help):
		m.help = true
	case key.Matches(k, km.NextPane):
		m.nextPane()
	case key.Matches(k, km.Filter):
		m.startFilter()
	case key.Matches(k, km.Back):
		m.back()
	case key.Matches(k, km.Up):
		m.moveCursor(-1)
	case key.Matches(k, km.Down):
		m.moveCursor(1)
	case key.Matches(k, km.PageUp):
		m.moveCursor(-m.pageSize())
	case key.Matches(k, km.PageDown):
		m.moveCursor(m.pageSize())
	case key.Matches(k, km.Top):
		m.moveCursor(-1 << 30)
	case key.Matches(k, km.Bottom):
		if m.focus == paneDebug {
			m.dbg.follow = true
		} else {
			m.moveCursor(1 << 30)
		}
	case key.Matches(k, km.Open):
		switch {
		case m.focus == paneFleet && m.table.device != "":
			m.focus = paneTokens
		case m.focus == paneTokens:
			m.openDetail()
		}
	case key.Matches(k, km.Mark):
		m.toggleMark()
	case key.Matches(k, km.MarkAll):
		m.markAll()
	case key.Matches(k, km.MarkDiag):
		m.markDiagnosis()
	case key.Matches(k, km.Elsewhere):
		m.jumpElsewhere()
	case key.Matches(k, km.Debug):
		return m.toggleDebug()
	case key.Matches(k, km.Follow):
		return m.debugKey(func() {
			if m.dbg.follow { // freeze exactly what is on screen
				m.dbg.top = m.dbg.seen - int64(m.dbg.height)
			}
			m.dbg.follow = !m.dbg.follow
		})
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
	case key.Matches(k, km.Zoom):
		m.zoom = !m.zoom
		m.layout()
	case key.Matches(k, km.History):
		m.showHis = !m.showHis
		if !m.showHis && m.focus == paneHistory {
			m.focus = paneFleet
		}
		m.layout()
	case key.Matches(k, km.NextMatch) && m.focus == paneDebug:
		// `n` is next match in the debug pane (renew elsewhere): focus decides.
		return m.debugSearchKey(1)
	case key.Matches(k, km.PrevMatch) && m.focus == paneDebug:
		return m.debugSearchKey(-1)
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

// debugSearchKey is n / N in the debug pane.
func (m *Model) debugSearchKey(dir int) tea.Cmd {
	if r := m.reasonFor(&m.keys.NextMatch); r != "" {
		m.setStatus(m.keys.NextMatch.Help().Key+" next match — disabled: "+r, "warn")
		return nil
	}
	m.dbg.jump(m, dir)
	return nil
}

func (m *Model) debugKey(f func()) tea.Cmd {
	if !m.showDbg {
		m.setStatus("debug pane is closed (d opens it)", "warn")
		return nil
	}
	f()
	return nil
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

func (m *Model) toggleMark() {
	switch m.focus {
	case paneFleet:
		if i := m.list.selectedIdx(); i >= 0 {
			n := m.devs[i].dev.Name
			if m.list.marks[n] {
				delete(m.list.marks, n)
			} else {
				m.list.marks[n] = true
			}
			m.devs[i].version++ // the cursor stays: space marks, j/k move
		}
	case paneTokens:
		if t := m.selectedToken(); t != nil {
			k := tokenKey{m.table.device, t.Serial}
			if m.table.marks[k] {
				delete(m.table.marks, k)
			} else {
				m.table.marks[k] = true
			}
		}
	default:
		m.setStatus("space — disabled: marks apply to the fleet list and the token table", "warn")
	}
}

// refresh is `r`: rescan the marked devices the filter shows, else the
// selected one. Marks hidden by the filter are not acted on.
func (m *Model) refresh() tea.Cmd {
	var names []string
	marked, _ := m.visibleDevMarks()
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
