package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// header holds the device counts by state, recomputed with the list order
// (only when data changes), so rendering the title bar is O(1).
type header struct {
	errors, warns, ok, unscanned, scanning int
}

func (h *header) count(m *Model) {
	*h = header{}
	for _, d := range m.devs {
		if d.scanning {
			h.scanning++
		}
		switch devRank(d) {
		case 0:
			h.errors++
		case 1:
			h.warns++
		case 2:
			h.unscanned++
		default:
			h.ok++
		}
	}
}

// view is the title bar: product, inventory, counts by state, scan progress.
func (h *header) view(m *Model, w int) string {
	st := &m.st
	var b strings.Builder
	b.WriteString(st.TitleBadge.S(" ftktui "))
	if m.o.ReadOnly {
		b.WriteString(st.ReadOnlyBadge.S(" READ-ONLY "))
	}
	inv := m.o.Inventory
	if inv == "" {
		inv = "(no inventory)"
	}
	bar := st.TitleBar
	sep := bar.S("  ")
	b.WriteString(bar.S(" " + inv + " "))
	b.WriteString(bar.S("│ ") + bar.S(sprintf("%d devices ", len(m.devs))))
	part := func(n int, p paint, icon, label string) {
		if n > 0 {
			b.WriteString(sep + p.S(icon) + bar.S(sprintf(" %d %s", n, label)))
		}
	}
	part(h.errors, st.Error, "●", "error")
	part(h.warns, st.Warn, "●", "warn")
	part(h.ok, st.OK, "●", "ok")
	part(h.unscanned, st.Dim, "○", "not scanned")
	if m.scanRunning > 0 {
		b.WriteString(bar.S("  │ ") + st.Info.S("⟳ scanning ") + bar.S(sprintf("%d/%d ", m.scanDone, m.scanTotal)) +
			progressBar(st, m.scanDone, m.scanTotal, 12))
	}
	s := b.String()
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + bar.S(strings.Repeat(" ", w-sw))
}

func progressBar(st *Styles, done, total, w int) string {
	if total <= 0 {
		return ""
	}
	f := min(w, done*w/total)
	return st.Info.S(strings.Repeat("█", f)) + st.Dim.S(strings.Repeat("░", w-f))
}
