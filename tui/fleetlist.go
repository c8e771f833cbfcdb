package tui

import (
	"slices"
	"strings"

	"github.com/ftktui/ftktui/fleet"
)

// fleetList is the device list: a cached, filtered, worst-first order of
// device indices, recomputed only when data or the filter change.
type fleetList struct {
	window
	order  []int
	filter lineInput
	marks  map[string]bool
	dirty  bool
	moved  bool // the user moved the cursor: keep it on its device across re-sorts
	width  int
	nameW  int // widest device name, host:port: NAME and HOST grow to them before TOKENS takes the rest
	hostW  int
}

func newFleetList() fleetList { return fleetList{marks: map[string]bool{}} }

func (l *fleetList) refreshIfDirty(m *Model) {
	if l.dirty {
		l.refresh(m)
	}
}

// refresh recomputes the order keeping the cursor on the same device.
func (l *fleetList) refresh(m *Model) {
	l.dirty = false
	keep := -1
	if l.moved {
		keep = l.selectedIdx()
	}
	q := strings.ToLower(l.filter.value)
	l.order = l.order[:0]
	l.nameW, l.hostW = 0, 0
	for _, d := range m.devs {
		l.nameW = max(l.nameW, len(d.dev.Name)+1)
		l.hostW = max(l.hostW, len(hostPort(d.dev)))
	}
	for i, d := range m.devs {
		if q == "" || devMatches(d, q) {
			l.order = append(l.order, i)
		}
	}
	slices.SortStableFunc(l.order, func(a, b int) int {
		ra, rb := devRank(m.devs[a]), devRank(m.devs[b])
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(m.devs[a].dev.Name, m.devs[b].dev.Name)
	})
	l.cursor = 0
	if keep >= 0 {
		if i := slices.Index(l.order, keep); i >= 0 {
			l.cursor = i
		}
	}
	l.clamp()
	m.header.count(m)
	m.syncTable()
}

func (l *fleetList) selectedIdx() int {
	if l.cursor >= 0 && l.cursor < len(l.order) {
		return l.order[l.cursor]
	}
	return -1
}

func (l *fleetList) move(delta int) {
	l.moved = true
	l.cursor += delta
	l.clamp()
}

func (l *fleetList) clamp() { l.clampTo(len(l.order)) }

// devRank orders worst first: unreachable/error, warn, not yet scanned, info, ok.
func devRank(d *devState) int {
	if d.res == nil {
		return 2
	}
	if !d.res.Reachable {
		return 0
	}
	switch worst(d.res) {
	case fleet.SevError:
		return 0
	case fleet.SevWarn:
		return 1
	case fleet.SevInfo:
		return 3
	}
	return 4
}

// worst is the most severe of the device findings and token diagnoses.
func worst(r *fleet.DeviceResult) fleet.Severity {
	w := r.Worst()
	for i := range r.Tokens {
		switch s := r.Tokens[i].Severity; {
		case s == fleet.SevError:
			return fleet.SevError
		case s == fleet.SevWarn && w != fleet.SevError:
			w = fleet.SevWarn
		case s == fleet.SevInfo && w == "":
			w = fleet.SevInfo
		}
	}
	return w
}

func devMatches(d *devState, q string) bool {
	if strings.Contains(strings.ToLower(d.dev.Name), q) || strings.Contains(strings.ToLower(d.dev.Host), q) {
		return true
	}
	for _, t := range d.dev.Tags {
		if strings.Contains(strings.ToLower(t), q) {
			return true
		}
	}
	if r := d.res; r != nil {
		if strings.Contains(strings.ToLower(r.Hostname), q) || strings.Contains(strings.ToLower(r.Model), q) {
			return true
		}
		for _, f := range r.Findings {
			if strings.Contains(strings.ToLower(string(f.Code)), q) {
				return true
			}
		}
		for _, t := range r.Tokens {
			if strings.Contains(strings.ToLower(string(t.Diagnosis)), q) || strings.Contains(strings.ToLower(t.Serial), q) {
				return true
			}
		}
	}
	return false
}

// fleet columns; TOKENS takes the remaining width.
var fleetCols = []struct {
	title string
	w     int
	minW  int // hidden below this total width
}{
	{"", 3, 0}, {"NAME", 18, 0}, {"HOST", 21, 110}, {"REACH", 12, 0}, {"FMG", 6, 70},
	{"FGUARD", 7, 70}, {"TOKSRV", 7, 80}, {"EMAIL", 7, 90}, {"TOKENS", 0, 0}, {"SCANNED", 8, 100},
}

func (l *fleetList) colWidths(w int) []int {
	ws := make([]int, len(fleetCols))
	used := 0
	for i, c := range fleetCols {
		if c.minW > w {
			ws[i] = -1
			continue
		}
		ws[i] = c.w
		used += c.w + 1
	}
	rest := max(0, w-used-40) // TOKENS keeps 40 columns; the rest goes where text was cut
	if g := min(rest, max(0, min(l.nameW, 48)-ws[1])); g > 0 {
		ws[1] += g
		used += g
		rest -= g
	}
	if ws[2] >= 0 {
		if g := min(rest, max(0, min(l.hostW, 48)-ws[2])); g > 0 {
			ws[2] += g
			used += g
		}
	}
	ws[8] = max(10, w-used)
	return ws
}

func (l *fleetList) header(m *Model, w int) string {
	ws := l.colWidths(w)
	var b strings.Builder
	for i, c := range fleetCols {
		if ws[i] < 0 {
			continue
		}
		b.WriteString(fit(c.title, ws[i]))
		b.WriteByte(' ')
	}
	return m.st.ColHeader.S(fit(b.String(), w))
}

// view renders only the visible window of rows.
func (l *fleetList) view(m *Model, w, h int, focused bool) []string {
	l.height, l.width = max(1, h-1), w
	l.clamp()
	out := make([]string, 0, h)
	out = append(out, l.header(m, w))
	if len(l.order) == 0 {
		msg := "no devices in the inventory"
		if l.filter.value != "" {
			msg = "no device matches /" + l.filter.value + " (esc clears)"
		}
		return append(out, m.st.Dim.S(" "+msg))
	}
	end := min(len(l.order), l.offset+l.height)
	for i := l.offset; i < end; i++ {
		d := m.devs[l.order[i]]
		marked := l.marks[d.dev.Name]
		if i == l.cursor {
			row := l.renderRow(m, d, w, marked, true)
			if focused {
				out = append(out, m.st.Selected.S(row))
			} else {
				out = append(out, m.st.SelectedBlur.S(row))
			}
			continue
		}
		key := rowCacheKey{version: d.version, width: w, mark: marked}
		if d.rowKey != key || d.row == "" {
			d.row, d.rowKey = l.renderRow(m, d, w, marked, false), key
		}
		out = append(out, d.row)
	}
	return out
}

func (l *fleetList) renderRow(m *Model, d *devState, w int, marked, plain bool) string {
	ws := l.colWidths(w)
	cells := m.fleetCells(d, marked)
	var b strings.Builder
	for i, c := range cells {
		if ws[i] < 0 {
			continue
		}
		b.WriteString(fitSegs(c, ws[i], plain))
		b.WriteByte(' ')
	}
	return b.String()
}
