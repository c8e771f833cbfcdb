package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// header is the title bar. It holds the device counts by state, recomputed
// with the list order (only when data changes), so rendering it is O(1).
type header struct {
	common
	inventory string
	counts    headerCounts
	// scan progress over the scans in flight, set by the root
	scanRunning      bool
	scanDone, scanOf int
}

type headerCounts struct {
	devices, errors, warns, ok, unscanned, scanning int
}

func (hd *header) count(devs []*devState) {
	h := &hd.counts
	*h = headerCounts{devices: len(devs)}
	for _, d := range devs {
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

// View is the title bar: product, counts by state, scan progress, then the
// inventory. The counts come first and shrink before anything is cut, so
// they survive an 80-column terminal.
func (h *header) View(w int) string {
	for _, compact := range []bool{false, true} {
		s := h.render(w, compact)
		if sw := ansi.StringWidth(s); sw <= w || compact {
			if sw > w {
				return ansi.Truncate(s, w, "…")
			}
			return s + h.styles.TitleBar.S(strings.Repeat(" ", w-sw))
		}
	}
	return ""
}

func (h *header) render(w int, compact bool) string {
	st, c := h.styles, &h.counts
	var b strings.Builder
	b.WriteString(st.TitleBadge.S(" ftktui "))
	if h.readOnly {
		b.WriteString(st.ReadOnlyBadge.S(" READ-ONLY "))
	}
	bar := st.TitleBar
	sep := bar.S("  ")
	if compact {
		sep = bar.S(" ")
		b.WriteString(bar.S(sprintf(" %d dev", c.devices)))
	} else {
		b.WriteString(bar.S(sprintf(" %d devices", c.devices)))
	}
	part := func(n int, p paint, icon, label string) {
		if n > 0 {
			b.WriteString(sep + p.S(icon) + bar.S(sprintf(" %d %s", n, label)))
		}
	}
	part(c.errors, st.Error, h.sevGlyph("error"), "error")
	part(c.warns, st.Warn, h.sevGlyph("warn"), "warn")
	part(c.ok, st.OK, h.sevGlyph("ok"), "ok")
	unscanned := "not scanned"
	if compact {
		unscanned = "new"
	}
	part(c.unscanned, st.Dim, "○", unscanned)
	if h.scanRunning {
		done, total := h.scanDone, h.scanOf
		label := "⟳ scanning "
		if compact {
			label = "⟳ "
		}
		b.WriteString(bar.S(" │ ") + st.Info.S(label) + bar.S(sprintf("%d/%d", done, total)))
		if !compact {
			b.WriteString(bar.S(" ") + progressBar(st, done, total, 12))
		}
	}
	inv := h.inventory
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
