package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// column is one column of a table, as data: its title, how wide it is, and
// how a row fills its cell. Rows are never cut into cells by position.
type column[R any] struct {
	title     string
	width     int  // its width; for a fitted column, the width it gives back down to
	hideBelow int  // hidden when the table is narrower than this
	flex      bool // takes the width the other columns leave
	// fit is the width the content wants (0: width), kept within
	// [fitMin, fitMax]; nil for a fixed column.
	fit            func() int
	fitMin, fitMax int
	yields         bool // gives back what fit added while the flex column is short of flexKeep
	cell           func(R) []seg
}

// table is the one table component of the console (the fleet list and the
// token table): columns as data, a cursor and scroll window, and rendering
// of only the visible rows, which keeps a frame cheap with 100,000 tokens.
type table[R any] struct {
	window
	cols     []column[R]
	flexMin  int // least width of the flex column
	flexKeep int // the flex column keeps this much before fitted columns grow
	// floorFirst counts the flex column at flexMin before fitted columns
	// give width back (the token table's rule); otherwise the raw
	// remainder counts (the fleet list's).
	floorFirst bool
}

// widths shares total cells among the columns; -1 marks a hidden column.
func (t *table[R]) widths(total int) []int {
	ws := make([]int, len(t.cols))
	used, flex := 0, -1
	for i, c := range t.cols {
		if c.hideBelow > total {
			ws[i] = -1
			continue
		}
		ws[i] = c.width
		if c.fit != nil {
			if want := c.fit(); want > 0 {
				ws[i] = min(max(want, c.fitMin), c.fitMax)
			}
		}
		if c.flex {
			flex = i
		}
		used += ws[i] + 1
	}
	if flex < 0 {
		return ws
	}
	room := total - used
	if t.floorFirst {
		room = max(t.flexMin, room)
	}
	// The last fitted column gives back first, so the first one keeps
	// its width longest.
	short := t.flexKeep - room
	for i := len(t.cols) - 1; i >= 0 && short > 0; i-- {
		if c := t.cols[i]; c.yields && ws[i] > c.width {
			give := min(short, ws[i]-c.width)
			ws[i] -= give
			short -= give
			room += give
		}
	}
	ws[flex] = max(t.flexMin, room)
	return ws
}

// header is the column titles laid out in ws, w cells wide.
func (t *table[R]) header(ws []int, w int, p paint) string {
	var b strings.Builder
	for i, c := range t.cols {
		if ws[i] < 0 {
			continue
		}
		b.WriteString(fit(c.title, ws[i]))
		b.WriteByte(' ')
	}
	return p.S(fit(b.String(), w))
}

// row lays out r's cells in ws; plain leaves them unpainted (the selected
// row is painted as a whole).
func (t *table[R]) row(r R, ws []int, plain bool) string {
	var b strings.Builder
	for i, c := range t.cols {
		if ws[i] < 0 {
			continue
		}
		b.WriteString(fitSegs(c.cell(r), ws[i], plain))
		b.WriteByte(' ')
	}
	return b.String()
}

// rows renders the visible window of n rows, the cursor's row painted as
// selected; line(i, plain) is the text of row i (a pane may cache it).
func (t *table[R]) rows(n int, focused bool, st *Styles, line func(i int, plain bool) string) []string {
	end := min(n, t.offset+t.visible)
	out := make([]string, 0, max(0, end-t.offset))
	for i := t.offset; i < end; i++ {
		if i != t.cursor {
			out = append(out, line(i, false))
			continue
		}
		if focused {
			out = append(out, st.Selected.S(line(i, true)))
		} else {
			out = append(out, st.SelectedBlur.S(line(i, true)))
		}
	}
	return out
}

// navigate applies a navigation key to the cursor over n rows; false when
// k is not one. A page is the rows visible.
func (t *table[R]) navigate(k tea.KeyPressMsg, km *KeyMap, n int) bool {
	page := max(1, t.visible)
	switch {
	case key.Matches(k, km.Up):
		t.moveBy(-1, n)
	case key.Matches(k, km.Down):
		t.moveBy(1, n)
	case key.Matches(k, km.PageUp):
		t.moveBy(-page, n)
	case key.Matches(k, km.PageDown):
		t.moveBy(page, n)
	case key.Matches(k, km.Top):
		t.moveBy(-1<<30, n)
	case key.Matches(k, km.Bottom):
		t.moveBy(1<<30, n)
	default:
		return false
	}
	return true
}

func (t *table[R]) moveBy(delta, n int) {
	t.cursor += delta
	t.clampTo(n)
}
