package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/charmbracelet/x/ansi"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// The panes are plain components over a shared context: these tests drive
// them without a root model.

func testCommon() common {
	st, km := NewStyles(false), DefaultKeyMap()
	return common{width: 120, height: 30, styles: &st, keys: &km}
}

// scannedStore is the fake fleet, every device scanned.
func scannedStore() *devices {
	fb := newFake()
	s := newDevices(fb.devs)
	for _, d := range s.devs {
		r := fb.results[d.dev.Name]
		d.res = &r
	}
	return s
}

func TestFleetListComponentKeys(t *testing.T) {
	s := scannedStore()
	l := newFleetList(testCommon(), s)
	l.SetSize(120, 10)
	l.refresh()
	if got := l.selectedName(); got != "dead-fw1" { // worst first
		t.Fatalf("first row %q", got)
	}
	if r := l.Update(keyMsg("j")); r.ev != paneMoved || l.selectedName() != "kyiv-fw1" {
		t.Fatalf("j: %+v on %q", r, l.selectedName())
	}
	if r := l.Update(keyMsg("space")); r.ev != paneHandled || !l.marks["kyiv-fw1"] {
		t.Fatalf("space: %+v, marks %v", r, l.marks)
	}
	if r := l.Update(keyMsg("enter")); r.ev != paneOpen {
		t.Fatalf("enter: %+v", r)
	}
	if r := l.Update(keyMsg("/")); r.ev != paneFiltered || !l.filter.active {
		t.Fatalf("/: %+v", r)
	}
	l.filter = lineInput{value: "paris"}
	l.refresh()
	if len(l.order) != 1 || !strings.Contains(l.title(), "Fleet · 1/8 · 0 marked (1 hidden") {
		t.Fatalf("filtered: order %v, title %q", l.order, l.title())
	}
	if r := l.Update(keyMsg("esc")); r.ev != paneFiltered || l.filter.value != "" {
		t.Fatalf("esc: %+v, filter %q", r, l.filter.value)
	}
	l.refresh() // what the root does on paneFiltered
	if r := l.Update(keyMsg("a")); r.ev != paneIgnored {
		t.Fatalf("an action key is the root's: %+v", r)
	}
	v := ansi.Strip(strings.Join(l.View(true), "\n"))
	if !strings.Contains(v, "NAME") || !strings.Contains(v, "▌") || !strings.Contains(v, "1 activate") {
		t.Fatalf("view:\n%s", v)
	}
}

func TestTokenTableComponentFollowsItsDevice(t *testing.T) {
	s := scannedStore()
	tt := newTokenTable(testCommon(), s)
	tt.SetSize(140, 8)
	tt.point("rome-fw1")
	if tok := tt.selected(); tok == nil || tok.Diagnosis != fleet.CodeActivatedElsewhere && tok.Diagnosis != fleet.CodeDeleteReadd {
		t.Fatalf("selected %+v", tok)
	}
	tt.Update(keyMsg("G"))
	last := tt.selected().Serial
	if r := tt.Update(keyMsg("space")); r.ev != paneHandled || !tt.marks[tokenKey{"rome-fw1", last}] {
		t.Fatalf("space: %+v, marks %v", r, tt.marks)
	}
	if r := tt.Update(keyMsg("ctrl+a")); r.ev != paneHandled || len(tt.marks) != 2 {
		t.Fatalf("ctrl+a marks %v", tt.marks)
	}
	tt.Update(keyMsg("ctrl+a"))
	if len(tt.marks) != 0 {
		t.Fatalf("second ctrl+a leaves %v", tt.marks)
	}
	if r := tt.Update(keyMsg("enter")); r.ev != paneOpen {
		t.Fatalf("enter: %+v", r)
	}
	v := ansi.Strip(strings.Join(tt.View(true), "\n"))
	if !strings.Contains(v, "SERIAL") || !strings.Contains(v, "FTK2000000000005") || !strings.Contains(v, "eve,admin:root2") {
		t.Fatalf("view:\n%s", v)
	}
	if !strings.HasPrefix(tt.title(), "Tokens · rome-fw1 (FGT-ROM) · vdom "+parse.DefaultVDOM+" · 2/2") {
		t.Fatalf("title %q", tt.title())
	}
	tt.point("dead-fw1")
	if v := ansi.Strip(strings.Join(tt.View(false), "\n")); !strings.Contains(v, "connection refused") {
		t.Fatalf("unreachable view:\n%s", v)
	}
}

func TestDebugPaneComponentKeysAndSearch(t *testing.T) {
	p := newDebugPane(testCommon(), 100)
	p.SetSize(80, 4)
	p.show("berlin-fw1")
	if r := p.Update(keyMsg("n")); r.sev != "warn" || !strings.Contains(r.status, "n next match — disabled: no debug search") {
		t.Fatalf("n without a search: %+v", r)
	}
	rg := p.ringFor("berlin-fw1")
	for i := range 20 {
		rg.add(parse.DebugLine{Raw: sprintf("line %02d", i), Source: parse.SourceFortitoken})
	}
	p.onTick()
	if v := strings.Join(p.View(), "\n"); !strings.Contains(ansi.Strip(v), "line 19") {
		t.Fatalf("following view:\n%s", v)
	}
	p.Update(keyMsg("k"))
	if p.follow {
		t.Fatal("k keeps following")
	}
	p.search = lineInput{value: "line 03"}
	if r := p.Update(keyMsg("N")); r.status != "match at line 4" {
		t.Fatalf("N: %+v", r)
	}
	if r := p.Update(keyMsg("enter")); r.ev != paneIgnored {
		t.Fatalf("enter is not the pane's: %+v", r)
	}
	p.Update(keyMsg("G"))
	if !p.follow {
		t.Fatal("G does not follow")
	}
	p.opened("berlin-fw1", nil)
	if !strings.Contains(p.title(), "Debug · berlin-fw1 · live · follow") {
		t.Fatalf("title %q", p.title())
	}
}

func TestHistoryPagesByItsOwnHeight(t *testing.T) {
	h := history{common: testCommon()}
	h.SetSize(80, 4)
	for i := 0; i < 20; i++ {
		h.add(time.Unix(int64(i), 0), "paris-fw1", "send", fmt.Sprintf("line %d", i), nil)
	}
	h.add(time.Unix(99, 0), "rome-fw1", "send", "elsewhere", nil)
	if r := h.Update(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}); r.ev != paneHandled {
		t.Fatalf("ctrl+u: %+v", r)
	}
	got := h.View("paris-fw1")
	if len(got) != 4 || !strings.Contains(got[0], "line 12") || !strings.Contains(got[3], "line 15") {
		t.Fatalf("one page up shows %q, want lines 12–15", got)
	}
}
