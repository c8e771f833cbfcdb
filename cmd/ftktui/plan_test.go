package main

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/fleet"
)

// A refused plan says that nothing went out, like every other refusal: a
// second admin (or script) racing the first reads it to know the unit was
// not touched.
func TestPrintPlanRefusalSaysNothingSent(t *testing.T) {
	p := &fleet.Plan{Request: fleet.ActionRequest{Action: fleet.ActionActivate, Device: "fw", Token: "FTK2000000000001"},
		Refused: "the token is already active", Advice: "nothing to do"}
	var b strings.Builder
	printPlan(&b, p, "inv.yaml")
	if out := b.String(); !strings.Contains(out, "Refused, nothing sent: the token is already active\n") ||
		!strings.Contains(out, "Advice: nothing to do\n") {
		t.Fatalf("refused plan printed:\n%s", out)
	}
}
