package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ftktui/ftktui/fleet"
)

// TestWriteReportMatchesEncoder: the streamed report is byte for byte what
// an indenting json.Encoder writes, for 0, 1 and several devices.
func TestWriteReportMatchesEncoder(t *testing.T) {
	dev := func(name string, tokens int) fleet.DeviceResult {
		r := fleet.DeviceResult{Name: name, Host: "127.0.0.1", Port: 22, Reachable: true, Hostname: "FGT-" + name,
			FortiGuard: []fleet.PingCheck{{Host: "fds1.fortinet.com", Reachable: true}}, Findings: []fleet.Finding{}}
		for i := 0; i < tokens; i++ {
			r.Tokens = append(r.Tokens, fleet.TokenResult{Serial: "FTK2000000000000", Kind: "hardware", Status: "new",
				Users: []string{"jdoe", "a<b>&c"}, Diagnosis: fleet.CodeNeedsActivation, Severity: fleet.SevWarn})
		}
		return r
	}
	for _, results := range [][]fleet.DeviceResult{nil, {dev("a", 0)}, {dev("a", 2), dev("b", 0), dev("c", 3)}} {
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(fleet.Report{Devices: results}); err != nil {
			t.Fatal(err)
		}
		if results == nil {
			// Report{nil} encodes as null; the CLI always passes a slice.
			want.Reset()
			if err := enc.Encode(fleet.Report{Devices: []fleet.DeviceResult{}}); err != nil {
				t.Fatal(err)
			}
		}
		if err := writeReport(&got, results); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%d devices:\nstreamed\n%s\nencoder\n%s", len(results), got.String(), want.String())
		}
	}
}
