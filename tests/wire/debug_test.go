package wire

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
)

type arrival struct {
	l  parse.DebugLine
	at time.Duration
}

// capture reads ds for d (calling mid once, halfway) and closes it.
func capture(t *testing.T, ds *device.DebugStream, d time.Duration, mid func()) []arrival {
	t.Helper()
	t0 := time.Now()
	end, half := time.After(d), time.After(d/2)
	var got []arrival
	for {
		select {
		case l, ok := <-ds.Lines():
			if !ok {
				t.Fatalf("stream ended early: %v", ds.Err())
			}
			got = append(got, arrival{l, time.Since(t0)})
			continue
		case <-half:
			if mid != nil {
				mid()
			}
			continue
		case <-end:
		}
		break
	}
	if err := ds.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	return got
}

// debugFleet is an HA member flooding debug output, fragmented, with a
// short admin idle timeout and debug duration.
func debugFleet(t *testing.T, idle, duration time.Duration) (*testkit.Fleet, *sim.Device, device.Target) {
	seed := fragmentSeed(t)
	f := testkit.StartFleet(t, sim.Options{Seed: 14, Fragment: true, FragmentSeed: seed, FailoverEvery: -1,
		IdleTimeout: idle, DebugDuration: duration,
		Specs: []sim.DeviceSpec{{Name: "ha-dbg", Hostname: "FW-HA-2", Scenarios: []sim.Scenario{sim.HAMember, sim.FaultDebugFlood}}}})
	e := testkit.StartEngine(t, f, 5*time.Second, 30*time.Second)
	return f, f.Devices()[0], e.Target(e.Inv.Devices[0])
}

// TestDebugCaptureOutlivesIdleTimeout: a capture three times the admin
// idle timeout (output does not count as activity on FortiOS) keeps
// receiving lines to the end on its first session, across a failover, and
// no keepalive echo or prompt reaches a line.
func TestDebugCaptureOutlivesIdleTimeout(t *testing.T) {
	const idle = 700 * time.Millisecond
	_, d, tg := debugFleet(t, idle, time.Hour)
	ds, err := device.StartDebug(context.Background(), tg, device.DebugOptions{Apps: []string{device.AppForticldd}, Keepalive: idle / 6})
	if err != nil {
		t.Fatal(err)
	}
	got := capture(t, ds, 3*idle, func() { _ = d.Failover() })
	if len(got) < 100 || got[len(got)-1].at < 3*idle-300*time.Millisecond {
		t.Fatalf("%d lines, the last at %s of %s", len(got), got[len(got)-1].at, 3*idle)
	}
	for _, a := range got {
		r := a.l.Raw
		if strings.HasPrefix(r, "ftktui:") || strings.ContainsAny(r, "\b\r") || strings.Contains(r, "FW-HA-2") || strings.Contains(r, "Timeout") {
			t.Fatalf("line at %s: %q (a reconnect, a keepalive echo or a prompt)", a.at, r)
		}
	}
	if st := d.State(); st.Failovers != 1 || !st.DebugClean() {
		t.Fatalf("failovers %d, debug clean %v", st.Failovers, st.DebugClean())
	}
}

// TestDebugDurationExpirySaysSoAndRearms: when the 30-minute window (scaled)
// runs out, the unit stops printing; the stream says so, re-arms, and lines
// come again.
func TestDebugDurationExpirySaysSoAndRearms(t *testing.T) {
	const duration = 900 * time.Millisecond
	_, d, tg := debugFleet(t, time.Hour, duration)
	ds, err := device.StartDebug(context.Background(), tg, device.DebugOptions{Apps: []string{device.AppForticldd},
		MinuteLength: duration / 30})
	if err != nil {
		t.Fatal(err)
	}
	got := capture(t, ds, 2*duration, nil)
	expired, rearmed, after := -1, -1, 0
	for i, a := range got {
		switch r := a.l.Raw; {
		case expired < 0 && r == "ftktui: debug duration of 30 min expired on ha-dbg — re-arm":
			expired = i
		case expired >= 0 && rearmed < 0 && strings.HasPrefix(r, "ftktui: re-armed debug on ha-dbg"):
			rearmed = i
		case rearmed >= 0 && !strings.HasPrefix(r, "ftktui:"):
			after++
		}
	}
	if expired < 0 || rearmed < 0 || after < 20 {
		t.Fatalf("expiry notice at %d, re-arm notice at %d, %d lines after it (of %d)", expired, rearmed, after, len(got))
	}
	if st := d.State(); st.DebugExpiries < 1 || !st.DebugClean() {
		t.Fatalf("device saw %d expiries, clean %v", st.DebugExpiries, st.DebugClean())
	}
}
