package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/ftktui/ftktui/parse"
)

// debugPane shows the debug ring of one device. Lines are appended to the
// ring by goroutines; the pane only learns about them on a tick (seen), so
// a flood costs one redraw per tick.
type debugPane struct {
	device  string
	follow  bool
	wrap    bool
	search  lineInput
	seen    int64 // ring total as of the last tick
	top     int64 // first visible sequence number while paused
	height  int
	width   int
	opening map[string]bool
	closing map[string]bool
	state   map[string]string // device → "live" | "ended" | error text
	action  string            // device an action is running on ("" when none)
}

func newDebugPane() debugPane {
	return debugPane{follow: true, opening: map[string]bool{}, closing: map[string]bool{}, state: map[string]string{}}
}

func (m *Model) ringFor(device string) *ring {
	r := m.rings[device]
	if r == nil {
		r = newRing(m.o.RingSize)
		m.rings[device] = r
	}
	return r
}

func (p *debugPane) onTick(m *Model) {
	if r := m.rings[p.device]; r != nil {
		_, p.seen = r.bounds()
	}
}

// toggle is `d`: open the pane and a stream for the selected device, or
// close the pane and disarm its stream.
func (m *Model) toggleDebug() tea.Cmd {
	if m.showDbg {
		m.showDbg = false
		if m.focus == paneDebug {
			m.focus = paneFleet
		}
		m.zoom = false
		return m.closeStream(m.dbg.device)
	}
	name := m.table.device
	if name == "" {
		m.setStatus("d debug — disabled: no device selected", "warn")
		return nil
	}
	m.showDbg = true
	m.showDebugFor(name)
	m.focus = paneDebug
	return m.openStream(name)
}

// showDebugFor points the pane at a device without touching streams.
func (m *Model) showDebugFor(name string) {
	p := &m.dbg
	if p.device != name {
		p.device, p.follow, p.top = name, true, 0
	}
	_, p.seen = m.ringFor(name).bounds()
}

func (m *Model) openStream(name string) tea.Cmd {
	p := &m.dbg
	if m.o.Backend == nil || m.streams.has(name) || p.opening[name] {
		return nil
	}
	p.opening[name] = true
	p.state[name] = "arming…"
	b, ctx, reg, in, rg, apps, tr := m.o.Backend, m.ctx, m.streams, m.inbox, m.ringFor(name), m.o.DebugApps, m.actions
	tr.start() // a quit while arming waits for the arm's own cleanup
	return func() tea.Msg {
		defer tr.done()
		s, err := b.Debug(ctx, name, apps)
		if err != nil {
			if strings.Contains(err.Error(), "cleanup") {
				tr.note(fmt.Sprintf("debug on %s: %v", name, err))
			}
			return debugOpenedMsg{device: name, err: err}
		}
		if !reg.add(name, s) {
			_ = s.Close()
			return debugOpenedMsg{device: name, err: errStreamRefused}
		}
		go pump(ctx, s, rg, func() {
			reg.dropIf(name, s)
			in.push(debugEndedMsg{device: name})
		})
		return debugOpenedMsg{device: name}
	}
}

func (m *Model) closeStream(name string) tea.Cmd {
	s := m.streams.take(name)
	if s == nil {
		return nil
	}
	m.dbg.closing[name] = true
	m.dbg.state[name] = "disarming…"
	return func() tea.Msg { return debugClosedMsg{device: name, err: s.Close()} }
}

func (p *debugPane) onOpened(m *Model, msg debugOpenedMsg) {
	delete(p.opening, msg.device)
	if msg.err != nil {
		p.state[msg.device] = "error: " + msg.err.Error()
		m.setStatus("debug capture failed: "+msg.err.Error(), "error")
		return
	}
	p.state[msg.device] = "live"
	m.setStatus("debug armed on "+msg.device+" (apps: "+strings.Join(m.o.DebugApps, ",")+")", "ok")
	if !m.showDbg || p.device != msg.device { // pane closed while arming
		m.quietClose(msg.device)
	}
}

