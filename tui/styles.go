package tui

import (
	"os"
	"strings"

	"charm.land/lipgloss/v2"
)

// paint is a style reduced to its SGR prefix and suffix. Rendering hot rows
// through lipgloss costs microseconds per cell; concatenating two strings
// costs nanoseconds, which keeps a 5,000-device view under budget.
type paint struct{ pre, post string }

func paintOf(st lipgloss.Style) paint {
	const marker = "\x1f"
	s := st.Render(marker)
	i := strings.Index(s, marker)
	if i < 0 {
		return paint{}
	}
	return paint{pre: s[:i], post: s[i+len(marker):]}
}

// S paints s.
func (p paint) S(s string) string {
	if p.pre == "" && p.post == "" {
		return s
	}
	return p.pre + s + p.post
}

// Styles is the one semantic palette of the TUI. Every colour decision goes
// through it, so NO_COLOR is a different Styles value, not scattered checks.
type Styles struct {
	Color bool // false: attributes only (NO_COLOR)

	TitleBadge, TitleBar, ReadOnlyBadge paint
	PaneBorder, PaneBorderFocus         paint
	PaneTitle, PaneTitleFocus           paint
	ColHeader                           paint
	Selected, SelectedBlur              paint
	Mark                                paint
	Error, Warn, OK, Info, Dim, Bold    paint
	Key, KeyDesc, KeyDisabled           paint
	Match                               paint
	Forticldd, Fortitoken, Alertmail    paint
	OtherSrc, DebugErr                  paint
	DialogBorder, DialogDanger          paint
	Button, ButtonActive                paint
	StatusBar                           paint
}

// NoColorRequested reports whether the NO_COLOR convention asks for plain output.
func NoColorRequested() bool {
	_, set := os.LookupEnv("NO_COLOR")
	return set && os.Getenv("NO_COLOR") != ""
}

// NewStyles returns the colour palette for a dark background, or the
// attributes-only one when color is false.
func NewStyles(color bool) Styles { return newStyles(color, false) }

// NewThemedStyles is NewStyles for a theme: "light" uses colours that read
// on a light background; "dark", "auto" and "" the dark palette (auto is
// then refined from the terminal's answer, see Model.Init).
func NewThemedStyles(color bool, theme string) Styles { return newStyles(color, theme == ThemeLight) }

// Themes of the console (settings file: theme).
const (
	ThemeAuto  = "auto"
	ThemeDark  = "dark"
	ThemeLight = "light"
)

// palette is the handful of colours a theme picks.
type palette struct {
	red, yellow, green, blue, cyan, mag, grey, dim, fg, barBG, selBG, selFG, orange, badgeFG string
}

var (
	darkPalette = palette{red: "#ff5f5f", yellow: "#ffd75f", green: "#5fd787", blue: "#5fafff", cyan: "#5fd7d7",
		mag: "#d787ff", grey: "#bcbcbc", dim: "#6c6c6c", fg: "#e4e4e4", barBG: "#303030", selBG: "#264f78",
		selFG: "#ffffff", orange: "#ff8700", badgeFG: "#1c1c1c"}
	// On a light background the dark palette's yellow, cyan and grey are
	// unreadable: darker tones of the same meanings.
	lightPalette = palette{red: "#c00000", yellow: "#875f00", green: "#007a00", blue: "#005fd7", cyan: "#007f7f",
		mag: "#8700af", grey: "#4e4e4e", dim: "#8a8a8a", fg: "#1c1c1c", barBG: "#dadada", selBG: "#b5d3f5",
		selFG: "#000000", orange: "#c05600", badgeFG: "#ffffff"}
)

func newStyles(color, light bool) Styles {
	n := lipgloss.NewStyle
	if !color {
		return Styles{
			TitleBadge: paintOf(n().Bold(true).Reverse(true)), TitleBar: paint{},
			ReadOnlyBadge:   paintOf(n().Bold(true).Reverse(true)),
			PaneBorderFocus: paintOf(n().Bold(true)), PaneTitleFocus: paintOf(n().Bold(true).Reverse(true)),
			PaneTitle: paintOf(n().Bold(true)), ColHeader: paintOf(n().Bold(true)),
			Selected: paintOf(n().Reverse(true).Bold(true)), SelectedBlur: paintOf(n().Reverse(true)),
			Mark: paintOf(n().Bold(true)), Error: paintOf(n().Bold(true)), Bold: paintOf(n().Bold(true)),
			Key: paintOf(n().Bold(true)), KeyDisabled: paintOf(n().Faint(true)),
			Match: paintOf(n().Reverse(true)), DebugErr: paintOf(n().Bold(true)),
			DialogBorder: paintOf(n().Bold(true)), DialogDanger: paintOf(n().Bold(true)),
			ButtonActive: paintOf(n().Reverse(true).Bold(true)), Button: paint{},
		}
	}
	c := lipgloss.Color
	p := darkPalette
	if light {
		p = lightPalette
	}
	var (
		red, yellow, green = c(p.red), c(p.yellow), c(p.green)
		blue, cyan, mag    = c(p.blue), c(p.cyan), c(p.mag)
		grey, dim, fg      = c(p.grey), c(p.dim), c(p.fg)
		barBG, selBG       = c(p.barBG), c(p.selBG)
		orange, badgeFG    = c(p.orange), c(p.badgeFG)
	)
	return Styles{
		Color:           true,
		TitleBadge:      paintOf(n().Bold(true).Foreground(badgeFG).Background(orange)),
		TitleBar:        paintOf(n().Foreground(fg).Background(barBG)),
		ReadOnlyBadge:   paintOf(n().Bold(true).Foreground(badgeFG).Background(yellow)),
		PaneBorder:      paintOf(n().Foreground(dim)),
		PaneBorderFocus: paintOf(n().Foreground(blue)),
		PaneTitle:       paintOf(n().Foreground(grey).Bold(true)),
		PaneTitleFocus:  paintOf(n().Foreground(badgeFG).Background(blue).Bold(true)),
		ColHeader:       paintOf(n().Foreground(cyan).Bold(true)),
		Selected:        paintOf(n().Foreground(c(p.selFG)).Background(selBG).Bold(true)),
		SelectedBlur:    paintOf(n().Background(barBG)),
		Mark:            paintOf(n().Foreground(mag).Bold(true)),
		Error:           paintOf(n().Foreground(red)),
		Warn:            paintOf(n().Foreground(yellow)),
		OK:              paintOf(n().Foreground(green)),
		Info:            paintOf(n().Foreground(blue)),
		Dim:             paintOf(n().Foreground(dim)),
		Bold:            paintOf(n().Bold(true)),
		Key:             paintOf(n().Foreground(orange).Bold(true)),
		KeyDesc:         paintOf(n().Foreground(grey)),
		KeyDisabled:     paintOf(n().Foreground(dim)),
		Match:           paintOf(n().Foreground(badgeFG).Background(yellow)),
		Forticldd:       paintOf(n().Foreground(cyan)),
		Fortitoken:      paintOf(n().Foreground(mag)),
		Alertmail:       paintOf(n().Foreground(green)),
		OtherSrc:        paintOf(n().Foreground(grey)),
		DebugErr:        paintOf(n().Foreground(red).Bold(true)),
		DialogBorder:    paintOf(n().Foreground(blue)),
		DialogDanger:    paintOf(n().Foreground(red)),
		Button:          paintOf(n().Foreground(grey)),
		ButtonActive:    paintOf(n().Foreground(badgeFG).Background(orange).Bold(true)),
		StatusBar:       paintOf(n().Foreground(fg).Background(barBG)),
	}
}
