package tui

import (
	"errors"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
)

var errStreamRefused = errors.New("debug stream not registered (quitting or already open)")

// target is one token an action would apply to.
type target struct {
	dev *devState
	tok *fleet.TokenResult
}

// actionTargets resolves marks and selection into eligible targets, the
// reasons others were skipped, and a reason when nothing is eligible.
func (m *Model) actionTargets(a fleet.Action) (ok []target, skipped []string, reason string) {
	var cands []target
	explicit := true
	tokMarks, tokHidden := m.visibleTokenMarks()
	devMarks, devHidden := m.list.visibleMarks()
	switch {
	case len(tokMarks) > 0:
		if tokHidden > 0 {
			skipped = append(skipped, sprintf("%d marked token(s) hidden by the filter: not acted on", tokHidden))
		}
		for _, k := range tokMarks {
			if d := m.dev(k.device); d != nil && d.res != nil {
				for i := range d.res.Tokens {
					if d.res.Tokens[i].Serial == k.serial {
						cands = append(cands, target{d, &d.res.Tokens[i]})
					}
				}
			}
		}
	case m.focus == paneFleet:
		explicit = false
		if devHidden > 0 {
			skipped = append(skipped, sprintf("%d marked device(s) hidden by the filter: not acted on", devHidden))
		}
		devs := []*devState{}
		for _, name := range devMarks {
			devs = append(devs, m.dev(name))
		}
		if len(devs) == 0 {
			devs = append(devs, m.dev(m.table.device))
		}
		for _, d := range devs {
			if d == nil {
				continue
			}
			if r := m.deviceReason(d); r != "" {
				reason = r
				skipped = append(skipped, d.dev.Name+": "+r)
				continue
			}
			for i := range d.res.Tokens {
				cands = append(cands, target{d, &d.res.Tokens[i]})
			}
		}
	default:
		d := m.dev(m.table.device)
		if t := m.selectedToken(); t != nil {
			cands = append(cands, target{d, t})
		} else if reason = m.deviceReason(d); reason == "" {
			reason = "no token selected"
		}
	}
	sortTargets(cands)
	nSkip := 0
	for _, c := range cands {
		if r := m.tokenReason(a, c.dev, c.tok); r != "" {
			reason = r
			nSkip++
			if explicit {
				skipped = append(skipped, c.dev.dev.Name+" "+c.tok.Serial+": "+r)
			}
			continue
		}
		ok = append(ok, c)
	}
	if !explicit && nSkip > 0 {
		skipped = append(skipped, sprintf("%d other token(s): diagnosis does not call for %s", nSkip, actionLabel(a)))
		if len(ok) == 0 {
			reason = "no token on this device needs " + actionLabel(a)
		}
	}
	if len(ok) == 0 && reason == "" {
		reason = "no token selected"
	}
	return ok, skipped, reason
}

func sortTargets(t []target) {
	// insertion sort keeps this dependency-free and targets are few
	for i := 1; i < len(t); i++ {
		for j := i; j > 0 && less(t[j], t[j-1]); j-- {
			t[j], t[j-1] = t[j-1], t[j]
		}
	}
}

func less(a, b target) bool {
	if a.dev.dev.Name != b.dev.dev.Name {
		return a.dev.dev.Name < b.dev.dev.Name
	}
	return a.tok.Serial < b.tok.Serial
}

// quickReason is the disabled reason for the key under the cursor, cheap
// enough for every render (it ignores marks).
func (m *Model) quickReason(a fleet.Action) string {
	d := m.dev(m.table.device)
	if r := m.deviceReason(d); r != "" {
		return r
	}
	tokMarks, _ := m.visibleTokenMarks()
	if m.focus == paneFleet && len(tokMarks) == 0 {
		for i := range d.res.Tokens {
			if m.tokenReason(a, d, &d.res.Tokens[i]) == "" {
				return ""
			}
		}
		return "no token on this device needs " + actionLabel(a)
	}
	if len(tokMarks) > 0 {
		return ""
	}
	t := m.selectedToken()
	if t == nil {
		return "no token selected"
	}
	return m.tokenReason(a, d, t)
}

// startAction is a, x, e, n: plan in a command, then confirm in a dialog.
func (m *Model) startAction(a fleet.Action) tea.Cmd {
	if m.acting {
		m.setStatus(m.actionKey(a)+" "+actionLabel(a)+" — disabled: an action is already running", "warn")
		return nil
	}
	targets, skipped, reason := m.actionTargets(a)
	if len(targets) == 0 {
		m.setStatus(m.actionKey(a)+" "+actionLabel(a)+" — disabled: "+reason, "warn")
		return nil
	}
	m.actionID++
	dl := &dialog{id: m.actionID, action: a, phase: phasePlanning, skipped: skipped}
	m.dialog = dl
	b, ctx, id := m.o.Backend, m.ctx, m.actionID
	reqs := make([]fleet.ActionRequest, len(targets))
	for i, t := range targets {
		reqs[i] = fleet.ActionRequest{Action: a, Device: t.dev.dev.Name, Token: t.tok.Serial}
	}
	dl.items = make([]planItem, len(reqs))
	for i := range reqs {
		dl.items[i].req = reqs[i]
	}
	return func() tea.Msg {
		items := make([]planItem, len(reqs))
		for i, req := range reqs {
			p, err := b.Plan(ctx, req)
			items[i] = planItem{req: req, plan: p, err: err}
		}
		return planMsg{id: id, items: items}
	}
}

