package sim

// prompt is the CLI prompt in its current form: "HOST # ", "HOST $ " for a
// read-only admin, "HOST (scope) # " inside config/VDOM scopes, with the
// HA role of a 7.6.7+ cluster member glued to the hostname
// ("HOST(Primary) (global) # "), an interim build's "HOST (Interim)# " (no
// space before the terminator) and a long hostname cut with '~'
// (fortios-wire.md §7).
func (s *session) prompt() string {
	d := s.d
	d.mu.Lock()
	st := d.st
	p := st.hostname
	if n := st.promptMax; n > 0 && len(p) > n {
		p = p[:n] + "~"
	}
	if st.interim {
		p += " (Interim)"
	}
	if st.haRole != "" {
		p += "(" + st.haRole + ")"
	}
	readonly, interim := st.readonly, st.interim
	d.mu.Unlock()
	if n := len(s.scopes); n > 0 {
		p += " (" + s.scopes[n-1].label() + ")"
	}
	term := "#"
	if readonly {
		term = "$"
	}
	if interim {
		return p + term + " "
	}
	return p + " " + term + " "
}
