package tui

import (
	"charm.land/bubbles/v2/key"
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

// openOrClear is what / and esc do to a pane's filter when no editor is
// open: / opens a fresh one (typing after a second / does not append to the
// first), esc clears a set one. False for any other key.
func (in *lineInput) openOrClear(k tea.KeyPressMsg, km *KeyMap) bool {
	switch {
	case key.Matches(k, km.Filter):
		*in = lineInput{active: true}
	case key.Matches(k, km.Back) && in.value != "":
		in.value = ""
	default:
		return false
	}
	return true
}

func (in *lineInput) view(st *Styles, prompt string) string {
	if !in.active && in.value == "" {
		return ""
	}
	cur := ""
	if in.active {
		cur = "█"
	}
	return st.Key.S(prompt) + in.value + cur
}
