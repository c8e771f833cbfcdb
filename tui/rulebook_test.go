package tui

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/fleet"
)

func (h *harness) selectToken(t *testing.T, sn string) {
	t.Helper()
	h.key("g")
	for range 50 {
		if tk := h.m.selectedToken(); tk != nil && tk.Serial == sn {
			return
		}
		h.key("j")
	}
	t.Fatalf("token %s not found in the table", sn)
}

// Issue 14 §1 in the console: the keys follow the rule book.
func TestConsoleKeysFollowRuleBook(t *testing.T) {
	fb := newFake()
	r := fb.results["oslo-fw1"]
	r.Tokens = append(r.Tokens, tok("FTKMOB0000000009", "mobile", "new", false, []string{"kim"}, fleet.CodeNeedsActivation, fleet.SevWarn))
	fb.results["oslo-fw1"] = r
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("oslo-fw1")
	h.key("enter")

	// FTM `new` with a bound user: a refuses and names e; e runs.
	h.selectToken(t, "FTKMOB0000000009")
	h.key("a")
	if v := h.view(); !strings.Contains(v, "press e (resend activation email)") {
		t.Fatalf("a on a new mobile token should point at e:\n%s", v)
	}
	h.key("e")
	if h.m.dialog == nil {
		t.Fatalf("e on a new bound mobile token must plan a resend:\n%s", h.view())
	}
	h.key("esc")
	h.key("n")
	h.m.dialog = nil

	// Renew on a PENDING token: refused, as on the CLI, pointing at resend.
	h.selectToken(t, "FTKMOB0000000002")
	h.key("n")
	if h.m.dialog != nil {
		t.Fatal("renew on a pending token opened a dialog")
	}
	if v := h.view(); !strings.Contains(v, "n renew — disabled: diagnosis PENDING is not fixed by renew — press e") {
		t.Fatalf("renew on PENDING:\n%s", v)
	}
	// The advice column renders the suggestion as a key, never a command.
	if v := h.view(); strings.Contains(v, "ftktui resend") {
		t.Fatalf("console shows a command line:\n%s", v)
	}
}

// `n` is renew in the token table and next match in the debug pane:
// focus decides, not the order of cases.
func TestNResolvedByFocus(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("oslo-fw1")
	h.key("enter")
	h.selectToken(t, "FTKMOB0000000003")
	h.key("d")
	for range 4 {
		if h.m.focus == paneDebug {
			break
		}
		h.key("tab")
	}
	if h.m.focus != paneDebug {
		t.Fatalf("focus %v", h.m.focus)
	}
	h.key("n")
	if h.m.dialog != nil {
		t.Fatal("n in the debug pane started renew")
	}
	if v := h.view(); !strings.Contains(v, "next match — disabled: no debug search") {
		t.Fatalf("n in the debug pane without a search:\n%s", v)
	}
	for h.m.focus != paneTokens {
		h.key("tab")
	}
	h.key("n")
	if h.m.dialog == nil {
		t.Fatalf("n in the token table on a timed-out token must plan renew:\n%s", h.view())
	}
}

// The token table lists the worst tokens first and says so (issue 14 §2).
func TestTokenTableWorstFirst(t *testing.T) {
	fb := newFake()
	r := fb.results["oslo-fw1"]
	okToks := []fleet.TokenResult{}
	for i := range 5 {
		okToks = append(okToks, tok(sprintf("FTKMOB00000000A%d", i), "mobile", "provisioned", true, []string{"u"}, fleet.CodeOK, fleet.SevInfo))
	}
	r.Tokens = append(okToks, r.Tokens...)
	fb.results["oslo-fw1"] = r
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("oslo-fw1")
	h.key("enter")
	if tk := h.m.selectedToken(); tk == nil || tk.Diagnosis == fleet.CodeOK {
		t.Fatalf("first row is %+v, want a token that needs work", tk)
	}
	if v := h.view(); !strings.Contains(v, "worst first") {
		t.Fatalf("the header does not say the order:\n%s", v)
	}
}

// A hostile serial from a device gets no key and no command in the console.
func TestConsoleHostileSerialNoCommand(t *testing.T) {
	evil := "FTK2000000000009;touch${IFS}/tmp/x;#"
	fb := newFake()
	r := fb.results["berlin-fw1"]
	hostile := tok(evil, "hardware", "new", false, []string{"eve"}, fleet.CodeInvalidSerial, fleet.SevWarn)
	hostile.Advice = "the device lists a serial that is not a FortiToken serial"
	r.Tokens = append(r.Tokens, hostile)
	fb.results["berlin-fw1"] = r
	h := newHarness(t, fb, Options{})
	h.scanAll()
	h.selectDevice("berlin-fw1")
	h.key("enter")
	h.selectToken(t, evil)
	h.key("a")
	if h.m.dialog != nil {
		t.Fatal("a on an invalid serial opened a dialog")
	}
	h.key("enter")
	v := h.view()
	if strings.Contains(v, "ftktui activate") || strings.Contains(v, "press a") {
		t.Fatalf("console offers an action for the hostile serial:\n%s", v)
	}
}
