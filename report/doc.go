// Package report is the presentation of scan results: the terminal table
// (WriteTable, with ANSI colours), the `scan --json` document (WriteJSON,
// streamed), the exit status (ExitCode), and the formats made for other
// tools: JSON lines (one device a line), CSV (one token a row) and the
// Prometheus text exposition format (for node_exporter's textfile
// collector). It writes files atomically so a reader never sees half a
// report. It depends on fleet's result types; fleet never imports it.
package report
