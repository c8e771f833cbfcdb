package tui

import (
	"strings"
	"testing"
)

// `r` with marks hidden by the filter refreshes what the admin sees, and
// the title says the hidden marks are not acted on (issue 14 §2).
func TestRefreshIgnoresMarksHiddenByFilter(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("space")
	h.selectDevice("oslo-fw1")
	h.key("space")
	h.key("/")
	h.typeText("rome")
	h.key("enter")
	if h.m.table.device != "rome-fw1" {
		t.Fatalf("filter did not select rome: %s", h.m.table.device)
	}
	if v := h.view(); !strings.Contains(v, "0 marked (2 hidden by the filter, not acted on)") {
		t.Fatalf("hidden marks not shown in the title:\n%s", v)
	}
	h.key("r")
	h.fb.mu.Lock()
	last := h.fb.scans[len(h.fb.scans)-1]
	h.fb.mu.Unlock()
	if len(last) != 1 || last[0] != "rome-fw1" {
		t.Fatalf("r refreshed %v, want [rome-fw1]", last)
	}
}

// `/` starts a fresh filter; esc clears it without moving the selection;
// space marks without moving.
func TestFilterFreshEscKeepsSelectionSpaceStays(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.key("/")
	h.typeText("vien")
	h.key("enter")
	h.key("/")
	h.typeText("rome")
	if h.m.list.filter.value != "rome" {
		t.Fatalf("second / appended: %q", h.m.list.filter.value)
	}
	h.key("enter")
	h.key("esc") // clears the filter
	if h.m.list.filter.value != "" || h.m.table.device != "rome-fw1" {
		t.Fatalf("esc: filter %q, selection %s (want rome-fw1 kept)", h.m.list.filter.value, h.m.table.device)
	}
	before := h.m.list.cursor
	h.key("space")
	if h.m.list.cursor != before || !h.m.list.marks["rome-fw1"] {
		t.Fatalf("space moved the cursor (%d → %d) or did not mark", before, h.m.list.cursor)
	}
}

// M marks every token with the selected diagnosis across the fleet; one
// action then plans them all in one confirmation listing every device.
func TestMarkByDiagnosisAcrossFleet(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("enter")
	h.key("M")
	// berlin ×2, lyon (FMG), kyiv (FortiGuard down): all NEEDS_ACTIVATION hardware.
	if n := len(h.m.table.marks); n != 4 {
		t.Fatalf("marked %d tokens, want 4: %v", n, h.m.table.marks)
	}
	if !strings.Contains(h.m.status, "marked 4 NEEDS_ACTIVATION token(s) on 3 device(s) — press a (activate)") {
		t.Fatalf("status %q", h.m.status)
	}
	h.key("a")
	v := h.view()
	for _, s := range []string{"Activate 2 tokens?", "berlin-fw1 · FTK2000000000003", "berlin-fw1 · FTK2000000000004",
		"execute fortitoken activate FTK2000000000003", "lyon-fw1 FTK2000000000002: FortiManager manages this unit",
		"kyiv-fw1 FTK2000000000007: FortiGuard is not reachable"} {
		if !strings.Contains(v, s) {
			t.Errorf("confirmation lacks %q:\n%s", s, v)
		}
	}
	h.key("n")
	h.key("M") // again: unmark
	if len(h.m.table.marks) != 0 {
		t.Fatalf("second M left marks %v", h.m.table.marks)
	}
	h.key("ctrl+a")
	if len(h.m.table.marks) != 2 {
		t.Fatalf("ctrl+a marked %d tokens of berlin, want 2", len(h.m.table.marks))
	}
}
