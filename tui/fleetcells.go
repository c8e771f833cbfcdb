package tui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// columns are the fleet list's columns: the per-KB-step state of a device.
func (l *fleetList) columns() []column[fleetRow] {
	st := l.styles
	dash := func() []seg { return []seg{{"—", st.Dim}} } // read at render: the theme may change
	// reached: a column that only says something about a device that answered.
	reached := func(cell func(*Styles, *fleet.DeviceResult) []seg) func(fleetRow) []seg {
		return func(r fleetRow) []seg {
			if r.d.res == nil || !r.d.res.Reachable {
				return dash()
			}
			return cell(st, r.d.res)
		}
	}
	return []column[fleetRow]{
		{title: "", width: 3, cell: l.stateCell},
		{title: "NAME", width: 18, fit: func() int { return l.nameW }, fitMin: 18, fitMax: 48, yields: true,
			cell: func(r fleetRow) []seg { return []seg{{r.d.dev.Name, st.Bold}} }},
		{title: "HOST", width: 21, hideBelow: 110, fit: func() int { return l.hostW }, fitMin: 21, fitMax: 48, yields: true,
			cell: func(r fleetRow) []seg { return []seg{{hostPort(r.d.dev), st.Dim}} }},
		{title: "REACH", width: 12, cell: func(r fleetRow) []seg {
			switch d := r.d; {
			case d.scanning:
				return []seg{{"⟳ " + d.step, st.Info}}
			case d.res == nil:
				return []seg{{"not scanned", st.Dim}}
			}
			return reachCell(st, r.d.res)
		}},
		{title: "FMG", width: 6, hideBelow: 70, cell: reached(fmgCell)},
		{title: "FGUARD", width: 7, hideBelow: 70, cell: reached(fortiguardCell)},
		{title: "TOKSRV", width: 7, hideBelow: 80, cell: reached(tokenServerCell)},
		{title: "EMAIL", width: 7, hideBelow: 90, cell: reached(emailCell)},
		{title: "TOKENS", flex: true, cell: reached(l.tokenCountSegs)},
		{title: "SCANNED", width: 8, hideBelow: 100, cell: func(r fleetRow) []seg {
			if r.d.res == nil {
				return dash()
			}
			return []seg{{r.d.res.ScannedAt.Local().Format("15:04:05"), st.Dim}}
		}},
	}
}

// stateCell is the mark and the device's state icon.
func (l *fleetList) stateCell(r fleetRow) []seg {
	st := l.styles
	mark := seg{" ", paint{}}
	if r.marked {
		mark = seg{"▌", st.Mark}
	}
	icon := seg{"○", st.Dim}
	switch res := r.d.res; {
	case r.d.scanning:
		icon = seg{"⟳", st.Info}
	case res == nil:
	case !res.Reachable || worst(res) == fleet.SevError:
		icon = seg{l.sevGlyph("error"), st.Error}
	case worst(res) == fleet.SevWarn:
		icon = seg{l.sevGlyph("warn"), st.Warn}
	default:
		icon = seg{l.sevGlyph("ok"), st.OK}
	}
	return []seg{mark, icon}
}

func fmgCell(st *Styles, r *fleet.DeviceResult) []seg {
	if r.CentralManagement.Type == parse.CentralMgmtFortiManager {
		return []seg{{"FMG", st.Warn}}
	}
	return []seg{{"none", st.OK}}
}

func tokenServerCell(st *Styles, r *fleet.DeviceResult) []seg {
	switch r.TokenServer {
	case "reachable":
		return []seg{{"✓ ok", st.OK}}
	case "unreachable":
		return []seg{{"✗ down", st.Error}}
	case "":
		return []seg{{"—", st.Dim}}
	}
	return []seg{{"? " + r.TokenServer, st.Warn}}
}

func emailCell(st *Styles, r *fleet.DeviceResult) []seg {
	switch {
	case r.EmailServer.Server != "":
		return []seg{{"✓ set", st.OK}}
	case hasFinding(r, fleet.CodeEmailServerUnset):
		return []seg{{"✗ unset", st.Error}}
	}
	return []seg{{"unset", st.Dim}}
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

func (l *fleetList) tokenCountSegs(st *Styles, r *fleet.DeviceResult) []seg {
	if len(r.Tokens) == 0 {
		return []seg{{"no tokens", st.Dim}}
	}
	counts := map[fleet.Code]int{}
	sev := map[fleet.Code]fleet.Severity{}
	for _, t := range r.Tokens {
		counts[t.Diagnosis]++
		sev[t.Diagnosis] = t.Severity
	}
	segs := []seg{{strconv.Itoa(len(r.Tokens)) + ":", st.Bold}}
	for _, d := range diagOrder {
		if n := counts[d.code]; n > 0 {
			p := l.sevPaint(string(sev[d.code]))
			if d.code == fleet.CodeOK {
				p = st.OK
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
		segs = append(segs, seg{" " + strconv.Itoa(counts[c]) + " " + strings.ToLower(string(c)), st.Dim})
	}
	return segs
}
