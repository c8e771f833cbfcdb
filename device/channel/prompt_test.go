package channel

import (
	"errors"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

func TestLearnPromptForms(t *testing.T) {
	warning := "\r\n******WARNING: This firmware failed signature validation.******\r\n" +
		"This firmware is not signed by Fortinet.\r\nProceed at your own risk.\r\n\r\n\r\n"
	cases := []struct {
		buf, host, scope, role string
		char                   byte
	}{
		{"\r\nFGT-PARIS # ", "FGT-PARIS", "", "", '#'},
		{"Welcome\r\n\r\nFGT_1.lab $ ", "FGT_1.lab", "", "", '$'},
		{"x\r\nFW-LAB-1500D-K03-2 (vdom) # ", "FW-LAB-1500D-K03-2", "vdom", "", '#'},
		{"\nfw1 (cust.a-b_c d) # ", "fw1", "cust.a-b_c d", "", '#'},
		{"fw1 # ", "fw1", "", "", '#'},
		{"\r\nFW-1(Primary) # ", "FW-1", "", "Primary", '#'},
		{"\r\n900G-1(Secondary) $ ", "900G-1", "", "Secondary", '$'},
		{"\r\nFW-1(Primary) (global) # ", "FW-1", "global", "Primary", '#'},
		{warning + "FGT_HA_Slave (Interim)# ", "FGT_HA_Slave", "", "", '#'},
		{warning + "FGT_HA_Slave (Interim) (global)# ", "FGT_HA_Slave", "global", "", '#'},
		{"\r\nFGT-A-VERY-LONG-HOSTN~ # ", "FGT-A-VERY-LONG-HOSTN~", "", "", '#'},
		{"\r\nFGT-A~ (cust-vdom-wi~) # ", "FGT-A~", "cust-vdom-wi~", "", '#'},
		{"\r\nl2t (l2t.TESTIF) # ", "l2t", "l2t.TESTIF", "", '#'},
	}
	for _, c := range cases {
		host, pr, ok := learnPrompt([]byte(c.buf))
		if !ok || host != c.host || pr.scope != c.scope || pr.char != c.char || pr.role != c.role {
			t.Errorf("learnPrompt(%q) = %q %+v %v; want %q %q %q %q", c.buf, host, pr, ok, c.host, c.scope, c.role, c.char)
		}
	}
	for _, bad := range []string{"(Press 'a' to accept):", "--More-- ", "fw1 # get system status", "no prompt here\r\n", "fw1(Pri mary) # ", "fw1  # "} {
		if _, _, ok := learnPrompt([]byte(bad)); ok {
			t.Errorf("learnPrompt(%q) matched", bad)
		}
	}
}

// TestPromptRoleChangesMidSession: a failover flips the role in the prompt;
// the learned matcher keeps matching and reports the new role.
func TestPromptRoleChangesMidSession(t *testing.T) {
	host, _, ok := learnPrompt([]byte("\r\nFW-1(Primary) # "))
	if !ok {
		t.Fatal("not learned")
	}
	pm := NewPromptMatcher(host)
	for _, tail := range []string{"FW-1(Secondary) # ", "FW-1 # ", "FW-1(Primary) (global) # ", "FW-1(Secondary) (root) $ "} {
		pr, ok := pm.matchEnd([]byte("get system status\r\r\nout\r\n\r\n"+tail), 1)
		if !ok {
			t.Fatalf("%q not matched after a role change", tail)
		}
		if want := strings.Contains(tail, "Secondary"); want != (pr.role == "Secondary") {
			t.Fatalf("%q: role %q", tail, pr.role)
		}
	}
}

func TestPromptMatcherOnlyOwnHostAtEnd(t *testing.T) {
	pm := NewPromptMatcher("FGT-A")
	pr, ok := pm.matchEnd([]byte("get system status\r\r\nHostname: FGT-A\r\n\r\nFGT-A (global) # "), 1)
	if !ok || pr.scope != "global" || pr.char != '#' {
		t.Fatalf("matchEnd = %+v %v", pr, ok)
	}
	if _, ok := pm.matchEnd([]byte("out\r\nFGT-B # "), 1); ok {
		t.Fatal("matched another host's prompt")
	}
	if _, ok := pm.matchEnd([]byte("FGT-A # "), 1); ok {
		t.Fatal("a bare prompt without an echo must not end a command")
	}
	if _, ok := pm.matchEnd([]byte("line\r\nFGT-A # more text"), 1); ok {
		t.Fatal("prompt not at the end matched")
	}
	buf := []byte("get a\r\r\nA\r\n\r\nFGT-A # get b\r\r\nB\r\n\r\nFGT-A # ")
	first, ok := pm.matchAny(buf, 0)
	if !ok || string(buf[:first.start]) != "get a\r\r\nA\r\n\r\n" {
		t.Fatalf("matchAny first = %+v %v", first, ok)
	}
}

// TestPagerAtPosition: a `--More--` waiting at the end is found with its
// stream offset; the same prompt followed by its erase (arriving in a
// packet of its own) has the same offset, so it is not answered twice.
func TestPagerAtPosition(t *testing.T) {
	at, ok := pagerAt([]byte("line\r\n--More-- "), 100)
	if !ok || at != 106 {
		t.Fatalf("pagerAt = %d %v, want 106", at, ok)
	}
	at2, ok := pagerAt([]byte("line\r\n--More-- \r         \r"), 100)
	if !ok || at2 != at {
		t.Fatalf("after the erase: %d %v, want the same offset %d", at2, ok, at)
	}
	if _, ok := pagerAt([]byte("--More-- \r         \rnext line\r\n"), 0); ok {
		t.Error("pager seen with a page after it")
	}
	if _, ok := pagerAt([]byte("set comment \"--More--"), 0); ok {
		t.Error("--More-- inside a line taken for the pager")
	}
	if !tailMatch(bannerRe, []byte("Authorised use only\r\n(Press 'a' to accept):")) {
		t.Error("banner not seen")
	}
	if tailMatch(bannerRe, []byte("(Press 'a' to accept):\r\n")) {
		t.Error("an answered banner (followed by a line end) must not be answered again")
	}
}

func TestCapLines(t *testing.T) {
	long := strings.Repeat("x", MaxLine+10)
	out := capLines("a\n" + long + "\nb")
	ls := strings.Split(out, "\n")
	if len(ls) != 3 || ls[0] != "a" || ls[2] != "b" || len(ls[1]) > MaxLine+40 || !strings.Contains(ls[1], "truncated") {
		t.Fatalf("capLines kept %d bytes in line 2", len(ls[1]))
	}
	if capLines("short") != "short" {
		t.Fatal("short text changed")
	}
}

func TestCleanOutputStripsEchoAndPager(t *testing.T) {
	raw := "show user fortitoken\r\r\nconfig user fortitoken\r\n--More-- \r          \r    edit \"FTK2000000000001\"\r\n    next\r\nend\r\n\r\n"
	got := cleanOutput(raw, "show user fortitoken")
	want := "config user fortitoken\n    edit \"FTK2000000000001\"\n    next\nend"
	if got != want {
		t.Fatalf("cleanOutput = %q, want %q", got, want)
	}
}

func TestCheckLineRefusesControlCharacters(t *testing.T) {
	for _, bad := range []string{"", "  ", "get system status\nexecute reboot", "show\r", "a\x1b[2J", strings.Repeat("a", 2000)} {
		if err := CheckLine(bad); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("CheckLine(%q) = %v", bad, err)
		}
	}
	if err := CheckLine("diagnose fortitoken info"); err != nil {
		t.Error(err)
	}
}

// cleanOutput is what run makes of a raw segment: it removes terminal noise and the echo, caps line lengths and
// trims blank lines at both ends (indentation of the first line is kept).
func cleanOutput(raw, cmd string) string {
	return tidyOutput(parse.StripEcho(parse.Clean(raw), cmd))
}