// quietClose disarms a stream whose pane is gone, from a goroutine.
func (m *Model) quietClose(name string) {
	if s := m.streams.take(name); s != nil {
		in := m.inbox
		go func() { in.push(debugClosedMsg{device: name, err: s.Close()}) }()
	}
}

func (p *debugPane) onClosed(m *Model, msg debugClosedMsg) {
	delete(p.closing, msg.device)
	if msg.err != nil {
		p.state[msg.device] = "disarm failed: " + msg.err.Error()
		m.setStatus("disarming debug on "+msg.device+" failed: "+msg.err.Error(), "error")
		return
	}
	p.state[msg.device] = "disarmed"
	m.setStatus("debug disarmed on "+msg.device, "ok")
}

func (p *debugPane) onEnded(m *Model, msg debugEndedMsg) {
	if p.state[msg.device] == "live" {
		p.state[msg.device] = "ended"
	}
}

// scroll moves the paused window; any manual scroll stops following.
func (p *debugPane) scroll(m *Model, delta int64) {
	r := m.ringFor(p.device)
	first, _ := r.bounds()
	if p.follow {
		p.top = max(first, p.seen-int64(p.height))
	}
	p.follow = false
	p.top += delta
	if hi := p.seen - int64(p.height); p.top > hi {
		p.top = hi
	}
	if p.top < first {
		p.top = first
	}
}

// jump moves to the next (dir 1) or previous (dir -1) line matching the search.
func (p *debugPane) jump(m *Model, dir int) {
	q := strings.ToLower(p.search.value)
	if q == "" {
		m.setStatus("n — no search: press / in the debug pane first", "warn")
		return
	}
	r := m.ringFor(p.device)
	first, _ := r.bounds()
	cur := p.top + int64(p.height/2)
	if p.follow {
		cur = p.seen
	}
	lines, from := r.window(first, p.seen)
	idx := int(cur - from)
	for i := 1; i <= len(lines); i++ {
		j := idx + dir*i
		if j < 0 || j >= len(lines) {
			break
		}
		if strings.Contains(strings.ToLower(lineText(lines[j])), q) {
			p.follow = false
			p.top = max(first, from+int64(j)-int64(p.height/2))
			m.setStatus(sprintf("match at line %d", from+int64(j)+1), "ok")
			return
		}
	}
	m.setStatus("no more matches for "+p.search.value, "warn")
}

// lineText is what the pane shows and saves for a line: always redacted,
// even though streams already redact, because a missed secret is unrecoverable.
func lineText(l parse.DebugLine) string {
	raw := l.Raw
	if raw == "" {
		raw = l.Message
	}
	return parse.DebugText(ansi.Strip(raw))
}

// isNotice reports a line the debug stream wrote itself (device package:
// "ftktui: …"), not one the device printed.
func isNotice(l parse.DebugLine) bool {
	return l.Source == parse.SourceOther && strings.HasPrefix(l.Raw, "ftktui: ")
}

func (m *Model) sourcePaint(l parse.DebugLine) paint {
	if isNotice(l) {
		return m.st.Warn
	}
	if l.IsError {
		return m.st.DebugErr
	}
	switch l.Source {
	case parse.SourceForticldd:
		return m.st.Forticldd
	case parse.SourceFortitoken:
		return m.st.Fortitoken
	case parse.SourceAlertmail:
		return m.st.Alertmail
	}
	return m.st.OtherSrc
}

var srcTags = map[parse.Source]string{
	parse.SourceForticldd: "cldd", parse.SourceFortitoken: "ftk ", parse.SourceAlertmail: "mail",
}

