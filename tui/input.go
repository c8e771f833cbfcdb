package tui

import (
	tea "charm.land/bubbletea/v2"
)

// lineInput is the one-line editor behind `/`. It is deliberately tiny: a
// filter needs typing, backspace, enter and esc, nothing more.
type lineInput struct {
	value  string
	active bool
}

// key applies a key press; it reports whether the value changed and whether
// editing ended.
func (in *lineInput) key(k tea.KeyPressMsg) (changed, done bool) {
	switch k.String() {
	case "esc":
		in.active = false
		changed = in.value != ""
		in.value = ""
		return changed, true
	case "enter":
		in.active = false
		return false, true
	case "backspace":
		if in.value == "" {
			return false, false
		}
		r := []rune(in.value)
		in.value = string(r[:len(r)-1])
		return true, false
	case "ctrl+u":
		in.value = ""
		return true, false
	}
	if k.Text != "" && k.Mod&^tea.ModShift == 0 {
		in.value += k.Text
		return true, false
	}
	return false, false
}

func (in *lineInput) view(m *Model, prompt string) string {
	if !in.active && in.value == "" {
		return ""
	}
	cur := ""
	if in.active {
		cur = "█"
	}
	return m.st.Key.S(prompt) + in.value + cur
}
