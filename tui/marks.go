package tui

import "github.com/ftktui/ftktui/fleet"

// Marks and the filter: actions and refresh act on what the admin can see.
// A mark on a device the fleet filter hides (or on a token the token filter
// hides) is kept, counted as hidden in the titles, and not acted on.

// tokenVisible reports whether a marked token is on screen or reachable by
// scrolling: its device is in the fleet list and, on the device the token
// table shows, the token filter keeps it.
func (m *Model) tokenVisible(k tokenKey) bool {
	if !m.list.shows(k.device) {
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
