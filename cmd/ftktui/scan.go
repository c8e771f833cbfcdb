package main

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/report"
)

// scanCmd is `ftktui scan`: KB steps 1–3 headless.
type scanCmd struct {
	JSON        bool          `name:"json" help:"Same as --format json."`
	Format      string        `name:"format" placeholder:"FMT" enum:"table,json,jsonl,csv,prom," default:"" help:"Output: table (default), json, jsonl (one device a line), csv (one token a row), prom (Prometheus text format)."`
	Output      string        `name:"output" short:"o" placeholder:"FILE" help:"Write the report to FILE atomically (temp file + rename) instead of stdout."`
	Concurrency int           `name:"concurrency" default:"0" placeholder:"N" help:"Hard cap on devices scanned at once (default: adapts to the wire and the CPU, up to 256; 8 handshakes at a time per jump host; settings file: concurrency)."`
	Timeout     time.Duration `name:"timeout" default:"2m" help:"Time limit for the whole scan of one device (settings file: timeout)."`
	Device      []string      `name:"device" placeholder:"NAME" help:"Scan only this device (repeatable)."`
	Tag         []string      `name:"tag" placeholder:"T" help:"Scan only devices with this tag; repeated --tag selects devices with ANY of them, --tag a+b those with ALL of a and b."`
}

// Run scans and prints; exit 1 when any error finding or unreachable device.
func (c *scanCmd) Run(ctx context.Context, g *Globals) error {
	if g.cfg != nil && g.cfg.Concurrency > 0 && !g.setBy("concurrency") {
		c.Concurrency = g.cfg.Concurrency
	}
	if g.cfg != nil && g.cfg.Timeout > 0 && !g.setBy("timeout") {
		c.Timeout = g.cfg.Timeout
	}
	if c.Concurrency < 0 {
		return usageErr("--concurrency must be at least 1 (or 0 to adapt)")
	}
	if c.Timeout <= 0 {
		return usageErr("--timeout must be positive")
	}
	format, err := c.outputFormat()
	if err != nil {
		return err
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
	if err := inv.CheckAuth(devs); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	softMemoryLimit(len(devs))
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
	started := time.Now()
	results := e.Scan(ctx, devs, progress)
	saveTokenCache(inv.Path, results) // serials for shell completion of --token
	scan := report.PromScan{Finished: time.Now(), Duration: time.Since(started), Complete: ctx.Err() == nil}
	if isTerminal(os.Stderr) {
		fmt.Fprint(os.Stderr, "\r\x1b[K")
	}
	if ctx.Err() != nil {
		fmt.Fprintln(os.Stderr, "ftktui: scan interrupted; devices not finished are reported as such")
	}
	fleet.CrossReference(fleet.Pointers(results))
	scope := fleet.NewCrossScope(results, len(inv.Devices))
	if err := emitScan(c.Output, format, results, scope, scan); err != nil {
		return err
	}
	if code := report.ExitCode(results); code != 0 {
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

// softMemoryLimit sets a scan's soft heap limit: the garbage of thousands
// of short SSH sessions otherwise lets RSS grow to twice the live heap
// before a collection. The results themselves (~24 KiB a device) must fit
// under it, or the collector would run all the time. GOMEMLIMIT wins.
func softMemoryLimit(devices int) {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(96<<20 + int64(devices)*24<<10)
	}
}
