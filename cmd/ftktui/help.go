package main

import (
	"strings"

	"github.com/alecthomas/kong"
	"github.com/ftktui/ftktui/sim"
)

// exitCodesHelp is printed by --help: scripts branch on these.
const exitCodesHelp = `Exit codes:
  0  success: no error finding (scan), action verified (activate/readd/resend/renew)
  1  an error finding or unreachable device (scan); action refused, failed or not verified
  2  bad input: usage, inventory, no device selected, missing password source, no terminal`

// Help adds the exit codes to `scan --help`.
func (scanCmd) Help() string { return exitCodesHelp }

// Help adds the exit codes to the action commands' --help.
func (actionCmd) Help() string { return exitCodesHelp }

// Help lists the scenario names `--scenario` accepts.
func (simCmd) Help() string { return "Scenarios: " + scenarioNames() }

func scenarioNames() string {
	var s []string
	for _, sc := range append(sim.AllScenarios(), sim.ExtraScenarios()...) {
		s = append(s, string(sc))
	}
	return strings.Join(s, ", ")
}

// globalsFor lists, per command, the common flags that do something there;
// --help hides the others (sim has its own inventory and password, demo
// generates both).
var globalsFor = map[string][]string{
	"sim":        {},
	"version":    {},
	"completion": {},
	"man":        {},
	"demo":       {"read-only", "audit-log"},
}

// helpPrinter is kong's default help with the common flags that do nothing
// in the selected command hidden.
func helpPrinter(options kong.HelpOptions, ctx *kong.Context) error {
	var keep []string
	ok := false
	if sel := ctx.Selected(); sel != nil {
		keep, ok = globalsFor[sel.Name]
	}
	if ok {
		var hidden []*kong.Flag
		for _, f := range ctx.Model.Node.Flags {
			if f.Hidden || f.Name == "help" || contains(keep, f.Name) {
				continue
			}
			f.Hidden = true
			hidden = append(hidden, f)
		}
		defer func() {
			for _, f := range hidden {
				f.Hidden = false
			}
		}()
	}
	return kong.DefaultHelpPrinter(options, ctx)
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
