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
		return m.dbg.searchReason()
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

// helpSection is a group of the key map as help shows it.
type helpSection struct {
	title string
	items []keyItem
}

// helpSections are every group of the key map, each binding with why it
// is disabled now.
func (m *Model) helpSections() []helpSection {
	var out []helpSection
	for _, g := range m.keys.helpGroups() {
		out = append(out, helpSection{g.Title, items(m, g.Bindings...)})
	}
	return out
}

// helpBox is the `?` overlay: every group, each binding with its
// description, disabled ones with their reason.
func (c *common) helpBox(sections []helpSection, w, h int) []string {
	st := c.styles
	bw := min(w-2, 150)
	inner := bw - 4
	var body []string
	var starts []int // group header rows: the two-column split happens at one
	for _, g := range sections {
		starts = append(starts, len(body))
		body = append(body, st.ColHeader.S(g.title))
		for _, it := range g.items {
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
	maxRows := max(3, h-4)
	if len(body) > maxRows && inner >= 80 { // two columns when the body is too tall
		body = twoColumns(body, starts, inner/2)
	}
	if len(body) > maxRows {
		body = body[:maxRows]
	}
	return c.box(" Help — keys (? or esc closes) ", bw, inner, body)
}

// twoColumns splits body at the group start nearest its middle and sets
// the halves side by side, the left one cw cells wide.
func twoColumns(body []string, starts []int, cw int) []string {
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
	return merged
}

// box draws an overlay box bw cells wide with the title in its top border.
func (c *common) box(title string, bw, inner int, body []string) []string {
	st := c.styles
	bp := st.DialogBorder
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
