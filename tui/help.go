package tui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/ftktui/ftktui/fleet"
)

// keyItem is a binding as help shows it, with why it is disabled ("" = enabled).
type keyItem struct {
	key, desc, reason string
}

func items(m *Model, bs ...*key.Binding) []keyItem {
	out := make([]keyItem, 0, len(bs))
	for _, b := range bs {
		out = append(out, keyItem{key: b.Help().Key, desc: b.Help().Desc, reason: m.reasonFor(b)})
	}
	return out
}

// reasonFor says why a binding does nothing right now; the same text is shown
// in help and in the status line when the key is pressed. Bindings are
// told apart by identity (a pointer into the key map), never by label.
func (m *Model) reasonFor(b *key.Binding) string {
	k := &m.keys
	if a, ok := m.actionFor(b); ok {
		return m.actionReason(a)
	}
	switch b {
	case &k.Follow, &k.Wrap, &k.Save:
		if !m.showDbg {
			return "debug pane is closed (" + k.Debug.Help().Key + " opens it)"
		}
	case &k.NextMatch, &k.PrevMatch:
		if m.dbg.search.value == "" {
			return "no debug search (press " + k.Filter.Help().Key + " in the debug pane)"
		}
	case &k.Refresh:
		if d := m.dev(m.table.device); d == nil {
			return "no device selected"
		} else if d.scanning {
			return "device is being scanned"
		}
	case &k.RescanAll:
		if len(m.devs) == 0 {
			return "inventory is empty"
		}
	}
	return ""
}

func (m *Model) actionReason(a fleet.Action) string {
	if m.acting {
		return "an action is already running"
	}
	return m.quickReason(a)
}

// helpView is the `?` overlay: every group of the key map, each binding with
// its description, disabled ones with their reason.
func (m *Model) helpView(w, h int) []string {
	st := &m.st
	bw := min(w-2, 150)
	inner := bw - 4
	var body []string
	var starts []int // group header rows: the two-column split happens at one
	for _, g := range m.keys.helpGroups() {
		starts = append(starts, len(body))
		body = append(body, st.ColHeader.S(g.Title))
		for _, it := range items(m, g.Bindings...) {
			line := "  " + st.Key.S(fit(it.key, 8)) + " " + it.desc
			if it.reason != "" {
				line = "  " + st.KeyDisabled.S(fit(it.key, 8)) + " " + st.Dim.S(it.desc+" — disabled: "+it.reason)
			}
			body = append(body, line)
		}
	}
	body = append(body, "", st.Dim.S("Debug pane colours: ")+st.Forticldd.S("cldd forticldd")+"  "+st.Fortitoken.S("ftk fortitoken")+
		"  "+st.Alertmail.S("mail alertmail")+"  "+st.DebugErr.S("! error"))
	body = append(body, st.Dim.S("Marks: space marks tokens (token table) or devices (fleet list); actions apply to marked tokens,"),
		st.Dim.S("or from the fleet list to every token of the marked/selected devices whose diagnosis calls for it."))
	// two columns when the body is too tall
	maxRows := max(3, h-4)
	if len(body) > maxRows && inner >= 80 {
		half := (len(body) + 1) / 2
		best := -1
		for _, s := range starts {
			if s > 0 && (best < 0 || abs(s-half) < abs(best-half)) {
				best = s
			}
		}
		if best > 0 {
			half = best
		}
		left, right := body[:half], body[half:]
		cw := inner / 2
		merged := make([]string, max(len(left), len(right)))
		for i := range merged {
			l, r := "", ""
			if i < len(left) {
				l = left[i]
			}
			if i < len(right) {
				r = right[i]
			}
			merged[i] = padANSI(l, cw) + r
		}
		body = merged
	}
	if len(body) > maxRows {
		body = body[:maxRows]
	}
	bp := st.DialogBorder
	title := " Help — keys (? or esc closes) "
	lines := []string{bp.S("╭─") + st.Bold.S(title) + bp.S(strings.Repeat("─", max(0, bw-3-len([]rune(title))))+"╮")}
	for _, l := range body {
		lines = append(lines, bp.S("│ ")+padANSI(l, inner)+bp.S(" │"))
	}
	return append(lines, bp.S("╰"+strings.Repeat("─", bw-2)+"╯"))
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
