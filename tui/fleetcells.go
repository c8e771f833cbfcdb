package tui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// fleetCells is the per-KB-step state of a device, one cell per column.
func (m *Model) fleetCells(d *devState, marked bool) [][]seg {
	st := &m.st
	mark := seg{" ", paint{}}
	if marked {
		mark = seg{"▌", st.Mark}
	}
	icon := seg{"○", st.Dim}
	r := d.res
	switch {
	case d.scanning:
		icon = seg{"⟳", st.Info}
	case r == nil:
	case !r.Reachable || worst(r) == fleet.SevError:
		icon = seg{m.sevGlyph("error"), st.Error}
	case worst(r) == fleet.SevWarn:
		icon = seg{m.sevGlyph("warn"), st.Warn}
	default:
		icon = seg{m.sevGlyph("ok"), st.OK}
	}
	cells := make([][]seg, len(fleetCols))
	cells[0] = []seg{mark, icon}
	cells[1] = []seg{{d.dev.Name, st.Bold}}
	cells[2] = []seg{{hostPort(d.dev), st.Dim}}
	dash := []seg{{"—", st.Dim}}
	for i := 3; i < len(cells); i++ {
		cells[i] = dash
	}
	if d.scanning {
		cells[3] = []seg{{"⟳ " + d.step, st.Info}}
	}
	if r == nil {
		if !d.scanning {
			cells[3] = []seg{{"not scanned", st.Dim}}
		}
		return cells
	}
	if !d.scanning {
		cells[3] = reachCell(st, r)
	}
	cells[9] = []seg{{r.ScannedAt.Local().Format("15:04:05"), st.Dim}}
	if !r.Reachable {
		return cells
	}
	if r.CentralManagement.Type == parse.CentralMgmtFortiManager {
		cells[4] = []seg{{"FMG", st.Warn}}
	} else {
		cells[4] = []seg{{"none", st.OK}}
	}
	cells[5] = fortiguardCell(st, r)
	switch r.TokenServer {
	case "reachable":
		cells[6] = []seg{{"✓ ok", st.OK}}
	case "unreachable":
		cells[6] = []seg{{"✗ down", st.Error}}
	case "":
	default:
		cells[6] = []seg{{"? " + r.TokenServer, st.Warn}}
	}
	switch {
	case r.EmailServer.Server != "":
		cells[7] = []seg{{"✓ set", st.OK}}
	case hasFinding(r, fleet.CodeEmailServerUnset):
		cells[7] = []seg{{"✗ unset", st.Error}}
	default:
		cells[7] = []seg{{"unset", st.Dim}}
	}
	cells[8] = tokenCountSegs(m, r)
	return cells
}

func hostPort(d Device) string {
	if d.Port == 0 || d.Port == 22 {
		return d.Host
	}
	return d.Host + ":" + strconv.Itoa(d.Port)
}

func reachCell(st *Styles, r *fleet.DeviceResult) []seg {
	if r.Reachable {
		if r.ReadOnly {
			return []seg{{"✓ up (ro)", st.Warn}}
		}
		return []seg{{"✓ up", st.OK}}
	}
	switch {
	case hasFinding(r, fleet.CodeAuthFailed):
		return []seg{{"✗ auth", st.Error}}
	case hasFinding(r, fleet.CodeHostKeyMismatch), hasFinding(r, fleet.CodeHostKeyUnknown):
		return []seg{{"✗ host key", st.Error}}
	}
	return []seg{{"✗ down", st.Error}}
}

func fortiguardCell(st *Styles, r *fleet.DeviceResult) []seg {
	if len(r.FortiGuard) == 0 {
		return []seg{{"—", st.Dim}}
	}
	up := 0
	for _, p := range r.FortiGuard {
		if p.Reachable {
			up++
		}
	}
	switch {
	case up == len(r.FortiGuard):
		return []seg{{"✓ ok", st.OK}}
	case up == 0:
		return []seg{{"✗ down", st.Error}}
	}
	return []seg{{"◐ part", st.Warn}}
}

func hasFinding(r *fleet.DeviceResult, c fleet.Code) bool {
	for _, f := range r.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// diagOrder lists token diagnoses worst first with their short labels.
var diagOrder = []struct {
	code  fleet.Code
	short string
}{
	{fleet.CodeActivatedElsewhere, "elsewhere"}, {fleet.CodeNotInFortiGuard, "not-in-FG"},
	{fleet.CodeDeleteReadd, "readd"}, {fleet.CodeNeedsActivation, "activate"},
	{fleet.CodeLocked, "locked"}, {fleet.CodeProvisionTimeout, "timeout"},
	{fleet.CodePending, "pending"}, {fleet.CodeUnassigned, "unassigned"}, {fleet.CodeOK, "ok"},
}

func tokenCountSegs(m *Model, r *fleet.DeviceResult) []seg {
	if len(r.Tokens) == 0 {
		return []seg{{"no tokens", m.st.Dim}}
	}
	counts := map[fleet.Code]int{}
	sev := map[fleet.Code]fleet.Severity{}
	for _, t := range r.Tokens {
		counts[t.Diagnosis]++
		sev[t.Diagnosis] = t.Severity
	}
	segs := []seg{{strconv.Itoa(len(r.Tokens)) + ":", m.st.Bold}}
	for _, d := range diagOrder {
		if n := counts[d.code]; n > 0 {
			p := m.sevPaint(string(sev[d.code]))
			if d.code == fleet.CodeOK {
				p = m.st.OK
			}
			segs = append(segs, seg{" " + strconv.Itoa(n) + " " + d.short, p})
			delete(counts, d.code)
		}
	}
	rest := make([]fleet.Code, 0, len(counts)) // codes this version does not know yet
	for c := range counts {
		rest = append(rest, c)
	}
	slices.Sort(rest)
	for _, c := range rest {
		segs = append(segs, seg{" " + strconv.Itoa(counts[c]) + " " + strings.ToLower(string(c)), m.st.Dim})
	}
	return segs
}
