package tui

import (
	"slices"

	"github.com/ftktui/ftktui/fleet"
)

// Marks and the filter: actions and refresh act on what the admin can see.
// A mark on a device the fleet filter hides (or on a token the token filter
// hides) is kept, counted as hidden in the titles, and not acted on.

// devVisible reports whether the fleet filter shows the device.
func (m *Model) devVisible(name string) bool {
	i, ok := m.byName[name]
	return ok && slices.Contains(m.list.order, i)
}

// tokenVisible reports whether a marked token is on screen or reachable by
// scrolling: its device is in the fleet list and, on the device the token
// table shows, the token filter keeps it.
func (m *Model) tokenVisible(k tokenKey) bool {
	if !m.devVisible(k.device) {
		return false
	}
	if k.device != m.table.device || m.table.filter.value == "" {
		return true
	}
	d := m.dev(k.device)
	if d == nil || d.res == nil {
		return false
	}
	for _, i := range m.table.order {
		if d.res.Tokens[i].Serial == k.serial {
			return true
		}
	}
	return false
}

// visibleDevMarks are the marked devices the filter shows, and how many it hides.
func (m *Model) visibleDevMarks() (names []string, hidden int) {
	for n := range m.list.marks {
		if m.devVisible(n) {
			names = append(names, n)
		} else {
			hidden++
		}
	}
	slices.Sort(names)
	return names, hidden
}

// visibleTokenMarks are the marked tokens the filters show, and how many they hide.
func (m *Model) visibleTokenMarks() (keys []tokenKey, hidden int) {
	for k := range m.table.marks {
		if m.tokenVisible(k) {
			keys = append(keys, k)
		} else {
			hidden++
		}
	}
	return keys, hidden
}

// markTitle is " · N marked" plus the hidden count, for pane titles.
func markTitle(n, hidden int) string {
	switch {
	case n == 0 && hidden == 0:
		return ""
	case hidden == 0:
		return sprintf(" · %d marked", n)
	}
	return sprintf(" · %d marked (%d hidden by the filter, not acted on)", n, hidden)
}

// markDiagnosis is M: mark every token across the (visible) fleet whose
// diagnosis is the selected token's; pressed again on a fully marked set,
// it unmarks them. The status names the rule book's action for them.
func (m *Model) markDiagnosis() {
	t := m.selectedToken()
	if m.focus != paneTokens || t == nil {
		m.setStatus(m.keys.MarkDiag.Help().Key+" — disabled: select a token in the token table first", "warn")
		return
	}
	code := t.Diagnosis
	var keys []tokenKey
	devs := map[string]bool{}
	for _, i := range m.list.order {
		d := m.devs[i]
		if d.res == nil {
			continue
		}
		for j := range d.res.Tokens {
			if d.res.Tokens[j].Diagnosis == code {
				keys = append(keys, tokenKey{d.dev.Name, d.res.Tokens[j].Serial})
				devs[d.dev.Name] = true
			}
		}
	}
	all := true
	for _, k := range keys {
		all = all && m.table.marks[k]
	}
	for _, k := range keys {
		if all {
			delete(m.table.marks, k)
		} else {
			m.table.marks[k] = true
		}
	}
	if all {
		m.setStatus(sprintf("unmarked %d %s token(s)", len(keys), code), "ok")
		return
	}
	msg := sprintf("marked %d %s token(s) on %d device(s)", len(keys), code, len(devs))
	if a := fleet.Suggest(m.dev(m.table.device).res, t, m.gate()); a != "" {
		msg += " — " + m.suggestText(a) + " to act on all of them (one confirmation)"
	}
	m.setStatus(msg, "ok")
}

// markAll is ctrl+a: mark every visible row of the focused list (again: clear).
func (m *Model) markAll() {
	switch m.focus {
	case paneFleet:
		all := len(m.list.order) > 0
		for _, i := range m.list.order {
			all = all && m.list.marks[m.devs[i].dev.Name]
		}
		for _, i := range m.list.order {
			if all {
				delete(m.list.marks, m.devs[i].dev.Name)
			} else {
				m.list.marks[m.devs[i].dev.Name] = true
			}
			m.devs[i].version++
		}
		m.list.dirty = true
	case paneTokens:
		d := m.dev(m.table.device)
		if d == nil || d.res == nil {
			return
		}
		all := len(m.table.order) > 0
		for _, i := range m.table.order {
			all = all && m.table.marks[tokenKey{d.dev.Name, d.res.Tokens[i].Serial}]
		}
		for _, i := range m.table.order {
			k := tokenKey{d.dev.Name, d.res.Tokens[i].Serial}
			if all {
				delete(m.table.marks, k)
			} else {
				m.table.marks[k] = true
			}
		}
	default:
		m.setStatus(m.keys.MarkAll.Help().Key+" — disabled: marks apply to the fleet list and the token table", "warn")
	}
}
