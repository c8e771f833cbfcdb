package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

type dialogPhase int

const (
	phasePlanning dialogPhase = iota
	phaseConfirm
	phaseRunning
	phaseDone
)

// planItem is one token of an action: its plan, then its result.
type planItem struct {
	req     fleet.ActionRequest
	plan    *fleet.Plan
	err     error
	running bool
	result  *fleet.ActionResult
}

func (it planItem) sendable() bool {
	return it.err == nil && it.plan != nil && it.plan.Refused == ""
}

// dialog is the confirmation and result box of an action. Its focused
// button starts on No: enter without thinking never sends anything.
type dialog struct {
	id      int
	action  fleet.Action
	phase   dialogPhase
	items   []planItem
	skipped []string
	yes     bool
	scroll  int
}

// dialogOutcome is what a key in the dialog asks of the root model.
type dialogOutcome int

// Dialog outcomes.
const (
	dialogStay           dialogOutcome = iota // the dialog handled it (focus, scroll) or ignored it
	dialogConfirm                             // y, or enter on Yes: run the plan
	dialogCancel                              // n / esc, or enter on No: nothing is sent
	dialogCancelPlanning                      // esc while the plan is being read
	dialogBusy                                // a key while the action runs
	dialogClose                               // the result was read
)

// Update is the dialog's own key handling: it moves its focus and scroll
// itself and tells the root what else to do. The default answer is No.
func (d *dialog) Update(k tea.KeyPressMsg, km *KeyMap) dialogOutcome {
	scroll := func() bool {
		switch {
		case key.Matches(k, km.Up):
			d.scroll--
		case key.Matches(k, km.Down):
			d.scroll++
		default:
			return false
		}
		return true
	}
	switch d.phase {
	case phaseConfirm:
		switch {
		case key.Matches(k, km.Confirm):
			return dialogConfirm
		case key.Matches(k, km.Cancel):
			return dialogCancel
		case key.Matches(k, km.Accept):
			if d.yes {
				return dialogConfirm
			}
			return dialogCancel
		case key.Matches(k, km.Left):
			d.yes = false
		case key.Matches(k, km.Right):
			d.yes = true
		default:
			scroll()
		}
	case phasePlanning:
		if k.String() == "esc" {
			return dialogCancelPlanning
		}
	case phaseRunning:
		if !scroll() {
			return dialogBusy
		}
	case phaseDone:
		if s := k.String(); s == "esc" || s == "enter" || s == "q" {
			return dialogClose
		}
		scroll()
	}
	return dialogStay
}

func (d *dialog) title() string {
	n := 0
	for _, it := range d.items {
		if it.sendable() {
			n++
		}
	}
	name := actionLabel(d.action)
	switch d.phase {
	case phasePlanning:
		return "Planning " + name + "…"
	case phaseRunning:
		return "Running " + name + " — debug is armed, watch the pane"
	case phaseDone:
		return "Result: " + name
	}
	if n == 1 {
		return strings.ToUpper(name[:1]) + name[1:] + " 1 token?"
	}
	return sprintf("%s%s %d tokens?", strings.ToUpper(name[:1]), name[1:], n)
}

// body is the scrollable content of the dialog.
func (d *dialog) body(c *common, w int) []string {
	st := c.styles
	var out []string
	for _, it := range d.items {
		head := st.Bold.S(it.req.Device) + st.Dim.S(" · ") + st.Bold.S(it.req.Token)
		switch {
		case it.result != nil && it.result.Verified:
			head += "  " + st.OK.S("✓ verified")
		case it.result != nil:
			o := it.result.Outcome
			if o == "" || o == "verified" {
				o = "failed"
			}
			head += "  " + st.Error.S("✗ "+o)
		case it.running:
			head += "  " + st.Info.S("⟳ running")
		case d.phase == phasePlanning:
			head += "  " + st.Dim.S("planning…")
		}
		out = append(out, head)
		if it.result != nil && it.result.Message != "" {
			p := st.OK
			if !it.result.Verified {
				p = st.Error
			}
			out = append(out, wrapText("  "+parse.Redact(it.result.Message), w, p)...)
		}
		if it.err != nil {
			out = append(out, wrapText("  ✗ plan failed: "+parse.Redact(it.err.Error()), w, st.Error)...)
			continue
		}
		if it.plan == nil {
			continue
		}
		if it.plan.Refused != "" {
			out = append(out, wrapText("  ✗ refused: "+it.plan.Refused, w, st.Error)...)
			if it.plan.Suggest != "" {
				out = append(out, wrapText("  instead: "+c.suggestText(it.plan.Suggest), w, st.Dim)...)
			}
		}
		if d.phase == phaseConfirm || d.phase == phasePlanning {
			if len(it.plan.DebugArm) > 0 {
				out = append(out, wrapText("  debug capture armed first, own session: "+strings.Join(it.plan.DebugArm, "; "), w, st.Dim)...)
			}
			for _, l := range it.plan.Lines {
				out = append(out, "  "+st.Dim.S("❯ ")+padANSI(parse.Redact(l), w-4))
			}
			if len(it.plan.DebugDisarm) > 0 {
				out = append(out, wrapText("  then, whatever happens: "+strings.Join(it.plan.DebugDisarm, "; "), w, st.Dim)...)
			}
		}
		for _, wmsg := range it.plan.Warnings {
			if d.phase != phaseConfirm {
				break
			}
			out = append(out, wrapText("  ⚠ "+wmsg, w, st.Warn)...)
		}
		if it.plan.Advice != "" && d.phase == phaseConfirm {
			out = append(out, wrapText("  "+it.plan.Advice, w, st.Dim)...)
		}
	}
	if len(d.skipped) > 0 {
		out = append(out, "", st.Warn.S("Skipped:"))
		for _, s := range d.skipped {
			out = append(out, wrapText("  – "+s, w, st.Dim)...)
		}
	}
	return out
}

