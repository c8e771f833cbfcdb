package tui

import (
	"strings"

	"github.com/ftktui/ftktui/parse"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrapTextIndentsAndBounds(t *testing.T) {
	long := "  ⚠ FortiToken-200 hardware tokens are locked at FortiGuard on first activation " + strings.Repeat("x", 120)
	lines := wrapText(long, 40, paint{})
	if len(lines) < 4 {
		t.Fatalf("not wrapped: %q", lines)
	}
	for i, l := range lines {
		if ansi.StringWidth(l) > 40 {
			t.Errorf("line %d is %d wide: %q", i, ansi.StringWidth(l), l)
		}
		if i > 0 && !strings.HasPrefix(l, "    ") {
			t.Errorf("continuation %d not indented: %q", i, l)
		}
	}
	if got := wrapText("short", 40, paint{}); len(got) != 1 || got[0] != "short" {
		t.Fatalf("short text: %q", got)
	}
	_ = wrapText(strings.Repeat("y", 500), 3, paint{}) // tiny widths must terminate
}

func TestLineTextRedactsAlertmailWording(t *testing.T) {
	l := parse.DebugLine{Raw: `alertmail_send_ftm_activation[812]:FortiToken Mobile activation code BF5R6CTNYNCCWXLW for FTKMOB8B70354ACB to "jdoe@example.com"`}
	got := lineText(l)
	if strings.Contains(got, "BF5R6CTNYNCCWXLW") || !strings.Contains(got, "FTKMOB8B70354ACB") {
		t.Fatalf("lineText = %q", got)
	}
	if got := lineText(parse.DebugLine{Raw: "activation code: 123456"}); strings.Contains(got, "123456") {
		t.Fatalf("colon form leaked: %q", got)
	}
}

// `w` must not lose characters at the wrap point: every row fits the pane
// and the chunks put together are the whole line.
func TestDebugWrapKeepsEveryCharacter(t *testing.T) {
	m := New(Options{NoColor: true})
	raw := `[forticldd] 2026-12-01 10:00:01 {"serial":"FTKMOB8B70354ACB","activation_expire":1733,"x":"ok","é":"ü"}`
	want := lineText(parse.DebugLine{Raw: raw})
	for w := 20; w < 90; w++ {
		out := m.dbg.renderDebugLine(parse.DebugLine{Raw: raw, Source: parse.SourceForticldd}, w, "", true)
		var b strings.Builder
		for _, o := range out {
			o = ansi.Strip(o)
			if ansi.StringWidth(o) > w {
				t.Fatalf("w=%d: row %q is %d wide", w, o, ansi.StringWidth(o))
			}
			b.WriteString(ansi.Cut(o, debugPrefixW, ansi.StringWidth(o)))
		}
		if b.String() != want {
			t.Fatalf("w=%d: wrapped text\n%q\nwant\n%q", w, b.String(), want)
		}
	}
}
