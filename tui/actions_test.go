package tui

import (
	"strings"
	"testing"
)

func TestActivateDialogDefaultsToNo(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.confirmActivate("berlin-fw1")
	v := h.view()
	for _, s := range []string{"Activate 1 token?", "berlin-fw1 · FTK2000000000003", "❯ execute fortitoken activate FTK2000000000003",
		"⚠ FortiToken-200 can be activated once only", "[ No ]", "Yes", "default No"} {
		if !strings.Contains(v, s) {
			t.Errorf("dialog lacks %q:\n%s", s, v)
		}
	}
	h.key("enter") // the default button is No
	if h.m.dialog != nil {
		t.Fatal("enter should cancel (default No)")
	}
	if _, runs := fb.counts(); runs != 0 {
		t.Fatalf("enter must not send anything, runs=%d", runs)
	}
	if !strings.Contains(h.view(), "activate cancelled: nothing was sent") {
		t.Fatalf("cancel not reported:\n%s", h.view())
	}
	h.key("a", "n")
	if h.m.dialog != nil {
		t.Fatal("n should cancel")
	}
	h.key("a", "esc")
	if h.m.dialog != nil {
		t.Fatal("esc should cancel")
	}
	if _, runs := fb.counts(); runs != 0 {
		t.Fatalf("cancel must not send, runs=%d", runs)
	}
}

