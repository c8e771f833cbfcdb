package tui

import (
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// fleetRow is one row of the fleet list.
type fleetRow struct {
	d      *devState
	marked bool
}

// fleetList is the device list: a cached, filtered, worst-first order of
// device indices, recomputed only when data or the filter change.
type fleetList struct {
	common
	table[fleetRow]
	store  *devices
	order  []int
	filter lineInput
	marks  map[string]bool
	dirty  bool
	moved  bool // the user moved the cursor: keep it on its device across re-sorts
	nameW  int  // widest device name, host:port: NAME and HOST grow to them before TOKENS takes the rest
	hostW  int
}

func newFleetList(c common, store *devices) *fleetList {
	l := &fleetList{common: c, store: store, marks: map[string]bool{}}
	l.table = table[fleetRow]{cols: l.columns(), flexMin: 10, flexKeep: 40}
	return l
}

// SetSize sets the area of the list: a header row, then the rows.
func (l *fleetList) SetSize(w, h int) {
	l.width, l.height = w, h
	l.visible = max(1, h-1)
}

// Update handles the list's own keys: navigation, marks, its filter, enter.
func (l *fleetList) Update(k tea.KeyPressMsg) reply {
	km := l.keys
	if l.navigate(k, km, len(l.order)) {
		l.moved = true
		return reply{ev: paneMoved}
	}
	if l.filter.openOrClear(k, km) {
		return reply{ev: paneFiltered}
	}
	switch {
	case key.Matches(k, km.Open):
		return reply{ev: paneOpen}
	case key.Matches(k, km.Mark):
		if i := l.selectedIdx(); i >= 0 {
			n := l.store.devs[i].dev.Name
			if l.marks[n] {
				delete(l.marks, n)
			} else {
				l.marks[n] = true
			}
			l.store.devs[i].version++ // the cursor stays: space marks, j/k move
		}
		return handled()
	case key.Matches(k, km.MarkAll):
		l.markAll()
		return handled()
	}
	return reply{}
}

// markAll is ctrl+a: mark every row shown (again: clear them).
func (l *fleetList) markAll() {
	devs := l.store.devs
	all := len(l.order) > 0
	for _, i := range l.order {
		all = all && l.marks[devs[i].dev.Name]
	}
	for _, i := range l.order {
		if all {
			delete(l.marks, devs[i].dev.Name)
		} else {
			l.marks[devs[i].dev.Name] = true
		}
		devs[i].version++
	}
	l.dirty = true
}

// refresh recomputes the order keeping the cursor on the same device.
func (l *fleetList) refresh() {
	devs := l.store.devs
	l.dirty = false
	keep := -1
	if l.moved {
		keep = l.selectedIdx()
	}
	q := strings.ToLower(l.filter.value)
	l.order = l.order[:0]
	l.nameW, l.hostW = 0, 0
	for _, d := range devs {
		l.nameW = max(l.nameW, len(d.dev.Name)+1)
		l.hostW = max(l.hostW, len(hostPort(d.dev)))
	}
	for i, d := range devs {
		if q == "" || devMatches(d, q) {
			l.order = append(l.order, i)
		}
	}
	slices.SortStableFunc(l.order, func(a, b int) int {
		ra, rb := devRank(devs[a]), devRank(devs[b])
		if ra != rb {
			return ra - rb
		}
		return strings.Compare(devs[a].dev.Name, devs[b].dev.Name)
	})
	l.cursor = 0
	if keep >= 0 {
		if i := slices.Index(l.order, keep); i >= 0 {
			l.cursor = i
		}
	}
	l.clamp()
}

func (l *fleetList) selectedIdx() int {
	if l.cursor >= 0 && l.cursor < len(l.order) {
		return l.order[l.cursor]
	}
	return -1
}

// selectedName is the device under the cursor ("" when none).
func (l *fleetList) selectedName() string {
	if i := l.selectedIdx(); i >= 0 {
		return l.store.devs[i].dev.Name
	}
	return ""
}

// selectIdx puts the cursor on device idx, which the order must show.
func (l *fleetList) selectIdx(idx int) {
	l.cursor = slices.Index(l.order, idx)
	l.moved = true
}

func (l *fleetList) move(delta int) {
	l.moved = true
	l.moveBy(delta, len(l.order))
}

func (l *fleetList) clamp() { l.clampTo(len(l.order)) }

// shows reports whether the filter shows the device.
func (l *fleetList) shows(name string) bool {
	i, ok := l.store.byName[name]
	return ok && slices.Contains(l.order, i)
}

// visibleMarks are the marked devices the filter shows, and how many it hides.
func (l *fleetList) visibleMarks() (names []string, hidden int) {
	for n := range l.marks {
		if l.shows(n) {
			names = append(names, n)
		} else {
			hidden++
		}
	}
	slices.Sort(names)
	return names, hidden
}

func (l *fleetList) title() string {
	vis, hidden := l.visibleMarks()
	return sprintf("Fleet · %d/%d", len(l.order), len(l.store.devs)) + markTitle(len(vis), hidden)
}

// View renders the header and only the visible window of rows.
func (l *fleetList) View(focused bool) []string {
	l.clamp()
	w, st := l.width, l.styles
	ws := l.widths(w)
	out := []string{l.header(ws, w, st.ColHeader)}
	if len(l.order) == 0 {
		msg := "no devices in the inventory"
		if l.filter.value != "" {
			msg = "no device matches /" + l.filter.value + " (esc clears)"
		}
		return append(out, st.Dim.S(" "+msg))
	}
	return append(out, l.rows(len(l.order), focused, st, func(i int, plain bool) string {
		d := l.store.devs[l.order[i]]
		r := fleetRow{d, l.marks[d.dev.Name]}
		if plain {
			return l.row(r, ws, true)
		}
		key := rowCacheKey{version: d.version, width: w, mark: r.marked}
		if d.rowKey != key || d.row == "" {
			d.row, d.rowKey = l.row(r, ws, false), key
		}
		return d.row
	})...)
}

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
