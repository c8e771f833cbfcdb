package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ftktui/ftktui/fleet"
)

// TestWriteJSONMatchesEncoder: the streamed report is byte for byte what
// an indenting json.Encoder writes, for 0, 1 and several devices.
func TestWriteJSONMatchesEncoder(t *testing.T) {
	dev := func(name string, tokens int) fleet.DeviceResult {
		r := fleet.DeviceResult{Name: name, Host: "127.0.0.1", Port: 22, Reachable: true, Hostname: "FGT-" + name,
			FortiGuard: []fleet.PingCheck{{Host: "fds1.fortinet.com", Reachable: true}}, Findings: []fleet.Finding{}}
		for i := 0; i < tokens; i++ {
			r.Tokens = append(r.Tokens, fleet.TokenResult{Serial: "FTK2000000000000", Kind: "hardware", Status: "new",
				Users: []string{"jdoe", "a<b>&c"}, Diagnosis: fleet.CodeNeedsActivation, Severity: fleet.SevWarn})
		}
		return r
	}
	for k, results := range [][]fleet.DeviceResult{nil, {dev("a", 0)}, {dev("a", 2), dev("b", 0), dev("c", 3)}, nil, {dev("d", 1)}} {
		var scope *fleet.CrossScope
		if k >= 3 {
			s := fleet.NewCrossScope(results, 7)
			scope = &s
		}
		var want, got bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		rep := fleet.Report{Devices: results, CrossReference: scope}
		if rep.Devices == nil {
			// Report{nil} encodes as null; the CLI always passes a slice.
			rep.Devices = []fleet.DeviceResult{}
		}
		if err := enc.Encode(rep); err != nil {
			t.Fatal(err)
		}
		if err := WriteJSON(&got, fleet.Report{Devices: results, CrossReference: scope}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("%d devices:\nstreamed\n%s\nencoder\n%s", len(results), got.String(), want.String())
		}
	}
}
