package main

import (
	"context"
	"os"

	"github.com/ftktui/ftktui/tui"
)

// consoleCmd is plain `ftktui [-i FILE]`: the TUI over an inventory.
type consoleCmd struct{}

// Run loads the inventory and runs the TUI until the admin quits.
func (consoleCmd) Run(ctx context.Context, g *Globals) error {
	if !isTerminal(os.Stdout) || !isTerminal(os.Stdin) {
		return usageErr("the console needs a terminal; for scripts use 'ftktui scan --json'")
	}
	inv, err := g.loadInventory()
	if err != nil {
		return err
	}
	if err := inv.Prepare(inv.Devices); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := inv.CheckAuth(inv.Devices); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	e, closeAudit, err := g.engine(inv)
	if err != nil {
		return err
	}
	defer closeAudit()
	return tui.Run(ctx, tui.Options{
		Backend:   tui.NewFleetBackend(e),
		Inventory: inv.Path,
		ReadOnly:  g.ReadOnly,
		Theme:     g.theme(),
	})
}
