package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

var sprintf = fmt.Sprintf

// seg is a run of plain text with one paint.
type seg struct {
	text string
	p    paint
}

// fit truncates plain text to w cells (with an ellipsis) and pads it.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	if sw < w {
		s += strings.Repeat(" ", w-sw)
	}
	return s
}

// fitSegs lays segments into exactly w cells; painted unless plain is set
// (the selected row is painted as a whole).
func fitSegs(segs []seg, w int, plain bool) string {
	var b strings.Builder
	left := w
	for _, s := range segs {
		if left <= 0 {
			break
		}
		t := s.text
		tw := ansi.StringWidth(t)
		if tw > left {
			t = ansi.Truncate(t, left, "…")
			tw = ansi.StringWidth(t)
		}
		left -= tw
		if plain {
			b.WriteString(t)
		} else {
			b.WriteString(s.p.S(t))
		}
	}
	if left > 0 {
		b.WriteString(strings.Repeat(" ", left))
	}
	return b.String()
}

// padANSI truncates a styled line to w cells and pads it with spaces.
func padANSI(s string, w int) string {
	sw := ansi.StringWidth(s)
	if sw > w {
		return ansi.Truncate(s, w, "…")
	}
	return s + strings.Repeat(" ", w-sw)
}

// frame draws a bordered pane of exactly w×h cells with the title in the top
// border; body lines beyond h-2 are dropped, missing ones left blank.
func (m *Model) frame(title string, focused bool, w, h int, body []string) []string {
	if h < 2 || w < 4 {
		return nil
	}
	bp, tp := m.st.PaneBorder, m.st.PaneTitle
	if focused {
		bp, tp = m.st.PaneBorderFocus, m.st.PaneTitleFocus
	}
	title = " " + ansi.Truncate(title, w-6, "…") + " "
	tw := ansi.StringWidth(title)
	out := make([]string, 0, h)
	out = append(out, bp.S("╭─")+tp.S(title)+bp.S(strings.Repeat("─", max(0, w-3-tw))+"╮"))
	inner := w - 2
	side := bp.S("│")
	for i := 0; i < h-2; i++ {
		line := ""
		if i < len(body) {
			line = body[i]
		}
		out = append(out, side+padANSI(line, inner)+side)
	}
	out = append(out, bp.S("╰"+strings.Repeat("─", w-2)+"╯"))
	return out
}
