package tui

import (
	"strings"
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
