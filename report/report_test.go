package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/ftktui/ftktui/fleet"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func loadResults(t *testing.T) []fleet.DeviceResult {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep fleet.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return rep.Devices
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update once)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

var testScan = PromScan{Finished: time.Date(2026, 12, 2, 6, 0, 21, 500e6, time.UTC), Duration: 20500 * time.Millisecond, Complete: true}

func TestGoldenFormats(t *testing.T) {
	res := loadResults(t)
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"scan.jsonl", func(b *bytes.Buffer) error { return WriteJSONL(b, res) }},
		{"scan.csv", func(b *bytes.Buffer) error { return WriteCSV(b, res) }},
		{"fleet.csv", func(b *bytes.Buffer) error {
			return WriteDeviceCSV(b, append(res, fleet.DeviceResult{Name: "new-fw1", Host: "192.0.2.99", Port: 22}))
		}},
		{"scan.prom", func(b *bytes.Buffer) error { return WritePrometheus(b, res, testScan) }},
	} {
		var b bytes.Buffer
		if err := tc.write(&b); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		golden(t, tc.name, b.Bytes())
	}
}

// Each JSONL line is one whole device object that decodes back to the same
// result the JSON report carries.
func TestJSONLRoundTrip(t *testing.T) {
	res := loadResults(t)
	var b bytes.Buffer
	if err := WriteJSONL(&b, res); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != len(res) {
		t.Fatalf("%d lines for %d devices", len(lines), len(res))
	}
	for i, l := range lines {
		var d fleet.DeviceResult
		if err := json.Unmarshal([]byte(l), &d); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if d.Name != res[i].Name || len(d.Tokens) != len(res[i].Tokens) || len(d.Findings) != len(res[i].Findings) {
			t.Errorf("line %d = %+v", i+1, d)
		}
	}
}

// The prom output parses with Prometheus' own parser, counts tokens per
// diagnosis (no serial label anywhere) and carries the scan's own metrics.
func TestPrometheusParses(t *testing.T) {
	var b bytes.Buffer
	if err := WritePrometheus(&b, loadResults(t), testScan); err != nil {
		t.Fatal(err)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	mfs, err := p.TextToMetricFamilies(&b)
	if err != nil {
		t.Fatal(err)
	}
	val := func(name string, labels map[string]string) (float64, bool) {
		mf, ok := mfs[name]
		if !ok {
			return 0, false
		}
	next:
		for _, m := range mf.Metric {
			for _, lp := range m.Label {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue next
				}
			}
			return m.GetGauge().GetValue(), true
		}
		return 0, false
	}
	checks := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{MetricTokens, map[string]string{"device": "paris-fw1", "diagnosis": "NEEDS_ACTIVATION"}, 2},
		{MetricTokens, map[string]string{"device": "paris-fw1", "diagnosis": "PENDING"}, 1},
		{MetricFindings, map[string]string{"device": "paris-fw1", "code": "DEBUG_LEFT_ON", "severity": "warn"}, 1},
		{MetricFindings, map[string]string{"device": "tokyo-fw1", "code": "FORTIGUARD_UNREACHABLE", "severity": "error"}, 1},
		{MetricDeviceUp, map[string]string{"device": "london-fw1"}, 0},
		{MetricDeviceUp, map[string]string{"device": "paris-fw1"}, 1},
		{MetricDeviceDuration, map[string]string{"device": "tokyo-fw1"}, 3.125},
		{MetricScanSuccess, nil, 1},
		{MetricScanTimestamp, nil, 1796191221.5},
	}
	for _, c := range checks {
		got, ok := val(c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (present %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	for name, mf := range mfs {
		for _, m := range mf.Metric {
			for _, lp := range m.Label {
				if strings.Contains(lp.GetValue(), "FTK") {
					t.Errorf("%s has a token serial in label %s: one series per token", name, lp.GetName())
				}
			}
		}
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, loadResults(t)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), ",=HYPERLINK") || !strings.Contains(b.String(), `'=HYPERLINK`) {
		t.Errorf("a user name starting with = is written as a formula:\n%s", b.String())
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "ftktui.prom")
	if err := os.WriteFile(p, []byte("old\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	// A failing writer leaves the old file whole and no temp file behind.
	err := WriteFileAtomic(p, 0o644, func(w io.Writer) error {
		_, _ = io.WriteString(w, "half")
		return errors.New("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v", err)
	}
	if b, _ := os.ReadFile(p); string(b) != "old\n" {
		t.Errorf("after a failed write the file is %q", b)
	}
	if err := WriteFileAtomic(p, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(p); string(b) != "new\n" {
		t.Errorf("file = %q", b)
	}
	st, _ := os.Stat(p)
	if st.Mode().Perm() != 0o640 {
		t.Errorf("mode = %v, want the replaced file's 0640", st.Mode().Perm())
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("files left in the directory: %v", ents)
	}
	fresh := filepath.Join(dir, "new.csv")
	if err := WriteFileAtomic(fresh, 0o644, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != 0o644 {
		t.Errorf("new file mode = %v, want 0644 (node_exporter reads it as another user)", st.Mode().Perm())
	}
	if err := WriteFileAtomic(filepath.Join(dir, "no", "such", "dir"), 0o644, func(io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}
