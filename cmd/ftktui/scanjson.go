package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ftktui/ftktui/fleet"
)

// writeReport writes fleet.Report{Devices: results} exactly as an indenting
// json.Encoder would, one device at a time: encoding the whole report at
// once held the full text twice (marshal + indent), ~3× a 15 MB report for
// 1,000 devices, which dominated the scan's peak memory (bench/ BENCHMARKS.md).
func writeReport(w io.Writer, results []fleet.DeviceResult) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if len(results) == 0 {
		if _, err := bw.WriteString("{\n  \"devices\": []\n}\n"); err != nil {
			return err
		}
		return bw.Flush()
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
			sep = "\n  ]\n}\n"
		}
		if _, err := bw.WriteString(sep); err != nil {
			return err
		}
	}
	return bw.Flush()
}
