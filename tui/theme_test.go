package tui

import (
	"image/color"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// theme auto follows the terminal's answer to the background query; a
// forced theme ignores it; light and dark palettes differ.
func TestThemeFollowsBackground(t *testing.T) {
	dark, light := newStyles(true, false), newStyles(true, true)
	if dark.Warn.S("x") == light.Warn.S("x") || dark.Dim.S("x") == light.Dim.S("x") {
		t.Fatal("the light palette is the dark one")
	}
	white := tea.BackgroundColorMsg{Color: color.White}
	for _, tc := range []struct {
		theme string
		msg   tea.Msg
		want  Styles
	}{
		{"", white, light},
		{ThemeAuto, tea.BackgroundColorMsg{Color: color.Black}, dark},
		{ThemeDark, white, dark},
		{ThemeLight, tea.BackgroundColorMsg{Color: color.Black}, light},
	} {
		m := New(Options{Backend: newFake(), Theme: tc.theme, NoInitialScan: true})
		m.Update(tc.msg)
		if m.st.Warn.S("x") != tc.want.Warn.S("x") {
			t.Errorf("theme %q after %v: wrong palette", tc.theme, tc.msg)
		}
	}
	// NO_COLOR wins over any theme.
	m := New(Options{Backend: newFake(), Theme: ThemeLight, NoColor: true, NoInitialScan: true})
	m.Update(white)
	if m.st.Color {
		t.Error("NoColor with theme light has colours")
	}
}
