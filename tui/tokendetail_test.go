package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/parse"
)

// enter on a token opens every field, the full advice, the keys and what was
// sent for it; esc closes it. Columns share the width so STATUS is not cut.
func TestTokenDetailView(t *testing.T) {
	fb := newFake()
	r := fb.results["rome-fw1"]
	r.Tokens[1].Advice = "activated on another unit and no seed here (FortiGuard one-time activation lock): contact Fortinet support to reset the activation lock, then rescan the device"
	fb.results["rome-fw1"] = r
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("rome-fw1")
	h.key("enter")
	h.m.Update(tea.WindowSizeMsg{Width: 200, Height: 44})
	if v := h.view(); !strings.Contains(v, parse.StatusAlreadyActivated) {
		t.Fatalf("STATUS cut in the table at 200 columns:\n%s", v)
	}
	h.m.Update(tea.WindowSizeMsg{Width: 160, Height: 44})
	h.selectToken(t, "FTK2000000000006")
	h.key("enter")
	v := h.view()
	for _, s := range []string{"Token detail", "FTK2000000000006", parse.StatusAlreadyActivated, "fred",
		"then rescan the device", "ACTIVATED_ELSEWHERE",
		"x   delete & re-add — FortiGuard reports this token already activated elsewhere", "Sent for this token", "nothing"} {
		if !strings.Contains(strings.Join(strings.Fields(v), " "), strings.Join(strings.Fields(s), " ")) {
			t.Errorf("detail lacks %q:\n%s", s, v)
		}
	}
	h.key("esc")
	if h.m.detail != nil || strings.Contains(h.view(), "Token detail") {
		t.Fatal("esc did not close the detail view")
	}
	// After an action, the lines sent for the token are listed.
	h.selectToken(t, "FTK2000000000005")
	h.key("x", "y")
	h.tick()
	h.key("esc")
	h.selectToken(t, "FTK2000000000005")
	h.key("enter")
	if v := h.view(); !strings.Contains(v, "send") || !strings.Contains(v, "❯") {
		t.Fatalf("detail does not list the lines sent:\n%s", v)
	}
}
