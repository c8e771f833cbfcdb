// Package tui is the interactive console of ftktui: a fleet list, a token
// table per device, a live debug pane and keystroke actions with
// confirmation, all driven through a Backend so that no network I/O ever
// runs inside Update.
package tui

import (
	"context"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// Device is one inventory entry as the TUI lists it before any scan.
type Device struct {
	Name string
	Host string
	Port int
	VDOM string
	Tags []string
}

// DebugStream is a running debug capture on one device. Lines is closed when
// the stream ends; Close disarms the device (debug disable + reset) and may
// block for a bounded time, so the TUI only calls it from a command.
type DebugStream interface {
	Lines() <-chan parse.DebugLine
	Close() error
}

// Backend is everything the TUI needs from the engine. Every method may block
// on the network; the TUI only calls them from tea.Cmds and goroutines.
type Backend interface {
	// Devices lists the inventory; it must not do I/O.
	Devices() []Device
	// Scan runs KB steps 1–3 on the named devices, reporting progress.
	Scan(ctx context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult
	// Plan computes the exact CLI lines of an action without sending anything.
	Plan(ctx context.Context, req fleet.ActionRequest) (*fleet.Plan, error)
	// Run executes a plan with debug armed; debug receives every captured line.
	Run(ctx context.Context, p *fleet.Plan, debug func(parse.DebugLine)) fleet.ActionResult
	// Debug opens a debug stream on a device for the given applications.
	Debug(ctx context.Context, device string, apps []string) (DebugStream, error)
}