func TestActivateConfirmRunsAndReports(t *testing.T) {
	fb := newFake()
	fb.failRun["FTK2000000000004"] = "activation error (token not exist in FortiGuard)"
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("enter", "space", "j", "space") // mark both tokens (space does not move)
	h.key("a")
	if !strings.Contains(h.view(), "Activate 2 tokens?") {
		t.Fatalf("dialog title:\n%s", h.view())
	}
	h.key("y")
	h.tick()
	if _, runs := fb.counts(); runs != 2 {
		t.Fatalf("runs = %d, want 2", runs)
	}
	if h.m.dialog == nil || h.m.dialog.phase != phaseDone {
		t.Fatalf("dialog should show results, got %+v", h.m.dialog)
	}
	v := h.view()
	for _, s := range []string{"FTK2000000000003  ✓ verified", "status new → active", "FTK2000000000004  ✗ failed",
		"activation error (token not exist in FortiGuard)", "1 verified, 1 failed"} {
		if !strings.Contains(v, s) {
			t.Errorf("result view lacks %q:\n%s", s, v)
		}
	}
	// the debug pane was armed for the action and shows Run's lines, redacted
	if !h.m.showDbg || h.m.dbg.device != "berlin-fw1" {
		t.Fatalf("debug pane should show berlin-fw1 during the action")
	}
	h.key("esc")
	h.tick()
	v = h.view()
	for _, s := range []string{"ftm_activate: sending FTK2000000000003", "activation-code: «redacted»", "cldd", "!│cldd│ ftm_activate: activation error", "captured during activate"} {
		if !strings.Contains(v, s) {
			t.Errorf("debug pane lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "8812734") {
		t.Fatal("activation code leaked on screen")
	}
	// history shows what was sent and the outcome
	h.key("h")
	v = h.view()
	for _, s := range []string{"History · sent to berlin-fw1", "send", "❯ execute fortitoken activate FTK2000000000004", "verified", "failed"} {
		if !strings.Contains(v, s) {
			t.Errorf("history lacks %q:\n%s", s, v)
		}
	}
}

func TestEveryActionDialog(t *testing.T) {
	cases := []struct {
		device, keys, token, title, line string
	}{
		{"berlin-fw1", "a", "FTK2000000000003", "Activate 1 token?", "execute fortitoken activate FTK2000000000003"},
		{"rome-fw1", "x", "FTK2000000000005", "Delete & re-add 1 token?", "delete FTK2000000000005"},
		{"oslo-fw1", "e", "FTKMOB0000000002", "Resend activation email 1 token?", "execute fortitoken-mobile provision FTKMOB0000000002"},
		{"oslo-fw1", "n", "FTKMOB0000000003", "Renew 1 token?", "execute fortitoken-mobile renew FTKMOB0000000003"},
	}
	for _, c := range cases {
		t.Run(c.keys, func(t *testing.T) {
			fb := newFake()
			h := newHarness(t, fb, Options{})
			h.scanAll()
			h.selectDevice(c.device)
			h.key("enter")
			for h.m.selectedToken().Serial != c.token {
				h.key("j")
			}
			h.key(c.keys)
			v := h.view()
			if !strings.Contains(v, c.title) || !strings.Contains(v, "❯ "+c.line) {
				t.Fatalf("dialog for %s lacks %q / %q:\n%s", c.keys, c.title, c.line, v)
			}
			h.key("right", "enter") // focus Yes, then enter confirms
			h.tick()
			if _, runs := fb.counts(); runs != 1 {
				t.Fatalf("runs = %d", runs)
			}
			if !strings.Contains(h.view(), "✓ verified") {
				t.Fatalf("no result:\n%s", h.view())
			}
		})
	}
}

func TestDisabledKeysSayWhy(t *testing.T) {
	cases := []struct {
		name, device, key, token string
		ro                       bool
		want                     string
	}{
		{"fmg", "lyon-fw1", "a", "", false, "a activate — disabled: FortiManager manages this unit"},
		{"readonly", "berlin-fw1", "a", "", true, "a activate — disabled: read-only session (--read-only)"},
		{"healthy", "paris-fw1", "a", "", false, "a activate — disabled: the token is healthy"},
		{"fortiguard", "kyiv-fw1", "a", "", false, "a activate — disabled: FortiGuard is not reachable from the unit"},
		{"seed", "rome-fw1", "a", "", false, "a activate — disabled: the token already has a seed in the configuration: activating again cannot help — press x (delete & re-add)"},
		{"elsewhere", "rome-fw1", "x", "FTK2000000000006", false, "x delete & re-add — disabled: FortiGuard reports this token already activated elsewhere"},
		{"email", "madrid-fw1", "e", "", false, "e resend activation email — disabled: no email server is configured"},
		{"hardware", "berlin-fw1", "e", "", false, "e resend activation email — disabled: resend and renew apply to FortiToken Mobile only"},
		{"unreachable", "dead-fw1", "n", "", false, "n renew — disabled: the device is unreachable"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fb := newFake()
			h := newHarness(t, fb, Options{ReadOnly: c.ro})
			h.scanAll()
			h.selectDevice(c.device)
			if c.device != "dead-fw1" {
				h.key("enter")
			}
			for c.token != "" && h.m.selectedToken().Serial != c.token {
				h.key("j")
			}
			h.key(c.key)
			if h.m.dialog != nil {
				t.Fatalf("disabled key opened a dialog")
			}
			if plans, _ := fb.counts(); plans != 0 {
				t.Fatalf("disabled key planned %d actions", plans)
			}
			if v := h.view(); !strings.Contains(v, c.want) {
				t.Fatalf("status lacks %q:\n%s", c.want, v)
			}
		})
	}
}

func TestHelpShowsDisabledReasons(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	h.selectDevice("lyon-fw1")
	if v := h.view(); !strings.Contains(v, "actions disabled: FortiManager manages this unit") {
		t.Fatalf("status line should summarise the FMG reason:\n%s", v)
	}
	h.key("?")
	v := h.view()
	for _, s := range []string{"Help", "Navigation", "Debug pane", "activate — disabled: FortiManager manages this unit",
		"renew — disabled: FortiManager manages this unit", "ctrl+s", "rescan all"} {
		if !strings.Contains(v, s) {
			t.Errorf("help lacks %q:\n%s", s, v)
		}
	}
	h.key("esc")
	if h.m.help {
		t.Fatal("esc should close help")
	}
}

func TestBatchFromFleetMarks(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("space") // mark berlin
	h.selectDevice("lyon-fw1")
	h.key("space") // mark lyon (FMG)
	h.key("a")
	v := h.view()
	for _, s := range []string{"Activate 2 tokens?", "FTK2000000000003", "FTK2000000000004", "Skipped:", "lyon-fw1: FortiManager manages this unit"} {
		if !strings.Contains(v, s) {
			t.Errorf("batch dialog lacks %q:\n%s", s, v)
		}
	}
	h.key("y")
	h.tick()
	if _, runs := fb.counts(); runs != 2 {
		t.Fatalf("runs = %d", runs)
	}
}

func TestRefreshAndRescan(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("oslo-fw1")
	fb.mu.Lock()
	r := fb.results["oslo-fw1"]
	r.Tokens = r.Tokens[:1]
	fb.results["oslo-fw1"] = r
	fb.mu.Unlock()
	h.key("r")
	h.tick()
	if n := len(h.m.dev("oslo-fw1").res.Tokens); n != 1 {
		t.Fatalf("refresh did not reload oslo-fw1: %d tokens", n)
	}
	h.key("R")
	if !strings.Contains(h.view(), "scan finished") {
		t.Fatalf("R should rescan:\n%s", h.view())
	}
}

// The admin watches the unit (d), then acts (a): the action reuses that
// capture instead of resetting it (issue 14 §2) when the pane arms what the
// action needs; otherwise the pane's stream is disarmed first.
func TestActionReusesOpenDebugStream(t *testing.T) {
	for _, c := range []struct {
		name   string
		apps   []string
		closed bool
	}{
		{"pane covers the action", nil, false},
		{"pane lacks forticldd", []string{"alertmail"}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fb := newFake()
			h := newHarness(t, fb, Options{DebugApps: c.apps})
			h.scanAll()
			s := openDebug(t, h, "berlin-fw1")
			h.key("tab", "a") // debug → fleet; fleet-level activate
			if h.m.dialog == nil {
				t.Fatalf("no dialog:\n%s", h.view())
			}
			h.key("y")
			h.tick()
			if s.isClosed() != c.closed {
				t.Fatalf("pane stream closed = %v, want %v", s.isClosed(), c.closed)
			}
			if !c.closed && !h.m.streams.has("berlin-fw1") {
				t.Fatal("the reused stream is no longer the pane's")
			}
			if _, runs := fb.counts(); runs != 2 {
				t.Fatalf("runs = %d", runs)
			}
		})
	}
}

func TestQuitDuringActionNeedsSecondPress(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("enter", "a")
	h.m.acting = true // as between confirm and the last result
	_, c := h.m.Update(keyMsg("q"))
	if c != nil || h.m.quitting {
		t.Fatal("first q during an action must not quit")
	}
	if !strings.Contains(h.view(), "press q again to abort it and quit") {
		t.Fatalf("no warning:\n%s", h.view())
	}
	_, c = h.m.Update(keyMsg("q"))
	if c == nil || !h.m.quitting {
		t.Fatal("second q should quit")
	}
}
