package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ftktui/ftktui/fleet"
)

// WriteJSON writes the `scan --json` document: rep exactly as an indenting
// json.Encoder would, one device at a time: encoding the whole report at
// once held the full text twice (marshal + indent), ~3× a 15 MB report for
// 1,000 devices, which dominated the scan's peak memory (bench/ BENCHMARKS.md).
func WriteJSON(w io.Writer, rep fleet.Report) error {
	results := rep.Devices
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(results) == 0 {
		if _, err := bw.WriteString("{\n  \"devices\": []"); err != nil {
			return err
		}
		return finishReport(bw, rep)
	}
	if _, err := bw.WriteString("{\n  \"devices\": [\n    "); err != nil {
		return err
	}
	for i := range results {
		b, err := json.MarshalIndent(&results[i], "    ", "  ")
		if err != nil {
			return fmt.Errorf("device %s: %w", results[i].Name, err)
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
		sep := ",\n    "
		if i == len(results)-1 {
			sep = "\n  ]"
		}
		if _, err := bw.WriteString(sep); err != nil {
			return err
		}
	}
	return finishReport(bw, rep)
}

// finishReport writes the fields after "devices" and closes the document.
func finishReport(bw *bufio.Writer, rep fleet.Report) error {
	if rep.CrossReference != nil {
		b, err := json.MarshalIndent(rep.CrossReference, "  ", "  ")
		if err != nil {
			return fmt.Errorf("cross_reference: %w", err)
		}
		if _, err := bw.WriteString(",\n  \"cross_reference\": "); err != nil {
			return err
		}
		if _, err := bw.Write(b); err != nil {
			return err
		}
	}
	if _, err := bw.WriteString("\n}\n"); err != nil {
		return err
	}
	return bw.Flush()
}
