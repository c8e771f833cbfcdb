package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ftktui/ftktui/fleet"
)

// scanCmd is `ftktui scan`: KB steps 1–3 headless.
type scanCmd struct {
	JSON        bool          `name:"json" help:"Print the JSON report of spec §5 instead of the table."`
	Concurrency int           `name:"concurrency" default:"0" placeholder:"N" help:"Hard cap on devices scanned at once (default: adapts to the wire and the CPU, up to 1024; 8 handshakes at a time per jump host)."`
	Timeout     time.Duration `name:"timeout" default:"2m" help:"Time limit for the whole scan of one device."`
	Device      []string      `name:"device" placeholder:"NAME" help:"Scan only this device (repeatable)."`
	Tag         []string      `name:"tag" placeholder:"T" help:"Scan only devices with this tag (repeatable)."`
}

// Run scans and prints; exit 1 when any error finding or unreachable device.
func (c *scanCmd) Run(ctx context.Context, g *Globals) error {
	if c.Concurrency < 0 {
		return usageErr("--concurrency must be at least 1 (or 0 to adapt)")
	}
	if c.Timeout <= 0 {
		return usageErr("--timeout must be positive")
	}
	inv, err := g.loadInventory()
	if err != nil {
		return err
	}
	devs, err := inv.Select(c.Device, c.Tag)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := inv.Prepare(devs); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	e, closeAudit, err := g.engine(inv)
	if err != nil {
		return err
	}
	defer closeAudit()
	e.Concurrency = c.Concurrency
	e.DeviceTimeout = c.Timeout

	progress := func(fleet.Event) {}
	if isTerminal(os.Stderr) {
		progress = func(ev fleet.Event) {
			if ev.Kind == fleet.EventFinished {
				fmt.Fprintf(os.Stderr, "\r\x1b[Kscanning %d/%d  %s", ev.Done, ev.Total, ev.Device)
			}
		}
	}
	results := e.Scan(ctx, devs, progress)
	if isTerminal(os.Stderr) {
		fmt.Fprint(os.Stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "ftktui: scan interrupted; devices not finished are reported as such")
	}
	if c.JSON {
		if err := writeReport(os.Stdout, results); err != nil {
			return fmt.Errorf("write JSON: %w", err)
		}
	} else {
		fleet.WriteTable(os.Stdout, results, useColor(os.Stdout))
	}
	if code := fleet.ExitCode(results); code != 0 {
		return &exitError{code: code, err: errSilent}
	}
	return nil
}

// useColor honours NO_COLOR and only colours terminals.
func useColor(f *os.File) bool {
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		return false
	}
	return isTerminal(f)
}
