package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ftktui/ftktui/fleet"
)

// CSVColumns are the columns of WriteCSV, in order (documented in the README).
var CSVColumns = []string{
	"device", "host", "port", "reachable", "error", "hostname", "model", "version", "serial", "vdom",
	"device_findings", "worst_severity", "scanned_at", "duration_ms",
	"token_serial", "token_kind", "token_status", "token_seed", "token_drift", "token_users",
	"token_diagnosis", "token_severity", "token_step", "token_advice",
}

// WriteCSV writes one row per token with the device's columns repeated, and
// one row with empty token columns for a device without tokens (an
// unreachable one included), so a spreadsheet filter on any column works.
// Lists inside a cell are joined with ';'.
func WriteCSV(w io.Writer, results []fleet.DeviceResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return err
	}
	for _, r := range results {
		var codes []string
		for _, f := range r.Findings {
			if f.Token == "" {
				codes = append(codes, string(f.Code))
			}
		}
		scanned := ""
		if !r.ScannedAt.IsZero() {
			scanned = r.ScannedAt.UTC().Format(time.RFC3339)
		}
		dev := []string{
			cell(r.Name), cell(r.Host), strconv.Itoa(r.Port), strconv.FormatBool(r.Reachable), cell(r.Error),
			cell(r.Hostname), cell(r.Model), cell(r.Version), cell(r.Serial), cell(r.VDOM),
			strings.Join(codes, ";"), string(worst(r)), scanned, strconv.FormatInt(r.DurationMS, 10),
		}
		if len(r.Tokens) == 0 {
			if err := cw.Write(append(dev, make([]string, len(CSVColumns)-len(dev))...)); err != nil {
				return err
			}
			continue
		}
		for _, t := range r.Tokens {
			row := append(append([]string(nil), dev...),
				cell(t.Serial), t.Kind, cell(t.Status), strconv.FormatBool(t.Seed), strconv.Itoa(t.Drift),
				cell(strings.Join(t.Users, ";")), string(t.Diagnosis), string(t.Severity), t.Step, cell(t.Advice))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// cell neutralises spreadsheet formulas: text read from a device (a user
// name, an error) that starts with = + - @ would run as a formula when the
// CSV is opened in a spreadsheet, so it gets a leading apostrophe (OWASP's
// CSV-injection advice). Numbers and our own codes never go through here.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
