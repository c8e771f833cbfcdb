package tui

import (
	tea "charm.land/bubbletea/v2"
)

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

// startFilter is `/`: a fresh filter each time (typing after a second `/`
// does not append to the first one).
func (m *Model) startFilter() {
	switch m.focus {
	case paneFleet:
		m.list.filter = lineInput{active: true}
		m.onFilterChange()
	case paneTokens:
		m.table.filter = lineInput{active: true}
		m.onFilterChange()
	case paneDebug:
		m.dbg.search = lineInput{active: true}
	default:
		m.setStatus("/ — disabled: the history pane has no filter", "warn")
	}
}

func (m *Model) onFilterChange() {
	if m.list.selectedIdx() >= 0 {
		m.list.moved = true // keep the selected device when the filter changes or clears
	}
	m.list.refresh(m)
	m.table.dirty = true
	m.refreshTable()
}

// back is esc: clear the filter of the focused pane, else go back a pane.
func (m *Model) back() {
	switch {
	case m.zoom:
		m.zoom = false
		m.layout()
	case m.focus == paneFleet && m.list.filter.value != "":
		m.list.filter.value = ""
		m.onFilterChange()
	case m.focus == paneTokens && m.table.filter.value != "":
		m.table.filter.value = ""
		m.onFilterChange()
	case m.focus == paneDebug && m.dbg.search.value != "":
		m.dbg.search.value = ""
	case m.focus != paneFleet:
		m.focus = paneFleet
	}
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

func (m *Model) pageSize() int {
	switch m.focus {
	case paneTokens:
		return max(1, m.table.height)
	case paneDebug:
		return max(1, m.dbg.height)
	}
	return max(1, m.list.height)
}

func (m *Model) moveCursor(delta int) {
	switch m.focus {
	case paneFleet:
		m.list.move(delta)
		m.syncTable()
	case paneTokens:
		m.table.move(delta)
	case paneDebug:
		if delta > 1<<20 || delta < -1<<20 {
			r := m.ringFor(m.dbg.device)
			first, _ := r.bounds()
			m.dbg.follow, m.dbg.top = false, first
			return
		}
		m.dbg.scroll(m, int64(delta))
	case paneHistory:
		m.hist.offset = max(0, m.hist.offset-delta)
	}
}

func (m *Model) handleWheel(w tea.MouseWheelMsg) tea.Cmd {
	switch w.Button {
	case tea.MouseWheelUp:
		m.moveCursor(-3)
	case tea.MouseWheelDown:
		m.moveCursor(3)
	}
	return nil
}
