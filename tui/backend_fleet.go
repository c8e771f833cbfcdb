package tui

import (
	"context"
	"fmt"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// fleetBackend adapts *fleet.Engine to Backend.
type fleetBackend struct{ e *fleet.Engine }

// NewFleetBackend drives the TUI with a real engine over its inventory.
func NewFleetBackend(e *fleet.Engine) Backend { return fleetBackend{e: e} }

func (b fleetBackend) Devices() []Device {
	if b.e == nil || b.e.Inv == nil {
		return nil
	}
	out := make([]Device, 0, len(b.e.Inv.Devices))
	for _, d := range b.e.Inv.Devices {
		out = append(out, Device{Name: d.Name, Host: d.Host, Port: d.Port, VDOM: d.VDOM, Tags: d.Tags})
	}
	return out
}

func (b fleetBackend) Scan(ctx context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult {
	var devs []inventory.Device
	for _, n := range names {
		if d, ok := b.e.Inv.Device(n); ok {
			devs = append(devs, d)
		}
	}
	return b.e.Scan(ctx, devs, progress)
}

func (b fleetBackend) Plan(ctx context.Context, req fleet.ActionRequest) (*fleet.Plan, error) {
	p, err := b.e.Plan(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("plan %s: %w", req.Action, err)
	}
	return p, nil
}

func (b fleetBackend) Run(ctx context.Context, p *fleet.Plan, debug func(parse.DebugLine)) fleet.ActionResult {
	return b.e.Run(ctx, p, debug)
}

func (b fleetBackend) Debug(ctx context.Context, device string, apps []string) (DebugStream, error) {
	s, err := b.e.Debug(ctx, device, apps)
	if err != nil {
		return nil, err
	}
	if s == nil { // never hand out a typed nil inside the interface
		return nil, fmt.Errorf("debug on %s: no stream", device)
	}
	return s, nil
}
