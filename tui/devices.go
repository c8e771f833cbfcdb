package tui

import (
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// devState is one device as the TUI knows it: inventory entry, last result,
// scan progress. version bumps on every change so row caches can tell.
type devState struct {
	dev      Device
	res      *fleet.DeviceResult
	scanning bool
	step     string
	version  int
	rowKey   rowCacheKey
	row      string
}

type rowCacheKey struct {
	version, width int
	mark           bool
}

// vdom is the VDOM the device's tokens live in.
func (d *devState) vdom() string {
	if d.res != nil && d.res.VDOM != "" {
		return d.res.VDOM
	}
	if d.dev.VDOM != "" {
		return d.dev.VDOM
	}
	return parse.DefaultVDOM
}

// devices is the fleet as the console knows it, in inventory order. The root
// model changes it (scan events and results); the panes that render it share
// it read-only.
type devices struct {
	devs   []*devState
	byName map[string]int
}

func newDevices(list []Device) *devices {
	s := &devices{byName: map[string]int{}}
	for _, d := range list {
		s.byName[d.Name] = len(s.devs)
		s.devs = append(s.devs, &devState{dev: d})
	}
	return s
}

func (s *devices) dev(name string) *devState {
	if i, ok := s.byName[name]; ok {
		return s.devs[i]
	}
	return nil
}

func (s *devices) allNames() []string {
	names := make([]string, len(s.devs))
	for i, d := range s.devs {
		names[i] = d.dev.Name
	}
	return names
}
