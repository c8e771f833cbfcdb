package device

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
)

// A deadline or cancel that lands while the device is still answering an
// arm line (issue 15 §2: `ftktui debug --for 300ms` on a 100 ms unit) must
// leave the device disarmed: the levels already set are device-wide.
func TestDebugCancelWhileArmingDisarms(t *testing.T) {
	for _, tc := range []struct {
		name  string
		after int // arm lines the device has received when the ctx ends
	}{{"first-line", 1}, {"forticldd", 2}, {"fortitoken", 3}, {"enable", 5}} {
		t.Run(tc.name, func(t *testing.T) {
			f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "slow", Hostname: "FGT-S"}}, Seed: 8,
				Latency: 150 * time.Millisecond})
			d := f.Devices()[0]
			tg := targetFor(f, d, kh)
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			go func() {
				for {
					n := 0
					for _, c := range d.State().Commands {
						if strings.HasPrefix(c, "diagnose debug") || strings.HasPrefix(c, "diagnose fortitoken") {
							n++
						}
					}
					if n >= tc.after {
						cancel(context.DeadlineExceeded)
						return
					}
					select {
					case <-ctx.Done():
						return
					case <-time.After(2 * time.Millisecond):
					}
				}
			}()
			ds, err := StartDebug(ctx, tg, DebugOptions{})
			if err == nil {
				// The arm finished before the cancel was seen: the stream
				// itself must then disarm.
				<-ds.Done()
			} else if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				t.Logf("StartDebug: %v", err)
			}
			st := d.State()
			if !st.DebugClean() || st.DebugEnabled {
				t.Fatalf("debug left armed after a cancel while arming: levels=%v fortitoken=%v enabled=%v; commands %q",
					st.DebugLevels, st.FortitokenDebug, st.DebugEnabled, st.Commands)
			}
			if st.ResetCount == 0 {
				t.Fatalf("no `diagnose debug reset` reached the device: %q", st.Commands)
			}
		})
	}
}

// issue 15 §2: another session's `diagnose debug reset` (device-wide)
// silently stopped a running capture. The stream notices on its next check
// and says so in its lines; without interference it says nothing.
func TestDebugNoticesForeignReset(t *testing.T) {
	f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "dev1", Hostname: "FGT-R", Scenarios: []sim.Scenario{sim.PendingActivation}}}, Seed: 9})
	d := f.Devices()[0]
	tg := targetFor(f, d, kh)
	ds, err := StartDebug(context.Background(), tg, DebugOptions{CheckEvery: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	quiet := time.After(700 * time.Millisecond)
wait:
	for {
		select {
		case l := <-ds.Lines():
			if strings.Contains(l.Message, "another session") {
				t.Fatalf("false alarm before any reset: %q", l.Message)
			}
		case <-quiet:
			break wait
		}
	}
	_, other := open(t, tg)
	if _, err := other.Run(context.Background(), "diagnose debug reset"); err != nil {
		t.Fatal(err)
	}
	deadline := time.After(5 * time.Second)
	for seen := false; !seen; {
		select {
		case l, ok := <-ds.Lines():
			if !ok {
				t.Fatalf("stream ended: %v", ds.Err())
			}
			seen = strings.Contains(l.Message, "reset on the device by another session")
		case <-deadline:
			t.Fatal("the foreign reset was not reported within 5s")
		}
	}
	if !ds.ExternallyReset() {
		t.Error("ExternallyReset() = false after the notice")
	}
	if err := ds.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if st := d.State(); !st.DebugClean() {
		t.Errorf("debug left: %v", st.DebugLevels)
	}
}
