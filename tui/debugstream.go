package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// The root's side of the debug pane: opening and closing the streams (I/O,
// in commands) and what the status line says about them.

// toggleDebug is `d`: open the pane and a stream for the selected device,
// or close the pane and disarm its stream.
func (m *Model) toggleDebug() tea.Cmd {
	if m.showDbg {
		m.showDbg = false
		if m.focus == paneDebug {
			m.focus = paneFleet
		}
		m.zoom = false
		return m.closeStream(m.dbg.device)
	}
	name := m.table.device
	if name == "" {
		m.setStatus("d debug — disabled: no device selected", "warn")
		return nil
	}
	m.showDbg = true
	m.dbg.show(name)
	m.focus = paneDebug
	return m.openStream(name)
}

// debugKey runs f (f, w) when the debug pane is open.
func (m *Model) debugKey(f func()) tea.Cmd {
	if !m.showDbg {
		m.setStatus("debug pane is closed (d opens it)", "warn")
		return nil
	}
	f()
	return nil
}

func (m *Model) openStream(name string) tea.Cmd {
	if m.o.Backend == nil || m.streams.has(name) || m.dbg.opening[name] {
		return nil
	}
	m.dbg.arming(name)
	b, ctx, reg, in, rg, apps, tr := m.o.Backend, m.ctx, m.streams, m.inbox, m.dbg.ringFor(name), m.o.DebugApps, m.actions
	tr.start() // a quit while arming waits for the arm's own cleanup
	return func() tea.Msg {
		defer tr.done()
		s, err := b.Debug(ctx, name, apps)
		if err != nil {
			if strings.Contains(err.Error(), "cleanup") {
				tr.note(fmt.Sprintf("debug on %s: %v", name, err))
			}
			return debugOpenedMsg{device: name, err: err}
		}
		if !reg.add(name, s) {
			_ = s.Close()
			return debugOpenedMsg{device: name, err: errStreamRefused}
		}
		go pump(ctx, s, rg, func() {
			reg.dropIf(name, s)
			in.push(debugEndedMsg{device: name})
		})
		return debugOpenedMsg{device: name}
	}
}

func (m *Model) closeStream(name string) tea.Cmd {
	s := m.streams.take(name)
	if s == nil {
		return nil
	}
	m.dbg.disarming(name)
	return func() tea.Msg { return debugClosedMsg{device: name, err: s.Close()} }
}

func (m *Model) onDebugOpened(msg debugOpenedMsg) {
	m.dbg.opened(msg.device, msg.err)
	if msg.err != nil {
		m.setStatus("debug capture failed: "+msg.err.Error(), "error")
		return
	}
	m.setStatus("debug armed on "+msg.device+" (apps: "+strings.Join(m.o.DebugApps, ",")+")", "ok")
	if !m.showDbg || m.dbg.device != msg.device { // pane closed while arming
		m.quietClose(msg.device)
	}
}

// quietClose disarms a stream whose pane is gone, from a goroutine.
func (m *Model) quietClose(name string) {
	if s := m.streams.take(name); s != nil {
		in := m.inbox
		go func() { in.push(debugClosedMsg{device: name, err: s.Close()}) }()
	}
}

func (m *Model) onDebugClosed(msg debugClosedMsg) {
	m.dbg.closed(msg.device, msg.err)
	if msg.err != nil {
		m.setStatus("disarming debug on "+msg.device+" failed: "+msg.err.Error(), "error")
		return
	}
	m.setStatus("debug disarmed on "+msg.device, "ok")
}
