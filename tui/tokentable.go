package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// tokenKey identifies a token across devices (marks survive moving around).
type tokenKey struct{ device, serial string }

// tokenRow is one row of the token table.
type tokenRow struct {
	d   *devState
	tok *fleet.TokenResult
}

// tokenTable lists the tokens of one device (the one under the fleet
// cursor, which the root points it at), worst first.
type tokenTable struct {
	common
	table[tokenRow]
	store   *devices
	device  string
	ver     int // device version the order was built from
	order   []int
	filter  lineInput
	marks   map[tokenKey]bool
	dirty   bool
	statusW int // what the device's STATUS and USERS values need: those columns fit them
	usersW  int
}

func newTokenTable(c common, store *devices) *tokenTable {
	t := &tokenTable{common: c, store: store, marks: map[tokenKey]bool{}}
	t.table = table[tokenRow]{cols: t.columns(), flexMin: 8, flexKeep: 40, floorFirst: true}
	return t
}

// SetSize sets the area of the table: a header row, then the rows.
func (t *tokenTable) SetSize(w, h int) {
	t.width, t.height = w, h
	t.visible = max(1, h-1)
}

// point shows the tokens of the named device.
func (t *tokenTable) point(name string) {
	if t.device != name {
		// the old order indexes the old device's tokens: drop it so the
		// cursor starts on the new device's worst token, not a stale index
		t.device, t.cursor, t.offset, t.dirty, t.order = name, 0, 0, true, t.order[:0]
	}
	t.refresh()
}

// refresh rebuilds the order when the device or the filter changed,
// keeping the cursor on its token.
func (t *tokenTable) refresh() {
	d := t.store.dev(t.device)
	if d == nil {
		t.order = t.order[:0]
		return
	}
	if !t.dirty && t.ver == d.version {
		return
	}
	keep := ""
	if tok := t.selected(); tok != nil {
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

// selected is the token under the cursor, or nil.
func (t *tokenTable) selected() *fleet.TokenResult {
	d := t.store.dev(t.device)
	if d == nil || d.res == nil || t.cursor < 0 || t.cursor >= len(t.order) {
		return nil
	}
	i := t.order[t.cursor]
	if i >= len(d.res.Tokens) {
		return nil
	}
	return &d.res.Tokens[i]
}

// selectSerial puts the cursor on the token with that serial, if shown.
func (t *tokenTable) selectSerial(serial string) {
	if d := t.store.dev(t.device); d != nil && d.res != nil {
		for i, ti := range t.order {
			if d.res.Tokens[ti].Serial == serial {
				t.cursor = i
			}
		}
	}
	t.clamp()
}

func (t *tokenTable) clamp() { t.clampTo(len(t.order)) }

// Update handles the table's own keys: navigation, marks, its filter, enter.
func (t *tokenTable) Update(k tea.KeyPressMsg) reply {
	km := t.keys
	if t.navigate(k, km, len(t.order)) {
		return handled()
	}
	if t.filter.openOrClear(k, km) {
		return reply{ev: paneFiltered}
	}
	switch {
	case key.Matches(k, km.Open):
		return reply{ev: paneOpen}
	case key.Matches(k, km.Mark):
		if tok := t.selected(); tok != nil {
			t.toggle(tokenKey{t.device, tok.Serial})
		}
		return handled()
	case key.Matches(k, km.MarkAll):
		t.markAll()
		return handled()
	}
	return reply{}
}

func (t *tokenTable) toggle(k tokenKey) {
	if t.marks[k] {
		delete(t.marks, k)
	} else {
		t.marks[k] = true
	}
}

// markAll is ctrl+a: mark every token shown (again: clear them).
func (t *tokenTable) markAll() {
	d := t.store.dev(t.device)
	if d == nil || d.res == nil {
		return
	}
	var keys []tokenKey
	for _, i := range t.order {
		keys = append(keys, tokenKey{d.dev.Name, d.res.Tokens[i].Serial})
	}
	t.markSet(keys)
}

// markSet marks every key, or unmarks them all when all are marked; it
// reports whether it unmarked.
func (t *tokenTable) markSet(keys []tokenKey) (unmarked bool) {
	all := len(keys) > 0
	for _, k := range keys {
		all = all && t.marks[k]
	}
	for _, k := range keys {
		if all {
			delete(t.marks, k)
		} else {
			t.marks[k] = true
		}
	}
	return all
}

// title names the device, its VDOM and the counts shown.
func (t *tokenTable) title() string {
	title := "Tokens"
	if d := t.store.dev(t.device); d != nil {
		title += " · " + d.dev.Name
		if d.res != nil && d.res.Hostname != "" {
			title += " (" + d.res.Hostname + ")"
		}
		title += " · vdom " + d.vdom()
		if d.res != nil {
			title += sprintf(" · %d/%d · worst first", len(t.order), len(d.res.Tokens))
		}
	}
	return title
}

// View renders the header and only the visible window of rows, or why
// there are none.
func (t *tokenTable) View(focused bool) []string {
	t.refresh()
	t.clamp()
	d, st, w := t.store.dev(t.device), t.styles, t.width
	t.statusW, t.usersW = contentWidths(d)
	ws := t.widths(w)
	out := []string{t.header(ws, w, st.ColHeader)}
	switch {
	case d == nil:
		return append(out, st.Dim.S(" no device selected"))
	case d.res == nil && d.scanning:
		return append(out, st.Info.S(" ⟳ scanning "+d.dev.Name+"…"))
	case d.res == nil:
		return append(out, st.Dim.S(" not scanned yet — press r to scan this device"))
	case !d.res.Reachable:
		out = append(out, wrapText(" ✗ "+d.res.Error, w-1, st.Error)...)
		for _, f := range d.res.Findings {
			if f.Advice != "" {
				out = append(out, wrapText(" → "+f.Advice, w-1, st.Dim)...)
			}
		}
		return out
	case len(t.order) == 0 && t.filter.value != "":
		return append(out, st.Dim.S(" no token matches /"+t.filter.value+" (esc clears)"))
	case len(t.order) == 0:
		return append(out, st.Dim.S(" no FortiToken on this device"))
	}
	return append(out, t.rows(len(t.order), focused, st, func(i int, plain bool) string {
		return t.row(tokenRow{d, &d.res.Tokens[t.order[i]]}, ws, plain)
	})...)
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

func tokenMatches(t *fleet.TokenResult, q string) bool {
	for _, s := range []string{t.Serial, t.Kind, t.Status, string(t.Diagnosis), t.Advice, strings.Join(t.Users, " ")} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// contentWidths are the widths the device's STATUS and USERS values need.
func contentWidths(d *devState) (statusW, usersW int) {
	if d == nil || d.res == nil {
		return 0, 0
	}
	for i := range d.res.Tokens {
		t := &d.res.Tokens[i]
		statusW = max(statusW, len(statusText(t)))
		usersW = max(usersW, len(strings.Join(t.Users, ",")))
	}
	return statusW, usersW
}

// statusText is the token's status with its lock and drift.
func statusText(t *fleet.TokenResult) string {
	status := t.Status
	if t.Locked {
		status += " (lock)"
	}
	if t.Kind == parse.TokenKindHardware && t.Drift != 0 {
		status += fmt.Sprintf(" · drift %+d", t.Drift)
	}
	return status
}
