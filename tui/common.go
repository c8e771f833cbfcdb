package tui

import "github.com/ftktui/ftktui/fleet"

// common is the small context every component shares, as soft-serve's
// pkg/ui/common: the area the component draws in, and the palette, key map
// and console gate they all read. Each component holds its own copy (its own
// size); the pointers are shared, so a theme change reaches every pane.
type common struct {
	width, height int
	styles        *Styles
	keys          *KeyMap
	readOnly      bool // --read-only: no action can be sent
}

// sevPaint maps a severity to its colour.
func (c *common) sevPaint(sev string) paint {
	st := c.styles
	switch sev {
	case "error":
		return st.Error
	case "warn":
		return st.Warn
	case "ok":
		return st.OK
	case "info":
		return st.Info
	}
	return paint{}
}

// sevGlyph is the state mark of a severity ("error", "warn", "ok"). With
// colour the dot's colour tells them apart; without (NO_COLOR) each has
// its own shape, so severity stays readable.
func (c *common) sevGlyph(sev string) string {
	if c.styles.Color {
		return "●"
	}
	switch sev {
	case "error":
		return "✗"
	case "warn":
		return "▲"
	}
	return "✓"
}

// deviceReason says why no action can run on the device, or "": the rule
// book's device conditions, plus what only the console knows (no result yet).
func (c *common) deviceReason(d *devState) string {
	switch {
	case c.readOnly:
		return "read-only session (--read-only)"
	case d == nil:
		return "no device selected"
	case d.res == nil:
		return "device not scanned yet (" + c.keys.Refresh.Help().Key + " scans it)"
	}
	return fleet.DeviceCheck(fleet.ActionActivate, d.res, c.gate()).Reason
}

// tokenReason says why action a does not fit token t, or "": the rule
// book's verdict, with its suggestion rendered as a key.
func (c *common) tokenReason(a fleet.Action, d *devState, t *fleet.TokenResult) string {
	if r := c.deviceReason(d); r != "" {
		return r
	}
	v := fleet.Check(a, d.res, t, c.gate())
	if v.Eligible() {
		return ""
	}
	if v.Suggest != "" {
		return v.Reason + " — " + c.suggestText(v.Suggest)
	}
	return v.Reason
}

// tokenAdvice is the token's advice with the rule book's suggestion as a key.
func (c *common) tokenAdvice(d *devState, t *fleet.TokenResult) string {
	if d == nil || d.res == nil {
		return t.Advice
	}
	if a := fleet.Suggest(d.res, t, c.gate()); a != "" {
		return t.Advice + " — " + c.suggestText(a)
	}
	return t.Advice
}

// paneEvent is what a key handled by a pane asks of the root model.
type paneEvent int

const (
	paneIgnored  paneEvent = iota // not the pane's key: the root's own keys get it
	paneHandled                   // done inside the pane
	paneMoved                     // the selection moved: the panes that follow it are re-pointed
	paneFiltered                  // the filter opened, changed or cleared
	paneOpen                      // enter: open what is under the cursor
)

// reply is a pane's answer to a key: the event, and a status line to show
// ("" leaves it alone).
type reply struct {
	ev          paneEvent
	status, sev string
}

func handled() reply { return reply{ev: paneHandled} }

func warn(status string) reply { return reply{ev: paneHandled, status: status, sev: "warn"} }
