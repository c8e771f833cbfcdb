package tui

import (
	"strings"
	"testing"
)

func names(h *harness) []string {
	var out []string
	for _, i := range h.m.list.order {
		out = append(out, h.m.devs[i].dev.Name)
	}
	return out
}

func TestFleetListWorstFirst(t *testing.T) {
	h := newHarness(t, newFake(), Options{Inventory: "inv.yaml"})
	before := h.view()
	if !strings.Contains(before, "not scanned") {
		t.Fatalf("before a scan devices should say 'not scanned':\n%s", before)
	}
	h.scanAll()
	got := strings.Join(names(h), " ")
	// errors (unreachable first by name), then warn, then ok
	want := "dead-fw1 kyiv-fw1 madrid-fw1 rome-fw1 berlin-fw1 lyon-fw1 oslo-fw1 paris-fw1"
	if got != want {
		t.Fatalf("order = %s\nwant    %s", got, want)
	}
	v := h.view()
	for _, s := range []string{"inv.yaml", "8 devices", "4 error", "3 warn", "1 ok", "✗ down", "FMG", "✗ unset", "1 elsewhere 1 readd", "NAME", "TOKENS"} {
		if !strings.Contains(v, s) {
			t.Errorf("view lacks %q:\n%s", s, v)
		}
	}
}

func TestFleetNavigationOpensTokenTable(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	if h.m.table.device != "dead-fw1" {
		t.Fatalf("first device = %s", h.m.table.device)
	}
	h.key("j", "j", "j") // rome
	if h.m.table.device != "rome-fw1" {
		t.Fatalf("after jjj device = %s", h.m.table.device)
	}
	h.key("enter")
	if h.m.focus != paneTokens {
		t.Fatalf("enter should focus the token table")
	}
	v := h.view()
	for _, s := range []string{"Tokens · rome-fw1", "FTK2000000000005", "DELETE_READD", "ACTIVATED_ELSEWHERE", "eve,admin:root2", "SEED"} {
		if !strings.Contains(v, s) {
			t.Errorf("token view lacks %q:\n%s", s, v)
		}
	}
	h.key("j")
	if tk := h.m.selectedToken(); tk == nil || tk.Serial != "FTK2000000000006" {
		t.Fatalf("j in table should select the second token, got %+v", tk)
	}
	h.key("esc")
	if h.m.focus != paneFleet {
		t.Fatal("esc should go back to the fleet list")
	}
	h.key("k", "up")
	if h.m.table.device != "kyiv-fw1" {
		t.Fatalf("k,up → %s", h.m.table.device)
	}
	h.key("G")
	if h.m.table.device != "paris-fw1" {
		t.Fatalf("G → %s", h.m.table.device)
	}
}

func TestFleetFilterAndEscClears(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.key("/")
	h.typeText("ber")
	if got := names(h); len(got) != 1 || got[0] != "berlin-fw1" {
		t.Fatalf("filter ber → %v", got)
	}
	if v := h.view(); !strings.Contains(v, "/ber") || !strings.Contains(v, "Fleet · 1/8") {
		t.Fatalf("filter not shown:\n%s", v)
	}
	h.key("enter") // keep the filter, leave the editor
	if h.m.list.filter.active || h.m.list.filter.value != "ber" {
		t.Fatal("enter should keep the filter")
	}
	h.key("esc")
	if len(names(h)) != 8 {
		t.Fatalf("esc should clear the filter, got %v", names(h))
	}
	// filter by diagnosis code, then esc inside the editor clears too
	h.key("/")
	h.typeText("delete_readd")
	if got := names(h); len(got) != 1 || got[0] != "rome-fw1" {
		t.Fatalf("filter by diagnosis → %v", got)
	}
	h.key("esc")
	if len(names(h)) != 8 || h.m.list.filter.active {
		t.Fatal("esc in the editor should clear and close it")
	}
	h.key("/")
	h.typeText("zzz")
	if v := h.view(); !strings.Contains(v, "no device matches /zzz") {
		t.Fatalf("empty filter result not explained:\n%s", v)
	}
}

func TestMarksDevicesAndTokens(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.key("space", "j", "space") // space marks without moving
	if len(h.m.list.marks) != 2 || !h.m.list.marks["dead-fw1"] || !h.m.list.marks["kyiv-fw1"] {
		t.Fatalf("device marks = %v", h.m.list.marks)
	}
	if v := h.view(); !strings.Contains(v, "2 marked") || !strings.Contains(v, "▌") {
		t.Fatalf("marks not visible:\n%s", v)
	}
	h.key("space")
	if h.m.list.marks["kyiv-fw1"] {
		t.Fatal("space on a marked device should unmark it")
	}
	h.selectDevice("berlin-fw1")
	h.key("enter", "space", "j", "space")
	if len(h.m.table.marks) != 2 {
		t.Fatalf("token marks = %v", h.m.table.marks)
	}
	if v := h.view(); !strings.Contains(v, "2 token(s) marked") {
		t.Fatalf("token marks not in the status line:\n%s", v)
	}
}

func TestTokenFilter(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.selectDevice("oslo-fw1")
	h.key("enter", "/")
	h.typeText("timeout")
	if len(h.m.table.order) != 1 {
		t.Fatalf("token filter → %d rows", len(h.m.table.order))
	}
	if tk := h.m.selectedToken(); tk == nil || tk.Serial != "FTKMOB0000000003" {
		t.Fatalf("selected after filter = %+v", tk)
	}
	h.key("enter", "esc")
	if len(h.m.table.order) != 2 {
		t.Fatalf("esc should clear the token filter")
	}
}