// wrapText wraps s to w cells (breaking words longer than a line);
// continuation lines are indented under the text that follows the leading
// marker ("  ⚠ ", "  – ").
func wrapText(s string, w int, p paint) []string {
	indent := len(s) - len(strings.TrimLeft(s, " "))
	if f := strings.Fields(s); len(f) > 1 && ansi.StringWidth(f[0]) == 1 {
		indent += ansi.StringWidth(f[0]) + 1 // a one-cell marker and its space
	}
	w = max(w, indent+10)
	if ansi.StringWidth(s) <= w {
		return []string{p.S(s)}
	}
	head := ansi.Truncate(s, indent, "")
	body := ansi.Wrap(strings.TrimLeft(s[len(head):], " "), w-indent, " ")
	pad := strings.Repeat(" ", indent)
	var out []string
	for i, l := range strings.Split(body, "\n") {
		if i == 0 {
			out = append(out, p.S(head+l))
			continue
		}
		out = append(out, p.S(pad+l))
	}
	return out
}

func (d *dialog) footer(c *common) string {
	st := c.styles
	switch d.phase {
	case phaseConfirm:
		// Brackets mark the focused button, so the default stays readable
		// without colour (NO_COLOR, screen readers, tmux captures).
		no, yes := st.ButtonActive.S("[ No ]"), st.Button.S("  Yes  ")
		if d.yes {
			no, yes = st.Button.S("  No  "), st.ButtonActive.S("[ Yes ]")
		}
		return no + "  " + yes + "   " + st.Key.S("y") + st.KeyDesc.S(" send · ") + st.Key.S("n/esc") +
			st.KeyDesc.S(" cancel · ") + st.Key.S("enter") + st.KeyDesc.S(" focused (default No)")
	case phaseRunning:
		return st.Info.S("⟳ sending… results appear per token") + st.KeyDesc.S("  (the dialog stays until done)")
	case phaseDone:
		return st.Key.S("enter/esc") + st.KeyDesc.S(" close")
	}
	return st.Key.S("esc") + st.KeyDesc.S(" cancel")
}

// view draws the dialog box for a w×h screen area; the root overlays it.
func (d *dialog) view(c *common, w, h int) []string {
	st := c.styles
	bw := min(w-4, 96)
	bh := h - 2
	inner := bw - 4
	body := d.body(c, inner)
	maxBody := max(1, bh-5)
	if len(body) < maxBody {
		maxBody = len(body)
	}
	d.scroll = max(0, min(d.scroll, len(body)-maxBody))
	shown := body[d.scroll : d.scroll+maxBody]
	bp := st.DialogBorder
	if d.action != "" && d.phase == phaseConfirm {
		bp = st.DialogDanger
	}
	title := " " + d.title() + " "
	lines := []string{bp.S("╭─") + st.Bold.S(title) + bp.S(strings.Repeat("─", max(0, bw-3-ansi.StringWidth(title)))+"╮")}
	row := func(s string) string { return bp.S("│ ") + padANSI(s, inner) + bp.S(" │") }
	lines = append(lines, row(""))
	for _, l := range shown {
		lines = append(lines, row(l))
	}
	more := ""
	if len(body) > maxBody {
		more = st.Dim.S(sprintf("↑/↓ scroll (%d–%d of %d)", d.scroll+1, d.scroll+maxBody, len(body)))
	}
	lines = append(lines, row(more), row(d.footer(c)))
	lines = append(lines, bp.S("╰"+strings.Repeat("─", bw-2)+"╯"))
	return lines
}
