package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// R during the first scan counts devices, not scan requests (issue 14 §2:
// "scanning 21/22" on a 12-device fleet).
func TestRescanDuringScanCountsDevices(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	_ = h.m.scanCmd(h.m.allNames()) // in flight, never completed here
	for _, n := range h.m.allNames()[:6] {
		r := fb.results[n]
		h.m.Update(scanEventMsg{fleet.Event{Kind: fleet.EventFinished, Device: n, Result: &r}})
	}
	if done, total := h.m.scanProgress(); done != 6 || total != 8 {
		t.Fatalf("first scan progress %d/%d, want 6/8", done, total)
	}
	_ = h.m.scanCmd(h.m.allNames()) // R
	if v := h.view(); !strings.Contains(v, "scanning 0/8") {
		t.Fatalf("header after R:\n%s", strings.SplitN(v, "\n", 2)[0])
	}
}

// At 80×24 the header keeps every count readable (it was cut to "● 8 er…").
func TestHeaderCountsFitAt80(t *testing.T) {
	h := newHarness(t, newFake(), Options{Inventory: "/home/admin/inventories/emea-production.yaml"})
	h.scanAll()
	h.m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	_ = h.m.scanCmd([]string{"paris-fw1"})
	head := strings.SplitN(h.view(), "\n", 2)[0]
	for _, s := range []string{"4 error", "3 warn", "1 ok", "⟳ "} {
		if !strings.Contains(head, s) {
			t.Errorf("header lacks %q at 80 columns: %q", s, head)
		}
	}
}

// NO_COLOR: error, warn and ok have distinct marks in the list and header.
func TestNoColorSeverityGlyphs(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	v := h.view()
	for _, s := range []string{"✗ 4 error", "▲ 3 warn", "✓ 1 ok", "✗  dead-fw1", "▲  berlin-fw1", "✓  paris-fw1"} {
		if !strings.Contains(v, s) {
			t.Errorf("NO_COLOR view lacks %q:\n%s", s, v)
		}
	}
}
