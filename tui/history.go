package tui

import (
	"time"

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
	entries []histEntry
	offset  int // lines scrolled up from the bottom
}

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

// view renders the history of one device, newest at the bottom.
func (h *history) view(m *Model, device string, w, height int) []string {
	var all []string
	for _, e := range h.entries {
		if e.device != device {
			continue
		}
		p := m.st.Info
		switch e.kind {
		case "verified":
			p = m.st.OK
		case "failed", "refused":
			p = m.st.Error
		}
		all = append(all, m.st.Dim.S(e.at.Format("15:04:05")+" ")+p.S(fit(e.kind, 8))+" "+e.text)
		for _, l := range e.lines {
			all = append(all, "         "+m.st.Dim.S("❯ ")+l)
		}
	}
	if len(all) == 0 {
		return []string{m.st.Dim.S(" nothing sent to " + device + " in this session")}
	}
	end := max(0, len(all)-h.offset)
	start := max(0, end-height)
	return all[start:end]
}

func (m *Model) now() time.Time { return time.Now() }
