package tui

import (
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/parse"
)

// maxHistory bounds the command history kept for the session.
const maxHistory = 2000

// histEntry is one thing sent to (or learnt from) a device.
type histEntry struct {
	at     time.Time
	device string
	kind   string // send | verified | failed | refused
	text   string
	lines  []string
}

// history answers "what did I just do, and where?": the exact lines sent per
// device, and each outcome, for the session.
type history struct {
	common
	entries []histEntry
	offset  int // lines scrolled up from the bottom
}

// SetSize sets the area of the history.
func (h *history) SetSize(w, height int) { h.width, h.height = w, height }

// Update handles the pane's own keys: scrolling.
func (h *history) Update(k tea.KeyPressMsg) reply {
	km := h.keys
	var delta int
	switch {
	case key.Matches(k, km.Up):
		delta = -1
	case key.Matches(k, km.Down):
		delta = 1
	case key.Matches(k, km.PageUp):
		delta = -max(1, h.height)
	case key.Matches(k, km.PageDown):
		delta = max(1, h.height)
	case key.Matches(k, km.Top):
		delta = -1 << 30
	case key.Matches(k, km.Bottom):
		delta = 1 << 30
	default:
		return reply{}
	}
	h.scroll(delta)
	return handled()
}

// scroll moves down by delta lines (up when negative).
func (h *history) scroll(delta int) { h.offset = max(0, h.offset-delta) }

func (h *history) add(at time.Time, device, kind, text string, lines []string) {
	red := make([]string, len(lines))
	for i, l := range lines {
		red[i] = parse.Redact(l)
	}
	h.entries = append(h.entries, histEntry{at: at, device: device, kind: kind, text: parse.Redact(text), lines: red})
	if len(h.entries) > maxHistory {
		h.entries = h.entries[len(h.entries)-maxHistory:]
	}
}

// View renders the history of one device, newest at the bottom.
func (h *history) View(device string) []string {
	st, height := h.styles, h.height
	var all []string
	for _, e := range h.entries {
		if e.device != device {
			continue
		}
		p := st.Info
		switch e.kind {
		case "verified":
			p = st.OK
		case "failed", "refused":
			p = st.Error
		}
		all = append(all, st.Dim.S(e.at.Format("15:04:05")+" ")+p.S(fit(e.kind, 8))+" "+e.text)
		for _, l := range e.lines {
			all = append(all, "         "+st.Dim.S("❯ ")+l)
		}
	}
	if len(all) == 0 {
		return []string{st.Dim.S(" nothing sent to " + device + " in this session")}
	}
	end := max(0, len(all)-h.offset)
	start := max(0, end-height)
	return all[start:end]
}
