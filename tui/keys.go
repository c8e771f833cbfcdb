package tui

import "charm.land/bubbles/v2/key"

// KeyMap holds every binding of the TUI (docs/spec.md §8). Short help, full help
// and key dispatch all read these same values, so the help cannot drift from
// what the keys do.
type KeyMap struct {
	Up, Down, PageUp, PageDown, Top, Bottom key.Binding
	Open, Back, NextPane                    key.Binding
	Filter, Mark, MarkAll, MarkDiag         key.Binding
	Refresh, RescanAll                      key.Binding
	Debug, Follow, Save, Wrap, Zoom         key.Binding
	NextMatch, PrevMatch                    key.Binding
	// Actions are the token action keys, one per fleet.TokenActionSpecs
	// row, in that order (actionSpecs).
	Actions                              []key.Binding
	History, Help, Quit                  key.Binding
	Export, ExportJSON                   key.Binding
	Elsewhere                            key.Binding
	Confirm, Cancel, Left, Right, Accept key.Binding
}

// DefaultKeyMap returns the keys of docs/spec.md §8.
func DefaultKeyMap() KeyMap {
	b := func(keys []string, k, desc string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(k, desc))
	}
	return KeyMap{
		Up:         b([]string{"k", "up"}, "k/↑", "up"),
		Down:       b([]string{"j", "down"}, "j/↓", "down"),
		PageUp:     b([]string{"pgup", "ctrl+u"}, "pgup", "page up"),
		PageDown:   b([]string{"pgdown", "ctrl+d"}, "pgdn", "page down"),
		Top:        b([]string{"g", "home"}, "g", "top"),
		Bottom:     b([]string{"G", "end"}, "G", "bottom"),
		Open:       b([]string{"enter"}, "enter", "open device / token detail"),
		Back:       b([]string{"esc"}, "esc", "back / clear"),
		NextPane:   b([]string{"tab"}, "tab", "next pane"),
		Filter:     b([]string{"/"}, "/", "filter / search"),
		Mark:       b([]string{"space"}, "space", "mark row"),
		MarkAll:    b([]string{"ctrl+a"}, "ctrl+a", "mark all rows shown"),
		MarkDiag:   b([]string{"M"}, "M", "mark this diagnosis fleet-wide"),
		Refresh:    b([]string{"r"}, "r", "refresh device"),
		RescanAll:  b([]string{"R"}, "R", "rescan all"),
		Debug:      b([]string{"d"}, "d", "debug"),
		Follow:     b([]string{"f"}, "f", "follow"),
		Save:       b([]string{"ctrl+s"}, "ctrl+s", "save log"),
		Wrap:       b([]string{"w"}, "w", "wrap"),
		Zoom:       b([]string{"z"}, "z", "zoom"),
		NextMatch:  b([]string{"n"}, "n", "next match"),
		PrevMatch:  b([]string{"N"}, "N", "prev match"),
		Actions:    actionKeys(),
		History:    b([]string{"h"}, "h", "history"),
		Elsewhere:  b([]string{"o"}, "o", "jump to the other unit holding the token"),
		Export:     b([]string{"ctrl+e"}, "ctrl+e", "export view (CSV)"),
		ExportJSON: b([]string{"alt+e"}, "alt+e", "export view (JSON)"),
		Help:       b([]string{"?"}, "?", "help"),
		Quit:       b([]string{"q", "ctrl+c"}, "q", "quit"),
		Confirm:    b([]string{"y", "Y"}, "y", "confirm"),
		Cancel:     b([]string{"n", "N", "esc"}, "n/esc", "cancel"),
		Left:       b([]string{"left", "h", "shift+tab"}, "←", "focus No"),
		Right:      b([]string{"right", "l", "tab"}, "→", "focus Yes"),
		Accept:     b([]string{"enter"}, "enter", "choose focused button (No)"),
	}
}

// helpGroups is the full help, grouped; the first group of each pane is what
// the status line shows.
func (k *KeyMap) helpGroups() []helpGroup {
	acts := make([]*key.Binding, 0, len(actionSpecs)+2)
	for _, s := range actionSpecs {
		acts = append(acts, s.bind(k))
	}
	acts = append(acts, &k.Refresh, &k.RescanAll)
	return []helpGroup{
		{"Navigation", []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom, &k.Open, &k.Back, &k.NextPane, &k.Filter, &k.Mark, &k.MarkAll, &k.MarkDiag, &k.Elsewhere}},
		{"Actions", acts},
		{"Debug pane", []*key.Binding{&k.Debug, &k.Follow, &k.Wrap, &k.Save, &k.Zoom, &k.NextMatch, &k.PrevMatch}},
		{"App", []*key.Binding{&k.History, &k.Export, &k.ExportJSON, &k.Help, &k.Quit}},
		{"Dialog", []*key.Binding{&k.Confirm, &k.Cancel, &k.Accept}},
	}
}

type helpGroup struct {
	Title    string
	Bindings []*key.Binding
}
