package report

import (
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/ftktui/ftktui/fleet"
)

// PromScan describes the scan itself, for the ftktui_scan_* metrics.
type PromScan struct {
	Finished time.Time     // when the scan ended (ftktui_scan_timestamp_seconds)
	Duration time.Duration // the whole scan's wall time
	Complete bool          // every selected device was scanned (not interrupted)
}

// Metric names; the README documents each with its labels.
const (
	MetricScanSuccess    = "ftktui_scan_success"
	MetricScanTimestamp  = "ftktui_scan_timestamp_seconds"
	MetricScanDuration   = "ftktui_scan_duration_seconds"
	MetricDeviceUp       = "ftktui_device_up"
	MetricDeviceDuration = "ftktui_device_scan_duration_seconds"
	MetricDeviceInfo     = "ftktui_device_info"
	MetricFindings       = "ftktui_findings"
	MetricTokens         = "ftktui_tokens"
)

// WritePrometheus writes results in the Prometheus text exposition format
// with client_golang's registry and expfmt's encoder (so names, labels and
// escaping are the library's, not ours). Tokens are counted per device and
// diagnosis, never one series per token serial: serials come and go and
// would make a new series each. Counts that are zero are left out; a
// missing series reads as zero in alert rules written with `> 0`.
func WritePrometheus(w io.Writer, results []fleet.DeviceResult, scan PromScan) error {
	reg := prometheus.NewPedanticRegistry()
	gauge := func(name, help string) prometheus.Gauge {
		g := prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help})
		reg.MustRegister(g)
		return g
	}
	vec := func(name, help string, labels ...string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels)
		reg.MustRegister(g)
		return g
	}
	success := gauge(MetricScanSuccess, "1 when the last ftktui scan ran to the end (every selected device scanned), else 0.")
	stamp := gauge(MetricScanTimestamp, "Unix time the last ftktui scan finished.")
	took := gauge(MetricScanDuration, "Wall time of the last ftktui scan, in seconds.")
	up := vec(MetricDeviceUp, "1 when ftktui reached and scanned the device, 0 when unreachable, refused or failed.", "device")
	devTook := vec(MetricDeviceDuration, "Time the scan of one device took, in seconds.", "device")
	info := vec(MetricDeviceInfo, "Always 1; labels describe the FortiGate as last scanned.", "device", "hostname", "model", "version", "serial")
	findings := vec(MetricFindings, "Findings of the last scan per device, code and severity (device and token findings).", "device", "code", "severity")
	tokens := vec(MetricTokens, "FortiTokens per device and diagnosis (OK included).", "device", "diagnosis")

	if scan.Complete {
		success.Set(1)
	}
	stamp.Set(float64(scan.Finished.UnixMilli()) / 1000)
	took.Set(scan.Duration.Seconds())
	for _, r := range results {
		ok := 0.0
		if r.Reachable && r.Error == "" {
			ok = 1
		}
		up.WithLabelValues(r.Name).Set(ok)
		devTook.WithLabelValues(r.Name).Set(float64(r.DurationMS) / 1000)
		if r.Reachable && r.Serial != "" {
			info.WithLabelValues(r.Name, r.Hostname, r.Model, r.Version, r.Serial).Set(1)
		}
		for _, f := range r.Findings {
			findings.WithLabelValues(r.Name, string(f.Code), string(f.Severity)).Inc()
		}
		for _, t := range r.Tokens {
			tokens.WithLabelValues(r.Name, string(t.Diagnosis)).Inc()
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		return fmt.Errorf("prometheus metrics: %w", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range mfs {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("prometheus metrics: %w", err)
		}
	}
	return nil
}
