package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// paneHeights splits the rows between title bar and status lines among the
// visible panes; zoom gives the focused pane everything.
func (m *Model) paneHeights() map[pane]int {
	avail := max(4, m.height-3)
	hs := map[pane]int{}
	if m.zoom {
		hs[m.focus] = avail
		return hs
	}
	hist := 0
	if m.showHis {
		hist = max(4, min(12, avail/4))
		hs[paneHistory] = hist
	}
	rest := avail - hist
	if m.showDbg {
		f := max(4, rest*30/100)
		t := max(4, rest*25/100)
		hs[paneFleet], hs[paneTokens], hs[paneDebug] = f, t, max(3, rest-f-t)
		return hs
	}
	f := max(4, rest*55/100)
	hs[paneFleet], hs[paneTokens] = f, max(3, rest-f)
	return hs
}

// layout recomputes sizes after a resize so that key handling (paging)
// works before the next render.
func (m *Model) layout() {
	hs := m.paneHeights()
	w := m.width - 2
	m.list.SetSize(w, hs[paneFleet]-2)
	m.table.SetSize(w, hs[paneTokens]-2)
	m.dbg.SetSize(w, hs[paneDebug]-2)
	m.list.clamp()
	m.table.clamp()
}

// View renders the screen: only visible rows of every pane are produced.
func (m *Model) View() tea.View {
	v := tea.NewView(m.render())
	v.AltScreen = true
	v.WindowTitle = "ftktui"
	if m.o.Mouse {
		v.MouseMode = tea.MouseModeCellMotion
	}
	return v
}

func (m *Model) render() string {
	w := max(20, m.width)
	lines := make([]string, 0, m.height)
	m.header.scanRunning = m.scanRunning > 0
	if m.header.scanRunning {
		m.header.scanDone, m.header.scanOf = m.scanProgress()
	}
	lines = append(lines, m.header.View(w))
	hs := m.paneHeights()
	for _, p := range []pane{paneFleet, paneTokens, paneDebug, paneHistory} {
		h, ok := hs[p]
		if !ok {
			continue
		}
		lines = append(lines, m.paneView(p, w, h)...)
	}
	if m.help {
		lines = overlay(lines, m.helpBox(m.helpSections(), w, m.height-3), w, 1)
	} else if m.detail != nil && m.dialog == nil {
		lines = overlay(lines, m.detailView(w, m.height-3), w, 1)
	} else if m.dialog != nil {
		lines = overlay(lines, m.dialog.view(&m.common, w, m.height-3), w, 1)
	}
	lines = append(lines, m.statusLine(w), m.keysLine(w))
	return strings.Join(lines, "\n")
}

// paneView frames a pane: each draws its body in the area it is given,
// below its filter line when one is open.
func (m *Model) paneView(p pane, w, h int) []string {
	focused := m.focus == p
	var title string
	var body []string
	switch p {
	case paneFleet:
		m.list.SetSize(w-2, h-2-filterRows(&m.list.filter))
		title = m.list.title()
		body = m.withInput(&m.list.filter, "/", m.list.View(focused))
	case paneTokens:
		vis, hidden := m.visibleTokenMarks()
		title = m.table.title() + markTitle(len(vis), hidden)
		m.table.SetSize(w-2, h-2-filterRows(&m.table.filter))
		body = m.withInput(&m.table.filter, "/", m.table.View(focused))
	case paneDebug:
		m.dbg.SetSize(w-2, h-2-filterRows(&m.dbg.search))
		body = m.withInput(&m.dbg.search, "search /", m.dbg.View())
		title = m.dbg.title()
	case paneHistory:
		m.hist.SetSize(w-2, h-2)
		title, body = "History · sent to "+m.table.device, m.hist.View(m.table.device)
	default:
		return nil
	}
	return m.frame(title, focused, w, h, body)
}

// withInput puts an open or set filter line above a pane's body.
func (m *Model) withInput(in *lineInput, prompt string, body []string) []string {
	if fv := in.view(&m.st, prompt); fv != "" {
		return append([]string{fv}, body...)
	}
	return body
}

func filterRows(in *lineInput) int {
	if in.active || in.value != "" {
		return 1
	}
	return 0
}

