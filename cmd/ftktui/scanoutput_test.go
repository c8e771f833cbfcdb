package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/report"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// Every --format value, on the report package's fixture: table and json are
// golden here, jsonl/csv/prom must be the report package's golden bytes.
func TestScanOutputGolden(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "report", "testdata", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep fleet.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	scan := report.PromScan{Finished: time.Date(2026, 12, 2, 6, 0, 21, 500e6, time.UTC), Duration: 20500 * time.Millisecond, Complete: true}
	for _, tc := range []struct{ format, golden string }{
		{"table", "testdata/scan.table"},
		{"json", "testdata/scan.json"},
		{"jsonl", "../../report/testdata/scan.jsonl"},
		{"csv", "../../report/testdata/scan.csv"},
		{"prom", "../../report/testdata/scan.prom"},
	} {
		var got bytes.Buffer
		// A partial scan: the JSON says what the cross-reference covered and the table prints the note.
		scope := fleet.NewCrossScope(rep.Devices, len(rep.Devices)+3)
		if err := writeScanOutput(&got, tc.format, rep.Devices, scope, scan, false); err != nil {
			t.Fatalf("%s: %v", tc.format, err)
		}
		if *update && strings.HasPrefix(tc.golden, "testdata/") {
			if err := os.WriteFile(tc.golden, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(tc.golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("--format %s differs from %s:\n%s", tc.format, tc.golden, got.String())
		}
	}
}

func TestOutputFormatFlags(t *testing.T) {
	for _, tc := range []struct {
		json   bool
		format string
		want   string
		bad    bool
	}{
		{false, "", "table", false},
		{true, "", "json", false},
		{true, "json", "json", false},
		{true, "csv", "", true},
		{false, "prom", "prom", false},
		{false, "xml", "", true},
	} {
		got, err := (&scanCmd{JSON: tc.json, Format: tc.format}).outputFormat()
		if (err != nil) != tc.bad || got != tc.want {
			t.Errorf("--json=%v --format=%q: %q, %v", tc.json, tc.format, got, err)
		}
	}
}

// A real scan of the simulated fleet written with --format prom --output:
// the file appears whole, parses as Prometheus text, and has one up series
// per device; the exit code is the scan's (findings), not the writer's.
func TestScanPromOutputEndToEnd(t *testing.T) {
	f := testkit.StartFleet(t, sim.Options{Devices: 4})
	out := filepath.Join(t.TempDir(), "ftktui.prom")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	code := run([]string{"scan", "-i", f.Inventory, "--format", "prom", "--output", out, "--timeout", "8s",
		"--audit-log", filepath.Join(f.Dir, "audit.jsonl")})
	if code != exitOK && code != exitFindings {
		t.Fatalf("exit %d", code)
	}
	fh, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := parser.TextToMetricFamilies(fh)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(mfs[report.MetricDeviceUp].GetMetric()); n != 4 {
		t.Errorf("%d ftktui_device_up series, want 4", n)
	}
	if v := mfs[report.MetricScanSuccess].GetMetric()[0].GetGauge().GetValue(); v != 1 {
		t.Errorf("ftktui_scan_success = %v", v)
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	if len(ents) != 1 {
		t.Errorf("temp files left: %v", ents)
	}
}
