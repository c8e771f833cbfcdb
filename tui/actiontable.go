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

var actionSpecs = []actionSpec{
	{fleet.ActionActivate, "activate", func(k *KeyMap) *key.Binding { return &k.Activate }},
	{fleet.ActionReadd, "delete & re-add", func(k *KeyMap) *key.Binding { return &k.Readd }},
	{fleet.ActionResend, "resend activation email", func(k *KeyMap) *key.Binding { return &k.Resend }},
	{fleet.ActionRenew, "renew", func(k *KeyMap) *key.Binding { return &k.Renew }},
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
