package tui

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// tokenKey identifies a token across devices (marks survive moving around).
type tokenKey struct{ device, serial string }

// tokenTable lists the tokens of the device under the fleet cursor.
type tokenTable struct {
	device string
	ver    int // device version the order was built from
	window
	order  []int
	filter lineInput
	marks  map[tokenKey]bool
	dirty  bool
}

func newTokenTable() tokenTable { return tokenTable{marks: map[tokenKey]bool{}} }

// syncTable points the token table at the device under the fleet cursor.
func (m *Model) syncTable() {
	name := ""
	if i := m.list.selectedIdx(); i >= 0 {
		name = m.devs[i].dev.Name
	}
	t := &m.table
	if t.device != name {
		// the old order indexes the old device's tokens: drop it so the
		// cursor starts on the new device's worst token, not a stale index
		t.device, t.cursor, t.offset, t.dirty, t.order = name, 0, 0, true, t.order[:0]
	}
	m.refreshTable()
}

func (m *Model) refreshTable() {
	t := &m.table
	d := m.dev(t.device)
	if d == nil {
		t.order = t.order[:0]
		return
	}
	if !t.dirty && t.ver == d.version {
		return
	}
	keep := ""
	if tok := m.selectedToken(); tok != nil {
		keep = tok.Serial
	}
	t.dirty, t.ver = false, d.version
	t.order = t.order[:0]
	if d.res != nil {
		q := strings.ToLower(t.filter.value)
		for i := range d.res.Tokens {
			if q == "" || tokenMatches(&d.res.Tokens[i], q) {
				t.order = append(t.order, i)
			}
		}
		// Worst first, like the fleet list: the tokens that need work must
		// not hide below dozens of healthy ones. Stable: config order within.
		toks := d.res.Tokens
		slices.SortStableFunc(t.order, func(a, b int) int { return tokenRank(&toks[a]) - tokenRank(&toks[b]) })
		for i, ti := range t.order {
			if d.res.Tokens[ti].Serial == keep {
				t.cursor = i
			}
		}
	}
	t.clamp()
}

// tokenRank orders tokens worst first: error, warn, info, then OK.
func tokenRank(t *fleet.TokenResult) int {
	switch {
	case t.Diagnosis == fleet.CodeOK:
		return 3
	case t.Severity == fleet.SevError:
		return 0
	case t.Severity == fleet.SevWarn:
		return 1
	}
	return 2
}

// tokenAdvice is the token's advice with the rule book's suggestion as a key.
func (m *Model) tokenAdvice(device string, t *fleet.TokenResult) string {
	d := m.dev(device)
	if d == nil || d.res == nil {
		return t.Advice
	}
	if a := fleet.Suggest(d.res, t, m.gate()); a != "" {
		return t.Advice + " — " + m.suggestText(a)
	}
	return t.Advice
}

