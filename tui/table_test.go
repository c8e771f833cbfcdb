package tui

import (
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// The two width rules the table's column data must reproduce, as the fleet
// list and the token table computed them before they shared the table.

func fleetWidthsOracle(w, nameW, hostW int) []int {
	cols := []struct{ w, minW int }{{3, 0}, {18, 0}, {21, 110}, {12, 0}, {6, 70}, {7, 70}, {7, 80}, {7, 90}, {0, 0}, {8, 100}}
	ws := make([]int, len(cols))
	used := 0
	for i, c := range cols {
		if c.minW > w {
			ws[i] = -1
			continue
		}
		ws[i] = c.w
		used += c.w + 1
	}
	rest := max(0, w-used-40)
	if g := min(rest, max(0, min(nameW, 48)-ws[1])); g > 0 {
		ws[1] += g
		used += g
		rest -= g
	}
	if ws[2] >= 0 {
		if g := min(rest, max(0, min(hostW, 48)-ws[2])); g > 0 {
			ws[2] += g
			used += g
		}
	}
	ws[8] = max(10, w-used)
	return ws
}

func tokenWidthsOracle(w, statusW, usersW int) []int {
	cols := []struct{ w, minW int }{{1, 0}, {16, 0}, {8, 90}, {22, 0}, {4, 80}, {18, 100}, {19, 0}, {0, 0}}
	ws := make([]int, len(cols))
	used := 0
	for i, c := range cols {
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
	if short := 40 - ws[len(ws)-1]; short > 0 && ws[3] > 22 {
		give := min(short, ws[3]-22)
		ws[3] -= give
		ws[len(ws)-1] += give
	}
	return ws
}

func TestTableWidthsKeepTheFleetListRule(t *testing.T) {
	l := newFleetList(testCommon(), newDevices(nil))
	for w := 20; w <= 320; w++ {
		for _, nh := range [][2]int{{0, 0}, {5, 9}, {19, 22}, {30, 40}, {48, 48}, {60, 70}, {25, 60}} {
			l.nameW, l.hostW = nh[0], nh[1]
			if got, want := l.widths(w), fleetWidthsOracle(w, nh[0], nh[1]); !slices.Equal(got, want) {
				t.Fatalf("w=%d name=%d host=%d: %v, want %v", w, nh[0], nh[1], got, want)
			}
		}
	}
}

func TestTableWidthsKeepTheTokenTableRule(t *testing.T) {
	tt := newTokenTable(testCommon(), newDevices(nil))
	for w := 20; w <= 320; w++ {
		for _, su := range [][2]int{{0, 0}, {3, 2}, {12, 8}, {22, 18}, {35, 25}, {60, 30}, {90, 50}} {
			tt.statusW, tt.usersW = su[0], su[1]
			if got, want := tt.widths(w), tokenWidthsOracle(w, su[0], su[1]); !slices.Equal(got, want) {
				t.Fatalf("w=%d status=%d users=%d: %v, want %v", w, su[0], su[1], got, want)
			}
		}
	}
}

// A table is columns as data: a new column is one more entry, laid out,
// titled and filled without any positional code.
func TestTableRendersColumnsAsData(t *testing.T) {
	st := NewStyles(false)
	tb := table[string]{
		cols: []column[string]{
			{title: "A", width: 3, cell: func(r string) []seg { return []seg{{r[:1], paint{}}} }},
			{title: "WIDE", width: 6, hideBelow: 30, cell: func(r string) []seg { return []seg{{"wide", paint{}}} }},
			{title: "REST", flex: true, cell: func(r string) []seg { return []seg{{r, paint{}}} }},
		},
		flexMin: 4, flexKeep: 10,
	}
	ws := tb.widths(20)
	if !slices.Equal(ws, []int{3, -1, 15}) {
		t.Fatalf("narrow widths %v", ws)
	}
	if h := ansi.Strip(tb.header(ws, 20, st.ColHeader)); h != "A   REST            " {
		t.Fatalf("header %q", h)
	}
	if r := tb.row("xyz", ws, true); r != "x   xyz             " {
		t.Fatalf("row %q", r)
	}
	if ws := tb.widths(40); !slices.Equal(ws, []int{3, 6, 28}) {
		t.Fatalf("wide widths %v", ws)
	}
	tb.visible = 2
	rows := []string{"r0", "r1", "r2", "r3"}
	tb.cursor = 3
	tb.clampTo(len(rows))
	out := tb.rows(len(rows), true, &st, func(i int, plain bool) string {
		if plain {
			return strings.ToUpper(rows[i])
		}
		return rows[i]
	})
	if len(out) != 2 || out[0] != "r2" || ansi.Strip(out[1]) != "R3" {
		t.Fatalf("window rows %q", out)
	}
}
