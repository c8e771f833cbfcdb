package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/parse"
)

// debugPane shows the debug ring of one device. Lines are appended to the
// rings by goroutines; the pane only learns about them on a tick (seen), so
// a flood costs one redraw per tick. The pane owns the rings and what it
// knows of each device's capture; the root opens and closes the streams.
type debugPane struct {
	common
	rings    map[string]*ring
	ringSize int
	device   string
	follow   bool
	wrap     bool
	search   lineInput
	seen     int64 // ring total as of the last tick
	top      int64 // first visible sequence number while paused
	opening  map[string]bool
	closing  map[string]bool
	state    map[string]string // device → "live" | "ended" | error text
	action   string            // device an action is running on ("" when none)
}

func newDebugPane(c common, ringSize int) *debugPane {
	return &debugPane{common: c, rings: map[string]*ring{}, ringSize: ringSize, follow: true,
		opening: map[string]bool{}, closing: map[string]bool{}, state: map[string]string{}}
}

// SetSize sets the area of the lines.
func (p *debugPane) SetSize(w, h int) { p.width, p.height = w, h }

// rows is the lines the pane shows (a page).
func (p *debugPane) rows() int { return max(1, p.height) }

// ringFor is the device's ring, created on first use.
func (p *debugPane) ringFor(device string) *ring {
	r := p.rings[device]
	if r == nil {
		r = newRing(p.ringSize)
		p.rings[device] = r
	}
	return r
}

// onTick learns how many lines the shown ring holds.
func (p *debugPane) onTick() {
	if r := p.rings[p.device]; r != nil {
		_, p.seen = r.bounds()
	}
}

// show points the pane at a device without touching streams.
func (p *debugPane) show(name string) {
	if p.device != name {
		p.device, p.follow, p.top = name, true, 0
	}
	_, p.seen = p.ringFor(name).bounds()
}

// arming, disarming, opened, closed and ended follow a device's capture.
func (p *debugPane) arming(name string) {
	p.opening[name] = true
	p.state[name] = "arming…"
}

func (p *debugPane) disarming(name string) {
	p.closing[name] = true
	p.state[name] = "disarming…"
}

func (p *debugPane) opened(name string, err error) {
	delete(p.opening, name)
	if err != nil {
		p.state[name] = "error: " + err.Error()
		return
	}
	p.state[name] = "live"
}

func (p *debugPane) closed(name string, err error) {
	delete(p.closing, name)
	if err != nil {
		p.state[name] = "disarm failed: " + err.Error()
		return
	}
	p.state[name] = "disarmed"
}

func (p *debugPane) ended(name string) {
	if p.state[name] == "live" {
		p.state[name] = "ended"
	}
}

// Update handles the pane's own keys: scrolling, following, its search.
func (p *debugPane) Update(k tea.KeyPressMsg) reply {
	km := p.keys
	switch {
	case p.search.openOrClear(k, km):
	case key.Matches(k, km.Up):
		p.scroll(-1)
	case key.Matches(k, km.Down):
		p.scroll(1)
	case key.Matches(k, km.PageUp):
		p.scroll(-int64(p.rows()))
	case key.Matches(k, km.PageDown):
		p.scroll(int64(p.rows()))
	case key.Matches(k, km.Top):
		first, _ := p.ringFor(p.device).bounds()
		p.follow, p.top = false, first
	case key.Matches(k, km.Bottom):
		p.follow = true
	case key.Matches(k, km.NextMatch):
		return p.searchKey(1)
	case key.Matches(k, km.PrevMatch):
		return p.searchKey(-1)
	default:
		return reply{}
	}
	return handled()
}

// searchReason says why n / N do nothing ("" when they work).
func (p *debugPane) searchReason() string {
	if p.search.value == "" {
		return "no debug search (press " + p.keys.Filter.Help().Key + " in the debug pane)"
	}
	return ""
}

// searchKey is n / N: `n` is next match here (renew elsewhere): focus decides.
func (p *debugPane) searchKey(dir int) reply {
	if r := p.searchReason(); r != "" {
		return warn(p.keys.NextMatch.Help().Key + " next match — disabled: " + r)
	}
	return p.jump(dir)
}

// toggleFollow is f: pausing freezes exactly what is on screen.
func (p *debugPane) toggleFollow() {
	if p.follow {
		p.top = p.seen - int64(p.rows())
	}
	p.follow = !p.follow
}

// scroll moves the paused window; any manual scroll stops following.
func (p *debugPane) scroll(delta int64) {
	first, _ := p.ringFor(p.device).bounds()
	if p.follow {
		p.top = max(first, p.seen-int64(p.rows()))
	}
	p.follow = false
	p.top += delta
	if hi := p.seen - int64(p.rows()); p.top > hi {
		p.top = hi
	}
	if p.top < first {
		p.top = first
	}
}

// jump moves to the next (dir 1) or previous (dir -1) line matching the search.
func (p *debugPane) jump(dir int) reply {
	q := strings.ToLower(p.search.value)
	if q == "" {
		return warn("n — no search: press / in the debug pane first")
	}
	r := p.ringFor(p.device)
	first, _ := r.bounds()
	half := int64(p.rows() / 2)
	cur := p.top + half
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
			p.top = max(first, from+int64(j)-half)
			return reply{ev: paneHandled, status: sprintf("match at line %d", from+int64(j)+1), sev: "ok"}
		}
	}
	return warn("no more matches for " + p.search.value)
}

// View renders only the visible lines.
func (p *debugPane) View() []string {
	w, h, st := p.width, p.height, p.styles
	r := p.rings[p.device]
	if r == nil || p.seen == 0 {
		switch state := p.state[p.device]; {
		case state == "live":
			return []string{st.Dim.S(" debug armed — waiting for lines from " + p.device + "…")}
		case state != "":
			return []string{st.Dim.S(" " + state)}
		}
		return []string{st.Dim.S(" no debug captured yet — d arms debug on the selected device; actions arm it automatically")}
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
		out = append(out, p.renderDebugLine(l, w, q, p.wrap)...)
	}
	if len(out) > h {
		out = out[len(out)-h:]
		if !p.follow {
			out = out[:h]
		}
	}
	return out
}

func (p *debugPane) title() string {
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
	if r := p.rings[p.device]; r != nil {
		if first, _ := r.bounds(); first > 0 { // say what ctrl+s would save
			t += sprintf(" (last %d kept)", p.seen-first)
		}
	}
	if p.search.value != "" || p.search.active {
		t += " · /" + p.search.value
	}
	return t
}
