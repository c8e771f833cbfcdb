package tui

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/fleet"
)

// Issue 18 in the console: a token also configured on another unit says so
// in the table and the detail view, and `o` jumps to that unit's row with
// the same token selected.
func TestAlsoOnAndJump(t *testing.T) {
	fb := newFake()
	paris := fb.results["paris-fw1"]
	paris.Serial = "FGT60F0000000001"
	paris.Tokens = append(paris.Tokens, tok("FTK2000000000006", "hardware", "active", true, []string{"fred"}, fleet.CodeOK, ""))
	fb.results["paris-fw1"] = paris
	rome := fb.results["rome-fw1"]
	rome.Serial = "FGT60F0000000002"
	fb.results["rome-fw1"] = rome
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("rome-fw1")
	h.key("enter")
	flat := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	if v := flat(h.view()); !strings.Contains(v, "also on: paris-fw1 (active)") {
		t.Fatalf("the table does not say where else the token lives:\n%s", h.view())
	}
	h.selectToken(t, "FTK2000000000006")
	h.key("enter")
	v := flat(h.view())
	for _, want := range []string{"Also on (other scanned units)", "paris-fw1 (unit FGT60F0000000001): active, seed", "o jumps to it",
		"Do not re-add or activate FTK2000000000006 here"} {
		if !strings.Contains(v, want) {
			t.Errorf("detail lacks %q:\n%s", want, h.view())
		}
	}
	h.key("o")
	if h.m.table.device != "paris-fw1" || h.m.detail == nil || h.m.detail.device != "paris-fw1" {
		t.Fatalf("o did not jump: table on %q, detail %+v", h.m.table.device, h.m.detail)
	}
	if sel := h.m.selectedToken(); sel == nil || sel.Serial != "FTK2000000000006" {
		t.Fatalf("the same token is not selected on paris-fw1: %+v", sel)
	}
	// And back again: `o` cycles through the units holding it.
	h.key("o")
	if h.m.table.device != "rome-fw1" {
		t.Fatalf("second o went to %q", h.m.table.device)
	}
	// A token nobody else holds: o says so and stays.
	h.key("esc")
	h.selectToken(t, "FTK2000000000005")
	h.key("o")
	if h.m.table.device != "rome-fw1" || !strings.Contains(h.m.status, "no other scanned unit") {
		t.Fatalf("o on a token held nowhere else: %q on %s", h.m.status, h.m.table.device)
	}
}

// Drift shows in the token table.
func TestDriftInTokenTable(t *testing.T) {
	fb := newFake()
	b := fb.results["berlin-fw1"]
	b.Tokens[0].Drift = 12
	fb.results["berlin-fw1"] = b
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	if v := h.view(); !strings.Contains(v, "drift +12") {
		t.Fatalf("drift not shown:\n%s", v)
	}
}
