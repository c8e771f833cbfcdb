// Package report writes scan results in the formats made for other tools:
// JSON lines (one device a line), CSV (one token a row) and the Prometheus
// text exposition format (for node_exporter's textfile collector), and
// writes files atomically so a reader never sees half a report.
//
// The table and the single JSON document stay where they are (fleet and
// cmd/ftktui); this package only adds formats and depends on fleet's types.
package report
