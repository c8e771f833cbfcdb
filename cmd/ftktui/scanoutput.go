package main

import (
	"fmt"
	"io"
	"os"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/report"
)

// scanFormats are the values of `scan --format` (docs/spec.md §2).
var scanFormats = []string{"table", "json", "jsonl", "csv", "prom"}

// outputFormat resolves --format and its alias --json.
func (c *scanCmd) outputFormat() (string, error) {
	f := c.Format
	if c.JSON {
		if f != "" && f != "json" {
			return "", usageErr("--json means --format json; it cannot go with --format %s", f)
		}
		f = "json"
	}
	if f == "" {
		f = "table"
	}
	for _, ok := range scanFormats {
		if f == ok {
			return f, nil
		}
	}
	return "", usageErr("--format %q: want one of table, json, jsonl, csv, prom", f)
}

// writeScanOutput writes results in format to w. color only affects the table.
// scope says what the fleet-wide cross-reference covered: the JSON report
// carries it, the table prints its note when the scan was partial.
func writeScanOutput(w io.Writer, format string, results []fleet.DeviceResult, scope fleet.CrossScope, scan report.PromScan, color bool) error {
	switch format {
	case "json":
		return report.WriteJSON(w, fleet.Report{Devices: results, CrossReference: &scope})
	case "jsonl":
		return report.WriteJSONL(w, results)
	case "csv":
		return report.WriteCSV(w, results)
	case "prom":
		return report.WritePrometheus(w, results, scan)
	}
	if err := report.WriteTable(w, results, color); err != nil {
		return err
	}
	if scope.Partial {
		_, err := fmt.Fprintln(w, "note: "+scope.Note)
		return err
	}
	return nil
}

// emitScan writes the report to stdout, or atomically to path when set.
func emitScan(path, format string, results []fleet.DeviceResult, scope fleet.CrossScope, scan report.PromScan) error {
	if path == "" {
		if err := writeScanOutput(os.Stdout, format, results, scope, scan, useColor(os.Stdout)); err != nil {
			return fmt.Errorf("write %s report: %w", format, err)
		}
		return nil
	}
	return report.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		return writeScanOutput(w, format, results, scope, scan, false)
	})
}
