package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ftktui/ftktui/fleet"
)

// DeviceCSVColumns are the columns of WriteDeviceCSV, in order.
var DeviceCSVColumns = []string{
	"device", "host", "port", "state", "hostname", "model", "version", "serial", "vdom",
	"tokens", "tokens_not_ok", "findings", "worst_severity", "error", "scanned_at",
}

// WriteDeviceCSV writes one row per device (the console's fleet list);
// findings lists each finding code once, device and token, joined with ';'.
// state is ok, warn, error, unreachable, scan-error or "not scanned".
func WriteDeviceCSV(w io.Writer, results []fleet.DeviceResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(DeviceCSVColumns); err != nil {
		return err
	}
	for _, r := range results {
		notOK := 0
		for _, t := range r.Tokens {
			if t.Diagnosis != fleet.CodeOK {
				notOK++
			}
		}
		var codes []string
		seen := map[fleet.Code]bool{}
		for _, f := range r.Findings {
			if !seen[f.Code] {
				seen[f.Code] = true
				codes = append(codes, string(f.Code))
			}
		}
		scanned := ""
		if !r.ScannedAt.IsZero() {
			scanned = r.ScannedAt.UTC().Format(time.RFC3339)
		}
		if err := cw.Write([]string{
			cell(r.Name), cell(r.Host), strconv.Itoa(r.Port), deviceState(r), cell(r.Hostname), cell(r.Model),
			cell(r.Version), cell(r.Serial), cell(r.VDOM), strconv.Itoa(len(r.Tokens)), strconv.Itoa(notOK),
			strings.Join(codes, ";"), string(worst(r)), cell(r.Error), scanned,
		}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func deviceState(r fleet.DeviceResult) string {
	switch {
	case r.ScannedAt.IsZero() && !r.Reachable && r.Error == "":
		return "not scanned"
	case !r.Reachable:
		return "unreachable"
	case r.Error != "":
		return "scan-error"
	case worst(r) == "" || worst(r) == fleet.SevInfo:
		return "ok"
	}
	return string(worst(r))
}

// worst is the most severe of the device's findings and token diagnoses, as
// the console's fleet list shows it.
func worst(r fleet.DeviceResult) fleet.Severity {
	w := r.Worst()
	for _, t := range r.Tokens {
		switch {
		case t.Severity == fleet.SevError:
			return fleet.SevError
		case t.Severity == fleet.SevWarn && w != fleet.SevError:
			w = fleet.SevWarn
		case t.Severity == fleet.SevInfo && w == "":
			w = fleet.SevInfo
		}
	}
	return w
}
