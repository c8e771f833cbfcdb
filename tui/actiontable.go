package tui

import (
	"charm.land/bubbles/v2/key"
	"github.com/ftktui/ftktui/fleet"
)

// actionSpec ties a fleet action to its key binding and label. Key
// handling, help, the status line and the rendering of the rule book's
// suggestions all iterate actionSpecs, so an action is never identified by
// a string or by its help text.
type actionSpec struct {
	act   fleet.Action
	label string
	bind  func(*KeyMap) *key.Binding
}

// actionSpecs are fleet's token actions (its registry) with their keys:
// KeyMap.Actions[i] is the key of actionSpecs[i].
var actionSpecs = func() []actionSpec {
	var out []actionSpec
	for _, s := range keyedActions() {
		i := len(out)
		out = append(out, actionSpec{s.Action, s.Label, func(k *KeyMap) *key.Binding { return &k.Actions[i] }})
	}
	return out
}()

// keyedActions are the token actions that have a console key.
func keyedActions() []fleet.ActionSpec {
	var out []fleet.ActionSpec
	for _, s := range fleet.TokenActionSpecs() {
		if s.Key != "" {
			out = append(out, s)
		}
	}
	return out
}

// actionKeys are the default action keys, in actionSpecs order.
func actionKeys() []key.Binding {
	var out []key.Binding
	for _, s := range keyedActions() {
		out = append(out, key.NewBinding(key.WithKeys(s.Key), key.WithHelp(s.Key, s.KeyHelp)))
	}
	return out
}

// actionLabel is the label of a token action ("" for unknown ones).
func actionLabel(a fleet.Action) string {
	for _, s := range actionSpecs {
		if s.act == a {
			return s.label
		}
	}
	return string(a)
}

// actionKey is the key that runs a ("" when no key does).
func (c *common) actionKey(a fleet.Action) string {
	for _, s := range actionSpecs {
		if s.act == a {
			return s.bind(c.keys).Help().Key
		}
	}
	return ""
}

// actionBindings are the action keys in table order.
func (c *common) actionBindings() []*key.Binding {
	out := make([]*key.Binding, len(actionSpecs))
	for i, s := range actionSpecs {
		out[i] = s.bind(c.keys)
	}
	return out
}

// actionFor returns the action bound to b, if b is an action key.
func (c *common) actionFor(b *key.Binding) (fleet.Action, bool) {
	for _, s := range actionSpecs {
		if s.bind(c.keys) == b {
			return s.act, true
		}
	}
	return "", false
}

// suggestText renders a rule book suggestion the console's way: a key.
func (c *common) suggestText(a fleet.Action) string {
	if a == "" {
		return ""
	}
	return "press " + c.actionKey(a) + " (" + actionLabel(a) + ")"
}

// gate is what the console adds to the rule book: --read-only.
func (c *common) gate() fleet.Gate { return fleet.Gate{ReadOnly: c.readOnly} }
