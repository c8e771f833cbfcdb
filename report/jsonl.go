package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/ftktui/ftktui/fleet"
)

// WriteJSONL writes one device object of docs/spec.md §5 per line (the objects of
// the JSON report's "devices" array), for jq, log shippers and line tools.
func WriteJSONL(w io.Writer, results []fleet.DeviceResult) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i := range results {
		if err := enc.Encode(&results[i]); err != nil {
			return fmt.Errorf("device %s: %w", results[i].Name, err)
		}
	}
	return bw.Flush()
}