func tokenMatches(t *fleet.TokenResult, q string) bool {
	for _, s := range []string{t.Serial, t.Kind, t.Status, string(t.Diagnosis), t.Advice, strings.Join(t.Users, " ")} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// selectedToken is the token under the table cursor, or nil.
func (m *Model) selectedToken() *fleet.TokenResult {
	t := &m.table
	d := m.dev(t.device)
	if d == nil || d.res == nil || t.cursor < 0 || t.cursor >= len(t.order) {
		return nil
	}
	i := t.order[t.cursor]
	if i >= len(d.res.Tokens) {
		return nil
	}
	return &d.res.Tokens[i]
}

func (t *tokenTable) move(delta int) {
	t.cursor += delta
	t.clamp()
}

func (t *tokenTable) clamp() { t.clampTo(len(t.order)) }

var tokenCols = []struct {
	title string
	w     int
	minW  int
}{
	{"", 1, 0}, {"SERIAL", 16, 0}, {"KIND", 8, 90}, {"STATUS", 22, 0}, {"SEED", 4, 80},
	{"USERS", 18, 100}, {"DIAGNOSIS", 19, 0}, {"ADVICE", 0, 0},
}

// tokenColWidths shares the width: STATUS and USERS take what their
// longest value needs (within bounds) so that neither is cut while ADVICE
// has room; ADVICE takes the rest. statusW/usersW of 0 keep the defaults.
func tokenColWidths(w, statusW, usersW int) []int {
	ws := make([]int, len(tokenCols))
	used := 0
	for i, c := range tokenCols {
		if c.minW > w {
			ws[i] = -1
			continue
		}
		ws[i] = c.w
		switch {
		case i == 3 && statusW > 0:
			ws[i] = min(max(statusW, 10), 60)
		case i == 5 && usersW > 0:
			ws[i] = min(max(usersW, 8), 30)
		}
		used += ws[i] + 1
	}
	ws[len(ws)-1] = max(8, w-used)
	if short := 40 - ws[len(ws)-1]; short > 0 && ws[3] > tokenCols[3].w { // ADVICE keeps 40 columns before STATUS grows
		give := min(short, ws[3]-tokenCols[3].w)
		ws[3] -= give
		ws[len(ws)-1] += give
	}
	return ws
}

// contentWidths are the widths the device's STATUS and USERS values need.
func contentWidths(d *devState) (statusW, usersW int) {
	if d == nil || d.res == nil {
		return 0, 0
	}
	for i := range d.res.Tokens {
		t := &d.res.Tokens[i]
		sw := len(t.Status)
		if t.Locked {
			sw += len(" (lock)")
		}
		if t.Kind == parse.TokenKindHardware && t.Drift != 0 {
			sw += len(fmt.Sprintf(" · drift %+d", t.Drift))
		}
		statusW = max(statusW, sw)
		usersW = max(usersW, len(strings.Join(t.Users, ",")))
	}
	return statusW, usersW
}

func (t *tokenTable) view(m *Model, w, h int, focused bool) []string {
	t.height = max(1, h-1)
	m.refreshTable()
	t.clamp()
	sw, uw := contentWidths(m.dev(t.device))
	ws := tokenColWidths(w, sw, uw)
	var hb strings.Builder
	for i, c := range tokenCols {
		if ws[i] >= 0 {
			hb.WriteString(fit(c.title, ws[i]) + " ")
		}
	}
	out := []string{m.st.ColHeader.S(fit(hb.String(), w))}
	d := m.dev(t.device)
	switch {
	case d == nil:
		return append(out, m.st.Dim.S(" no device selected"))
	case d.res == nil && d.scanning:
		return append(out, m.st.Info.S(" ⟳ scanning "+d.dev.Name+"…"))
	case d.res == nil:
		return append(out, m.st.Dim.S(" not scanned yet — press r to scan this device"))
	case !d.res.Reachable:
		out = append(out, wrapText(" ✗ "+d.res.Error, w-1, m.st.Error)...)
		for _, f := range d.res.Findings {
			if f.Advice != "" {
				out = append(out, wrapText(" → "+f.Advice, w-1, m.st.Dim)...)
			}
		}
		return out
	case len(t.order) == 0 && t.filter.value != "":
		return append(out, m.st.Dim.S(" no token matches /"+t.filter.value+" (esc clears)"))
	case len(t.order) == 0:
		return append(out, m.st.Dim.S(" no FortiToken on this device"))
	}
	end := min(len(t.order), t.offset+t.height)
	for i := t.offset; i < end; i++ {
		tok := &d.res.Tokens[t.order[i]]
		sel := i == t.cursor
		cells := m.tokenCells(d.dev.Name, tok)
		var b strings.Builder
		for ci, c := range cells {
			if ws[ci] >= 0 {
				b.WriteString(fitSegs(c, ws[ci], sel) + " ")
			}
		}
		row := b.String()
		switch {
		case sel && focused:
			row = m.st.Selected.S(row)
		case sel:
			row = m.st.SelectedBlur.S(row)
		}
		out = append(out, row)
	}
	return out
}

func (m *Model) tokenCells(device string, t *fleet.TokenResult) [][]seg {
	st := &m.st
	mark := seg{" ", paint{}}
	if m.table.marks[tokenKey{device, t.Serial}] {
		mark = seg{"▌", st.Mark}
	}
	sp := m.sevPaint(string(t.Severity))
	if t.Diagnosis == fleet.CodeOK {
		sp = st.OK
	}
	seed := seg{"no", st.Dim}
	if t.Seed {
		seed = seg{"yes", paint{}}
	}
	users := strings.Join(t.Users, ",")
	if users == "" {
		users = "—"
	}
	status := t.Status
	if t.Locked {
		status += " (lock)"
	}
	if t.Kind == parse.TokenKindHardware && t.Drift != 0 {
		status += fmt.Sprintf(" · drift %+d", t.Drift)
	}
	return [][]seg{
		{mark}, {{t.Serial, st.Bold}}, {{t.Kind, paint{}}}, {{status, paint{}}}, {seed},
		{{users, paint{}}}, {{string(t.Diagnosis), sp}}, adviceSegs(m, device, t),
	}
}

// adviceSegs is the ADVICE cell: where else the token lives first (it
// changes what to do), then the advice.
func adviceSegs(m *Model, device string, t *fleet.TokenResult) []seg {
	adv := seg{m.tokenAdvice(device, t), m.st.Dim}
	if a := alsoOn(t); a != "" {
		return []seg{{a + " · ", m.st.Warn}, adv}
	}
	return []seg{adv}
}