// overlay draws box centred over base starting at row top, keeping the
// background visible on both sides.
func overlay(base, box []string, w, top int) []string {
	if len(box) == 0 {
		return base
	}
	bw := 0
	for _, l := range box {
		bw = max(bw, ansi.StringWidth(l))
	}
	left := max(0, (w-bw)/2)
	start := top + max(0, (len(base)-top-len(box))/2)
	for i, l := range box {
		r := start + i
		if r >= len(base) {
			break
		}
		bg := padANSI(base[r], w)
		base[r] = ansi.Cut(bg, 0, left) + padANSI(l, bw) + ansi.Cut(bg, left+bw, w)
	}
	return base
}

// statusLine says what is selected and where, plus the last message.
func (m *Model) statusLine(w int) string {
	st := &m.st
	var parts []string
	if d := m.dev(m.table.device); d != nil {
		parts = append(parts, st.Bold.S(d.dev.Name)+st.Dim.S(" vdom ")+d.vdom())
		if t := m.selectedToken(); t != nil && m.focus != paneFleet {
			parts = append(parts, t.Serial+" "+m.sevPaint(string(t.Severity)).S(string(t.Diagnosis)))
		}
	}
	if vis, hidden := m.visibleTokenMarks(); len(vis)+hidden > 0 {
		s := sprintf("%d token(s) marked", len(vis))
		if hidden > 0 {
			s += sprintf(", %d hidden", hidden)
		}
		parts = append(parts, st.Mark.S(s))
	}
	left := " " + strings.Join(parts, st.Dim.S(" │ "))
	msg := m.status
	if msg == "" {
		msg = m.disabledSummary()
	}
	right := ""
	if msg != "" {
		right = m.sevPaint(m.statusSev).S(msg) + " "
		if m.status == "" {
			right = st.Dim.S(msg) + " "
		}
	}
	lw := ansi.StringWidth(left)
	rw := ansi.StringWidth(right)
	if lw+rw+1 > w { // the message matters more than the selection recap
		left = ansi.Truncate(left, max(0, w-rw-1), "…")
		lw = ansi.StringWidth(left)
		if lw+rw+1 > w {
			right = ansi.Truncate(right, max(0, w-lw-1), "…")
			rw = ansi.StringWidth(right)
		}
	}
	return padANSI(left+strings.Repeat(" ", max(1, w-lw-rw))+right, w)
}

// disabledSummary names the reason the action keys are off, when they all
// share one (typical: FortiManager, read-only).
func (m *Model) disabledSummary() string {
	reasons := map[string][]string{}
	var order []string
	for _, sp := range actionSpecs {
		if r := m.quickReason(sp.act); r != "" {
			if _, ok := reasons[r]; !ok {
				order = append(order, r)
			}
			reasons[r] = append(reasons[r], m.actionKey(sp.act))
		}
	}
	if len(order) == 1 && len(reasons[order[0]]) == len(actionSpecs) {
		return "actions disabled: " + order[0]
	}
	return ""
}

// keysLine is the short help of the focused pane: the keys that apply now,
// disabled ones struck through.
func (m *Model) keysLine(w int) string {
	k := &m.keys
	var bs []keyItem
	switch {
	case m.dialog != nil && m.dialog.phase == phaseConfirm:
		bs = items(m, &k.Confirm, &k.Cancel, &k.Accept)
	case m.dialog != nil && m.dialog.phase == phaseDone:
		bs = []keyItem{{key: "enter/esc", desc: "close"}, {key: "↑/↓", desc: "scroll"}}
	case m.dialog != nil:
		bs = []keyItem{{key: "esc", desc: "cancel (while planning)"}, {key: "↑/↓", desc: "scroll"}}
	case m.help:
		bs = items(m, &k.Help, &k.Back)
	case m.focus == paneDebug:
		bs = items(m, &k.Follow, &k.Wrap, &k.Filter, &k.NextMatch, &k.Save, &k.Zoom, &k.Debug, &k.NextPane, &k.Help, &k.Quit)
	default:
		bs = items(m, &k.Up, &k.Open, &k.Filter, &k.Mark)
		bs = append(bs, items(m, m.actionBindings()...)...)
		bs = append(bs, items(m, &k.Refresh, &k.RescanAll, &k.Debug, &k.History, &k.Help, &k.Quit)...)
	}
	var b strings.Builder
	b.WriteString(" ")
	for i, it := range bs {
		if i > 0 {
			b.WriteString(m.st.Dim.S(" · "))
		}
		if it.reason != "" {
			b.WriteString(m.st.KeyDisabled.S(it.key + " " + it.desc))
			continue
		}
		b.WriteString(m.st.Key.S(it.key) + " " + m.st.KeyDesc.S(it.desc))
	}
	return padANSI(b.String(), w)
}
