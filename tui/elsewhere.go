package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ftktui/ftktui/fleet"
)

// Where else a token lives (issue 18): the token table and the detail view
// say which other scanned units hold the same serial, and `o` jumps to the
// next of them, selecting the same token there.

// alsoOn is the short "also on: paris-fw1 (active), …" of a token, "" when
// no other scanned unit holds it.
func alsoOn(t *fleet.TokenResult) string {
	if len(t.Elsewhere) == 0 {
		return ""
	}
	parts := make([]string, 0, len(t.Elsewhere))
	for _, p := range t.Elsewhere {
		st := p.Status
		if st == "" {
			st = "?"
		}
		if p.SameCluster {
			st += ", HA peer"
		}
		parts = append(parts, p.Device+" ("+st+")")
	}
	return "also on: " + strings.Join(parts, ", ")
}

// elsewhereLines are the detail view's lines for t.Elsewhere.
func elsewhereLines(t *fleet.TokenResult, jumpKey string) []string {
	if len(t.Elsewhere) == 0 {
		return []string{"  no other scanned unit holds this serial"}
	}
	var out []string
	for _, p := range t.Elsewhere {
		seed := "no seed"
		if p.Seed {
			seed = "seed"
		}
		l := fmt.Sprintf("  %s (unit %s", p.Device, orDashTUI(p.Serial))
		if p.VDOM != "" {
			l += ", vdom " + p.VDOM
		}
		if p.Cluster != "" {
			l += ", HA " + p.Cluster
		}
		l += "): " + orDashTUI(p.Status) + ", " + seed
		if p.SameCluster {
			l += " — HA peer of this unit: sharing is normal"
		}
		out = append(out, l)
	}
	return append(out, "  "+jumpKey+" jumps to it")
}

func orDashTUI(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// jumpElsewhere selects the next unit holding the selected (or detailed)
// token and the same token there.
func (m *Model) jumpElsewhere() {
	var from string
	var t *fleet.TokenResult
	if m.detail != nil {
		_, t = m.detailToken()
		from = m.detail.device
	} else if m.focus == paneTokens {
		t, from = m.selectedToken(), m.table.device
	}
	if t == nil || len(t.Elsewhere) == 0 {
		m.setStatus("o — no other scanned unit holds this token", "warn")
		return
	}
	serial := t.Serial
	// Cycle through the places: the one after the unit we came from in
	// the list of places as seen from there.
	target := t.Elsewhere[0].Device
	if m.jumpFrom == serial {
		names := []string{from}
		for _, p := range t.Elsewhere {
			names = append(names, p.Device)
		}
		slices.Sort(names)
		i := slices.Index(names, from)
		target = names[(i+1)%len(names)]
	}
	m.jumpFrom = serial
	idx, ok := m.byName[target]
	if !ok {
		m.setStatus("o — "+target+" is not in this inventory", "warn")
		return
	}
	if !slices.Contains(m.list.order, idx) { // hidden by the filter: show it
		m.list.filter.value = ""
		m.refreshList()
	}
	m.list.selectIdx(idx)
	m.syncTable()
	m.table.dirty = true
	m.table.refresh()
	m.table.selectSerial(serial)
	m.focus = paneTokens
	if m.detail != nil {
		m.detail = &tokenKey{target, serial}
	}
	m.setStatus("jumped to "+target+" ("+serial+")", "ok")
}