// view renders only the visible lines.
func (p *debugPane) view(m *Model, w, h int) []string {
	p.height, p.width = max(1, h), w
	r := m.rings[p.device]
	if r == nil || p.seen == 0 {
		switch st := p.state[p.device]; {
		case st == "live":
			return []string{m.st.Dim.S(" debug armed — waiting for lines from " + p.device + "…")}
		case st != "":
			return []string{m.st.Dim.S(" " + st)}
		}
		return []string{m.st.Dim.S(" no debug captured yet — d arms debug on the selected device; actions arm it automatically")}
	}
	if !p.follow { // the ring may have evicted the paused window: clamp it
		first, _ := r.bounds()
		p.top = max(first, min(p.top, p.seen-int64(h)))
	}
	var lines []parse.DebugLine
	switch {
	case p.follow && p.wrap: // walk back so the newest line ends the pane
		lines = lastWrapped(r, p.seen, h, w-debugPrefixW)
	case p.follow:
		lines = r.tail(p.seen, h)
	default:
		lines, p.top = r.page(p.top, h)
	}
	q := strings.ToLower(p.search.value)
	out := make([]string, 0, h)
	for _, l := range lines {
		out = append(out, m.renderDebugLine(l, w, q, p.wrap)...)
	}
	if len(out) > h {
		out = out[len(out)-h:]
		if !p.follow {
			out = out[:h]
		}
	}
	return out
}

func lastWrapped(r *ring, total int64, h, w int) []parse.DebugLine {
	lines := r.tail(total, h)
	rows := 0
	i := len(lines) - 1
	for ; i >= 0; i-- {
		rows += max(1, (ansi.StringWidth(lineText(lines[i]))+max(1, w)-1)/max(1, w))
		if rows >= h {
			break
		}
	}
	return lines[max(0, i):]
}

// debugPrefixW is the width of the error mark, the source tag and its bars
// ("!│cldd│ "): a wrapped chunk gets exactly the rest of the row, so that
// no character falls past the pane's edge at the wrap point.
const debugPrefixW = 8

func (m *Model) renderDebugLine(l parse.DebugLine, w int, q string, wrap bool) []string {
	sp := m.sourcePaint(l)
	tag, ok := srcTags[l.Source]
	if !ok {
		tag = "    "
	}
	if isNotice(l) {
		tag = "note" // the stream's own news: reconnects, debug duration expiry
	}
	prefix := m.st.Dim.S("│") + sp.S(tag) + m.st.Dim.S("│ ")
	mark := " "
	if l.IsError {
		mark = m.st.DebugErr.S("!")
	}
	text := lineText(l)
	bw := max(1, w-debugPrefixW)
	var chunks []string
	if wrap {
		for ansi.StringWidth(text) > bw {
			c := ansi.Truncate(text, bw, "")
			if c == "" {
				break
			}
			chunks = append(chunks, c)
			text = text[len(c):]
		}
	} else if ansi.StringWidth(text) > bw {
		text = ansi.Truncate(text, bw, "…")
	}
	chunks = append(chunks, text)
	out := make([]string, 0, len(chunks))
	for i, c := range chunks {
		pre := mark + prefix
		if i > 0 {
			pre = " " + m.st.Dim.S("│    │ ")
		}
		out = append(out, pre+highlight(c, q, sp, m.st.Match))
	}
	return out
}

// highlight paints every case-insensitive occurrence of q in s.
func highlight(s, q string, base, match paint) string {
	if q == "" {
		return base.S(s)
	}
	ls := strings.ToLower(s)
	if len(ls) != len(s) { // case folding changed byte offsets: skip highlighting
		return base.S(s)
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, q)
		if i < 0 {
			b.WriteString(base.S(s))
			return b.String()
		}
		b.WriteString(base.S(s[:i]))
		b.WriteString(match.S(s[i : i+len(q)]))
		s, ls = s[i+len(q):], ls[i+len(q):]
	}
}

func (p *debugPane) title(m *Model) string {
	st := p.state[p.device]
	if p.action == p.device && p.action != "" {
		st = "armed by action"
	}
	if st == "" {
		st = "idle"
	}
	mode := "follow"
	if !p.follow {
		mode = "paused"
	}
	t := sprintf("Debug · %s · %s · %s", p.device, st, mode)
	if p.wrap {
		t += " · wrap"
	}
	t += sprintf(" · %d lines", p.seen)
	if r := m.rings[p.device]; r != nil {
		if first, _ := r.bounds(); first > 0 { // say what ctrl+s would save
			t += sprintf(" (last %d kept)", p.seen-first)
		}
	}
	if p.search.value != "" || p.search.active {
		t += " · /" + p.search.value
	}
	return t
}