func (m *Model) onPlans(msg planMsg) {
	if m.dialog == nil || m.dialog.id != msg.id || m.dialog.phase != phasePlanning {
		return
	}
	m.dialog.items = msg.items
	m.dialog.phase = phaseConfirm
}

// confirm sends the sendable plans one after another, with the debug pane
// showing the capture each Run arms.
func (m *Model) confirm() tea.Cmd {
	dl := m.dialog
	var send []int
	for i, it := range dl.items {
		if it.sendable() {
			send = append(send, i)
		}
	}
	if len(send) == 0 {
		m.dialog = nil
		m.setStatus(actionLabel(dl.action)+": nothing to send (every item was refused)", "warn")
		return nil
	}
	dl.phase = phaseRunning
	m.acting = true
	first := dl.items[send[0]].req.Device
	m.showDbg = true
	m.dbg.show(first)
	m.dbg.action = first
	rings := map[string]*ring{}
	for _, i := range send {
		it := dl.items[i]
		rings[it.req.Device] = m.dbg.ringFor(it.req.Device)
		dl.items[i].running = true
		m.hist.add(time.Now(), it.req.Device, "send", actionLabel(dl.action)+" "+it.req.Token, it.plan.Lines)
	}
	// A stream the admin opened on the same device is reused by the action
	// when it arms what the action needs (fleet.DebugTail): the pane keeps
	// showing it and nothing resets it. Otherwise it is disarmed first so two
	// captures do not fight over the device-wide debug state.
	var own []DebugStream
	reuse := coversApps(m.o.DebugApps, fleet.DebugApps(dl.action))
	for dev := range rings {
		if reuse && m.streams.has(dev) {
			m.dbg.state[dev] = "live, shared with the action"
			continue
		}
		if s := m.streams.take(dev); s != nil {
			own = append(own, s)
			m.dbg.state[dev] = "handed over to the action"
		}
	}
	b, ctx, in, id, tr := m.o.Backend, m.ctx, m.inbox, dl.id, m.actions
	plans := make([]*fleet.Plan, len(dl.items))
	for i := range dl.items {
		plans[i] = dl.items[i].plan
	}
	tr.start() // before the command runs: a quit right now must wait for it
	return func() tea.Msg {
		defer tr.done()
		for _, s := range own {
			_ = s.Close() // best effort: Run resets debug itself afterwards
		}
		for _, i := range send {
			if ctx.Err() != nil {
				break // quitting: send nothing more
			}
			rg := rings[plans[i].Request.Device]
			res := b.Run(ctx, plans[i], rg.add)
			tr.record(res)
			in.push(actionResultMsg{id: id, idx: i, res: res})
		}
		return actionDoneMsg{id: id}
	}
}

func (m *Model) onActionResult(msg actionResultMsg) {
	if m.dialog == nil || m.dialog.id != msg.id || msg.idx >= len(m.dialog.items) {
		return
	}
	it := &m.dialog.items[msg.idx]
	res := msg.res
	it.result, it.running = &res, false
	if res.After != nil { // the engine rescanned after verifying: show it now
		m.applyResult(*res.After)
	}
	outcome := res.Outcome
	if outcome == "" {
		outcome = map[bool]string{true: "verified", false: "failed"}[res.Verified]
	}
	m.hist.add(time.Now(), it.req.Device, outcome, actionLabel(m.dialog.action)+" "+it.req.Token+": "+res.Message, nil)
	for i := range m.dialog.items { // show the next running device in the pane
		if n := &m.dialog.items[i]; n.running {
			m.dbg.show(n.req.Device)
			m.dbg.action = n.req.Device
			break
		}
	}
}

func (m *Model) onActionDone(msg actionDoneMsg) tea.Cmd {
	// results may still sit in the inbox when the command returns
	for _, q := range m.inbox.drain() {
		m.handleAsync(q)
	}
	m.acting = false
	m.dbg.action = ""
	if m.dialog != nil {
		for _, it := range m.dialog.items {
			if it.result != nil && !m.streams.has(it.req.Device) {
				m.dbg.state[it.req.Device] = "captured during " + actionLabel(m.dialog.action)
			}
		}
	}
	if m.dialog == nil || m.dialog.id != msg.id {
		return nil
	}
	m.dialog.phase = phaseDone
	ok, failed := 0, 0
	devs := []string{}
	seen := map[string]bool{}
	for _, it := range m.dialog.items {
		if it.result != nil {
			if it.result.Verified {
				ok++
			} else {
				failed++
			}
			if !seen[it.req.Device] {
				seen[it.req.Device] = true
				devs = append(devs, it.req.Device)
			}
		}
	}
	sev := "ok"
	if failed > 0 {
		sev = "error"
	}
	m.setStatus(sprintf("%s: %d verified, %d failed — rescanning %s", actionLabel(m.dialog.action), ok, failed, strings.Join(devs, ", ")), sev)
	return m.scanCmd(devs)
}

// coversApps reports whether the pane's applications include every one the
// action arms.
func coversApps(pane, action []string) bool {
	for _, a := range action {
		if !slices.Contains(pane, a) {
			return false
		}
	}
	return true
}
