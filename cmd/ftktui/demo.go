package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tui"
)

// demoCmd is `ftktui demo`: the TUI on a built-in simulated fleet.
type demoCmd struct {
	Devices  int    `name:"devices" default:"12" help:"Number of simulated devices (12 shows every scenario)."`
	Seed     int64  `name:"seed" default:"1" help:"Simulator seed."`
	StateOut string `name:"state-out" hidden:"" help:"At exit, write every simulated device's debug state as JSON (tests)."`
}

// Run starts the simulator in a temp dir, runs the TUI on it and stops
// everything it started when the TUI exits.
func (c *demoCmd) Run(ctx context.Context, g *Globals) error {
	if c.Devices < 1 {
		return usageErr("--devices must be at least 1")
	}
	if !isTerminal(os.Stdout) || !isTerminal(os.Stdin) {
		return usageErr("demo runs the console and needs a terminal; without one, run 'ftktui sim --out DIR' and 'ftktui scan -i DIR/inventory.yaml'")
	}
	dir, err := os.MkdirTemp("", "ftktui-demo-")
	if err != nil {
		return fmt.Errorf("demo temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	// The fleet must outlive ctx: on SIGTERM/SIGHUP ctx ends first, and the
	// TUI still has to disarm the debug streams on the simulated devices.
	// The deferred Close stops it once the TUI is done.
	f, err := sim.Start(context.WithoutCancel(ctx), sim.Options{Devices: c.Devices, Listen: "127.0.0.1:0", Seed: c.Seed})
	if err != nil {
		return fmt.Errorf("start simulated fleet: %w", err)
	}
	defer f.Close()
	if err := f.WriteFiles(dir); err != nil {
		return fmt.Errorf("demo files: %w", err)
	}
	// The generated inventory reads the password from FTKTUI_PASSWORD.
	if err := os.Setenv("FTKTUI_PASSWORD", f.Password()); err != nil {
		return err
	}
	dg := *g
	dg.Inventory = filepath.Join(dir, "inventory.yaml")
	dg.AskPass = false
	if dg.AuditLog == "" {
		dg.AuditLog = filepath.Join(dir, "audit.jsonl")
	}
	inv, err := dg.loadInventory()
	if err != nil {
		return err
	}
	e, closeAudit, err := dg.engine(inv)
	if err != nil {
		return err
	}
	defer closeAudit()
	runErr := tui.Run(ctx, tui.Options{
		Backend:   tui.NewFleetBackend(e),
		Inventory: "demo: " + inv.Path,
		ReadOnly:  g.ReadOnly,
		Theme:     g.theme(),
	})
	if c.StateOut != "" {
		if err := writeDemoState(c.StateOut, f); err != nil && runErr == nil {
			runErr = err
		}
	}
	return runErr
}

// demoDeviceState is what --state-out records for the end-to-end test.
type demoDeviceState struct {
	Name         string         `json:"name"`
	DebugEnabled bool           `json:"debug_enabled"`
	DebugLevels  map[string]int `json:"debug_levels"`
	DebugClean   bool           `json:"debug_clean"`
	ResetCount   int            `json:"reset_count"`
	Commands     int            `json:"commands"`
}

func writeDemoState(path string, f *sim.Fleet) error {
	var out []demoDeviceState
	for _, d := range f.Devices() {
		st := d.State()
		out = append(out, demoDeviceState{Name: d.Name(), DebugEnabled: st.DebugEnabled, DebugLevels: st.DebugLevels,
			DebugClean: st.DebugClean(), ResetCount: st.ResetCount, Commands: len(st.Commands)})
	}
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o600)
}
