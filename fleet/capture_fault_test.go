package fleet

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

func line(i int) parse.DebugLine {
	s := fmt.Sprintf("line %d", i)
	return parse.DebugLine{Message: s, Raw: s}
}

// A flooding device cannot grow an action's capture without bound: the
// first half and the latest lines are kept in order, with a notice of how
// many were dropped between them.
func TestDebugCaptureBounded(t *testing.T) {
	c := newDebugCapture(10)
	for i := range 1000 {
		c.add(line(i))
	}
	got := c.lines()
	if len(got) != 11 {
		t.Fatalf("%d lines kept, want 10 + a notice", len(got))
	}
	for i := range 5 {
		if got[i].Message != fmt.Sprintf("line %d", i) {
			t.Errorf("head[%d] = %q", i, got[i].Message)
		}
	}
	if !strings.Contains(got[5].Message, "990 debug lines dropped") {
		t.Errorf("notice = %q", got[5].Message)
	}
	for i := range 5 {
		if want := fmt.Sprintf("line %d", 995+i); got[6+i].Message != want {
			t.Errorf("tail[%d] = %q, want %q", i, got[6+i].Message, want)
		}
	}
	small := newDebugCapture(10)
	for i := range 7 {
		small.add(line(i))
	}
	if got := small.lines(); len(got) != 7 || got[6].Message != "line 6" {
		t.Errorf("under the bound: %v", got)
	}
}
