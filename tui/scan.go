package tui

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

// onScanDone applies a finished scan command's results.
func (m *Model) onScanDone(msg scanDoneMsg) {
	m.scanRunning--
	for i := range msg.results {
		m.applyResult(msg.results[i])
	}
	for _, n := range msg.names {
		if d := m.dev(n); d != nil && d.scanning {
			m.finishScan(d)
			d.version++
		}
	}
	if m.scanRunning <= 0 {
		m.scanRunning = 0
		m.crossReference()
		// keep an action's result summary; only replace scan chatter
		if m.status == "" || strings.HasPrefix(m.status, "refreshing") || strings.HasPrefix(m.status, "rescanning") {
			m.setStatus("scan finished", "ok")
		}
	}
	m.list.dirty = true
}

// applyEvent folds a scan progress event into the device state.
func (m *Model) applyEvent(ev fleet.Event) {
	d := m.dev(ev.Device)
	if d == nil {
		return
	}
	switch ev.Kind {
	case fleet.EventStarted:
		d.scanning, d.step = true, "connecting"
	case fleet.EventStep:
		d.scanning, d.step = true, ev.Step
	case fleet.EventFinished:
		m.finishScan(d)
		if ev.Result != nil {
			m.applyResult(*ev.Result)
		}
	}
	d.version++
	m.list.dirty = true
}

func (m *Model) applyResult(r fleet.DeviceResult) {
	d := m.dev(r.Name)
	if d == nil {
		return
	}
	rc := r
	d.res = &rc
	m.finishScan(d)
	d.version++
	m.list.dirty = true
	if m.table.device == r.Name {
		m.table.dirty = true
	}
}

// scanCmd scans the named devices in a command; progress flows through the
// inbox.
func (m *Model) scanCmd(names []string) tea.Cmd {
	b, ctx, in := m.o.Backend, m.ctx, m.inbox
	if b == nil || len(names) == 0 {
		return nil
	}
	if m.scanRunning == 0 || m.scanSet == nil { // progress covers every scan in flight
		m.scanSet = map[string]bool{}
	}
	m.scanRunning++
	for _, n := range names {
		if d := m.dev(n); d != nil {
			m.scanSet[n] = true
			d.scanning, d.step = true, "queued"
			d.version++
		}
	}
	m.list.dirty = true
	return func() tea.Msg {
		res := b.Scan(ctx, names, func(ev fleet.Event) { in.push(scanEventMsg{ev}) })
		return scanDoneMsg{names: names, results: res}
	}
}

// crossReference relates every device's tokens to the other units' (where
// else a serial lives) once the scans in flight are done: it is a pass
// over the whole fleet, too costly to repeat for each result of a scan.
func (m *Model) crossReference() {
	rs := make([]*fleet.DeviceResult, 0, len(m.devs))
	for _, d := range m.devs {
		if d.res != nil {
			rs = append(rs, d.res)
		}
	}
	fleet.CrossReference(rs)
	for _, d := range m.devs {
		d.version++
	}
	m.table.dirty = true
}

// scanProgress is (devices done, devices) over the scans in flight.
func (m *Model) scanProgress() (done, total int) {
	for n := range m.scanSet {
		if d := m.dev(n); d != nil && !d.scanning {
			done++
		}
	}
	return done, len(m.scanSet)
}

// finishScan ends a device's scan.
func (m *Model) finishScan(d *devState) {
	if d.scanning {
		d.scanning, d.step = false, ""
	}
}
