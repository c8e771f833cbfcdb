package tui

import (
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// refreshList re-sorts the fleet list and re-points what follows its cursor.
func (m *Model) refreshList() {
	m.list.refresh()
	m.header.count(m.devs)
	m.syncTable()
}

func (m *Model) refreshListIfDirty() {
	if m.list.dirty {
		m.refreshList()
	}
}

// syncTable points the token table at the device under the fleet cursor.
func (m *Model) syncTable() { m.table.point(m.list.selectedName()) }

// selectedToken is the token under the table cursor, or nil.
func (m *Model) selectedToken() *fleet.TokenResult { return m.table.selected() }

// activeInput is the line editor taking keys now (a filter or the debug
// search), nil when none is open.
func (m *Model) activeInput() *lineInput {
	for _, in := range []*lineInput{&m.list.filter, &m.table.filter, &m.dbg.search} {
		if in.active {
			return in
		}
	}
	return nil
}

func (m *Model) onFilterChange() {
	if m.list.selectedIdx() >= 0 {
		m.list.moved = true // keep the selected device when the filter changes or clears
	}
	m.refreshList()
	m.table.dirty = true
	m.table.refresh()
}

func (m *Model) nextPane() {
	order := []pane{paneFleet, paneTokens}
	if m.showDbg {
		order = append(order, paneDebug)
	}
	if m.showHis {
		order = append(order, paneHistory)
	}
	for i, p := range order {
		if p == m.focus {
			m.focus = order[(i+1)%len(order)]
			if m.zoom {
				m.layout()
			}
			return
		}
	}
	m.focus = paneFleet
}

// toggleHistory is h: show or hide the history pane.
func (m *Model) toggleHistory() {
	m.showHis = !m.showHis
	if !m.showHis && m.focus == paneHistory {
		m.focus = paneFleet
	}
	m.layout()
}

// handleWheel scrolls the focused pane by three rows.
func (m *Model) handleWheel(w tea.MouseWheelMsg) tea.Cmd {
	switch w.Button {
	case tea.MouseWheelUp:
		m.scrollFocused(-3)
	case tea.MouseWheelDown:
		m.scrollFocused(3)
	}
	return nil
}

func (m *Model) scrollFocused(delta int) {
	switch m.focus {
	case paneFleet:
		m.list.move(delta)
		m.syncTable()
	case paneTokens:
		m.table.moveBy(delta, len(m.table.order))
	case paneDebug:
		m.dbg.scroll(int64(delta))
	case paneHistory:
		m.hist.scroll(delta)
	}
}
