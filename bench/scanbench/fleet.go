package scanbench

import (
	"context"
	"fmt"
	"time"

	"github.com/ftktui/ftktui/sim"
)

// FleetOptions shape the simulated fleets of the benchmarks.
type FleetOptions struct {
	Devices int
	Tokens  int           // per device (issue #8: 20)
	SlowPct int           // percentage of devices with the `slow` fault (every k-th device)
	Latency time.Duration // sim latency added to every command answer
	Seed    int64
}

// Specs lays out the devices: healthy ones, and every (100/SlowPct)-th one
// `slow` (tagged "slow" in the inventory, the others "healthy", so a scan
// can select either half with --tag).
func Specs(o FleetOptions) ([]sim.DeviceSpec, error) {
	if o.Devices < 1 {
		return nil, fmt.Errorf("fleet: %d devices", o.Devices)
	}
	if o.SlowPct < 0 || o.SlowPct > 100 {
		return nil, fmt.Errorf("fleet: slow percentage %d out of 0..100", o.SlowPct)
	}
	specs := make([]sim.DeviceSpec, o.Devices)
	every := 0
	if o.SlowPct > 0 {
		every = 100 / o.SlowPct
	}
	for i := range specs {
		sc := sim.Healthy
		if every > 0 && i%every == every-1 {
			sc = sim.FaultSlow
		}
		specs[i] = sim.DeviceSpec{Name: fmt.Sprintf("bench-fw%05d", i), Scenarios: []sim.Scenario{sc}, Tokens: o.Tokens}
	}
	return specs, nil
}

// StartFleet starts the simulated fleet of o on 127.0.0.1.
func StartFleet(ctx context.Context, o FleetOptions, extra sim.Options) (*sim.Fleet, error) {
	specs, err := Specs(o)
	if err != nil {
		return nil, err
	}
	extra.Specs = specs
	extra.Seed = o.Seed
	extra.Latency = o.Latency
	extra.TokensPerDevice = o.Tokens
	extra.Listen = "127.0.0.1:0"
	f, err := sim.Start(ctx, extra)
	if err != nil {
		return nil, fmt.Errorf("start bench fleet: %w", err)
	}
	return f, nil
}
