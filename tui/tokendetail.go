package tui

import (
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// The token detail view (enter on a token): every field the table cuts,
// the full advice, what each action key would do for it, and the lines sent
// for it this session. esc or enter closes it; any other key closes it and
// does what it does in the token table (so `a` acts on this token).

// openDetail shows the selected token in the detail view.
func (m *Model) openDetail() {
	if t := m.selectedToken(); t != nil {
		m.detail = &tokenKey{m.table.device, t.Serial}
	}
}

// detailToken resolves the open detail view to its token (nil when it is
// gone, e.g. after a rescan removed it).
func (m *Model) detailToken() (*devState, *fleet.TokenResult) {
	if m.detail == nil {
		return nil, nil
	}
	d := m.dev(m.detail.device)
	if d == nil || d.res == nil {
		return nil, nil
	}
	for i := range d.res.Tokens {
		if d.res.Tokens[i].Serial == m.detail.serial {
			return d, &d.res.Tokens[i]
		}
	}
	return d, nil
}

func (m *Model) detailView(w, h int) []string {
	d, t := m.detailToken()
	return m.detailBox(d, t, m.hist.entries, w, h)
}

// detailBox draws the detail view of token t on device d, with the lines
// sent for it among sent.
func (c *common) detailBox(d *devState, t *fleet.TokenResult, sent []histEntry, w, h int) []string {
	bw := min(w-2, 120)
	inner := bw - 4
	var body []string
	if t == nil {
		body = append(body, c.styles.Dim.S("the token is no longer on the device (rescanned)"))
	} else {
		body = c.detailBody(d, t, sent, inner)
	}
	maxRows := max(3, h-2)
	if len(body) > maxRows {
		body = body[len(body)-maxRows:] // the newest sent lines matter most
	}
	return c.box(" Token detail (esc closes) ", bw, inner, body)
}

func (c *common) detailBody(d *devState, t *fleet.TokenResult, sent []histEntry, inner int) []string {
	st := c.styles
	var body []string
	field := func(k, v string) { // wrapText gets plain text: it cuts by bytes after the indent
		body = append(body, wrapText(fit(k, 11)+" "+v, inner, paint{})...)
	}
	seed := "no"
	if t.Seed {
		seed = "yes"
	}
	users := strings.Join(t.Users, ", ")
	if users == "" {
		users = "— (not assigned)"
	}
	field("device", d.dev.Name+" · vdom "+d.vdom())
	field("serial", t.Serial)
	field("kind", t.Kind)
	field("status", t.Status)
	field("seed", seed)
	if t.Locked {
		field("locked", "yes (config set status lock)")
	}
	if t.Kind == parse.TokenKindHardware {
		field("drift", sprintf("%d", t.Drift))
	}
	field("users", users)
	step := ""
	if t.Step != "" {
		step = " · KB step " + t.Step
	}
	field("diagnosis", string(t.Diagnosis)+" ("+string(t.Severity)+")"+step)
	body = append(body, "", st.ColHeader.S("Also on (other scanned units)"))
	for _, l := range elsewhereLines(t, c.keys.Elsewhere.Help().Key) {
		body = append(body, wrapText(l, inner, paint{})...)
	}
	body = append(body, "", st.ColHeader.S("Advice"))
	body = append(body, wrapText("  "+t.Advice, inner, paint{})...)
	body = append(body, "", st.ColHeader.S("Actions"))
	for _, sp := range actionSpecs {
		k := c.actionKey(sp.act)
		if r := c.tokenReason(sp.act, d, t); r != "" {
			body = append(body, wrapText("  "+fit(k, 3)+" "+sp.label+" — "+r, inner, st.Dim)...)
			continue
		}
		body = append(body, "  "+st.Key.S(fit(k, 3))+" "+sp.label+" — can run")
	}
	return append(body, c.sentLines(d, t, sent, inner)...)
}

// sentLines are the detail view's record of what was sent for the token.
func (c *common) sentLines(d *devState, t *fleet.TokenResult, sent []histEntry, inner int) []string {
	st := c.styles
	body := []string{"", st.ColHeader.S("Sent for this token in this session")}
	n := 0
	for _, e := range sent {
		if e.device != d.dev.Name || !strings.Contains(e.text, t.Serial) {
			continue
		}
		n++
		body = append(body, wrapText("  "+e.at.Format("15:04:05")+" "+e.kind+" "+e.text, inner, st.Dim)...)
		for _, l := range e.lines {
			body = append(body, "    "+st.Dim.S("❯ ")+l)
		}
	}
	if n == 0 {
		body = append(body, st.Dim.S("  nothing"))
	}
	return body
}
