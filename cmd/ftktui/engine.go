package main

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"golang.org/x/term"
)

// inventoryPath resolves -i, then $FTKTUI_INVENTORY (kong reads it), then
// the settings file's inventory, then ./inventory.yaml.
func (g *Globals) inventoryPath() string {
	if g.Inventory != "" {
		return g.Inventory
	}
	if g.cfg != nil && g.cfg.Inventory != "" {
		return g.cfg.Inventory
	}
	return "inventory.yaml"
}

// loadInventory reads the inventory; every mistake is a usage error (exit 2)
// listing FILE:LINE problems.
func (g *Globals) loadInventory() (*inventory.Inventory, error) {
	o := inventory.LoadOptions{Hosts: g.Hosts}
	if g.cfg != nil {
		o.Defaults = g.cfg.Defaults
	}
	if g.AskPass {
		o.AskPass = askPassword
	}
	inv, err := inventory.Load(g.inventoryPath(), o)
	if err != nil {
		var ie *inventory.InventoryError
		if errors.As(err, &ie) {
			return nil, &exitError{code: exitUsage, err: fmt.Errorf("inventory has mistakes:\n%v", err)}
		}
		return nil, &exitError{code: exitUsage, err: err}
	}
	for _, n := range inv.Notes {
		fmt.Fprintln(os.Stderr, "ftktui: note:", n)
	}
	return inv, nil
}

// inventoryFor loads the inventory for a one-device command: the device
// must be in it, and its password is asked for (--ask-pass) before any dial.
func (g *Globals) inventoryFor(name string) (*inventory.Inventory, error) {
	inv, err := g.loadInventory()
	if err != nil {
		return nil, err
	}
	d, ok := inv.Device(name)
	if !ok {
		return nil, usageErr("no device %q in %s", name, inv.Path)
	}
	if err := inv.Prepare([]inventory.Device{d}); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if err := inv.CheckAuth([]inventory.Device{d}); err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	return inv, nil
}

// engine builds the fleet engine for an inventory with the global flags applied.
// The returned close function flushes and closes the audit log.
func (g *Globals) engine(inv *inventory.Inventory) (*fleet.Engine, func(), error) {
	path := g.AuditLog
	if path == "" {
		path = fleet.DefaultAuditPath()
	}
	audit, err := fleet.OpenAudit(path)
	if err != nil {
		return nil, nil, &exitError{code: exitUsage, err: fmt.Errorf("audit log: %w", err)}
	}
	e := &fleet.Engine{
		Inv:               inv,
		ReadOnly:          g.ReadOnly,
		AcceptNewHostKeys: g.AcceptNewHostKeys,
		Audit:             audit,
	}
	return e, func() { _ = audit.Close() }, nil
}

// askPassword prompts once on the controlling terminal, masked.
func askPassword() (string, error) {
	tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
	if err != nil {
		return "", fmt.Errorf("--ask-pass needs a terminal: %w", err)
	}
	defer tty.Close()
	fmt.Fprint(tty, "SSH password: ")
	b, err := term.ReadPassword(int(tty.Fd()))
	fmt.Fprintln(tty)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// isTerminal reports whether f is an interactive terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
