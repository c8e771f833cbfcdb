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

// view is the title bar: product, counts by state, scan progress, then the
// inventory. The counts come first and shrink before anything is cut, so
// they survive an 80-column terminal.
func (h *header) view(m *Model, w int) string {
	for _, compact := range []bool{false, true} {
		s := h.render(m, w, compact)
		if sw := ansi.StringWidth(s); sw <= w || compact {
			if sw > w {
				return ansi.Truncate(s, w, "…")
			}
			return s + m.st.TitleBar.S(strings.Repeat(" ", w-sw))
		}
	}
	return ""
}

func (h *header) render(m *Model, w int, compact bool) string {
	st := &m.st
	var b strings.Builder
	b.WriteString(st.TitleBadge.S(" ftktui "))
	if m.o.ReadOnly {
		b.WriteString(st.ReadOnlyBadge.S(" READ-ONLY "))
	}
	bar := st.TitleBar
	sep := bar.S("  ")
	if compact {
		sep = bar.S(" ")
		b.WriteString(bar.S(sprintf(" %d dev", len(m.devs))))
	} else {
		b.WriteString(bar.S(sprintf(" %d devices", len(m.devs))))
	}
	part := func(n int, p paint, icon, label string) {
		if n > 0 {
			b.WriteString(sep + p.S(icon) + bar.S(sprintf(" %d %s", n, label)))
		}
	}
	part(h.errors, st.Error, m.sevGlyph("error"), "error")
	part(h.warns, st.Warn, m.sevGlyph("warn"), "warn")
	part(h.ok, st.OK, m.sevGlyph("ok"), "ok")
	unscanned := "not scanned"
	if compact {
		unscanned = "new"
	}
	part(h.unscanned, st.Dim, "○", unscanned)
	if m.scanRunning > 0 {
		done, total := m.scanProgress()
		label := "⟳ scanning "
		if compact {
			label = "⟳ "
		}
		b.WriteString(bar.S(" │ ") + st.Info.S(label) + bar.S(sprintf("%d/%d", done, total)))
		if !compact {
			b.WriteString(bar.S(" ") + progressBar(st, done, total, 12))
		}
	}
	inv := m.o.Inventory
	if inv == "" {
		inv = "(no inventory)"
	}
	b.WriteString(bar.S(" │ " + inv + " "))
	return b.String()
}

func progressBar(st *Styles, done, total, w int) string {
	if total <= 0 {
		return ""
	}
	f := min(w, done*w/total)
	return st.Info.S(strings.Repeat("█", f)) + st.Dim.S(strings.Repeat("░", w-f))
}
