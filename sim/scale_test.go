package sim

import (
	"context"
	"runtime"
	"testing"
)

// TestThousandDevices checks that a 1,000-device fleet starts, serves and
// stops cleanly in one process.
func TestThousandDevices(t *testing.T) {
	before := runtime.NumGoroutine()
	f, err := Start(context.Background(), Options{Devices: 1000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	ds := f.Devices()
	if len(ds) != 1000 {
		t.Fatalf("%d devices", len(ds))
	}
	ports := map[int]bool{}
	for _, d := range ds {
		ports[d.Port()] = true
	}
	if len(ports) != 1000 {
		t.Errorf("ports not distinct: %d", len(ports))
	}
	// one accept goroutine per listening device and nothing else while idle
	if g := runtime.NumGoroutine() - before; g > 1000 {
		t.Errorf("%d goroutines for an idle fleet", g)
	}
	for _, d := range []*Device{ds[0], ds[500], ds[999]} {
		if d.fault(FaultRefused) || d.fault(FaultAuthFail) || d.fault(FaultHang) || d.fault(FaultHostKeyRotated) {
			continue
		}
		c := dial(t, f, d)
		if out := execOut(t, c, "get system status"); len(out) == 0 {
			t.Errorf("%s: empty status", d.Name())
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkStart1000 measures start-up of 1,000 devices and reports the
// heap and stack held per idle device.
func BenchmarkStart1000(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		f, err := Start(context.Background(), Options{Devices: 1000, Seed: int64(i)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&m1)
		used := float64(m1.HeapAlloc+m1.StackInuse) - float64(m0.HeapAlloc+m0.StackInuse)
		b.ReportMetric(used/1000, "bytes/device")
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
