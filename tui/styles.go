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

// NewStyles returns the colour palette, or the attributes-only one when
// color is false.
func NewStyles(color bool) Styles {
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
	var (
		red, yellow, green = c("#ff5f5f"), c("#ffd75f"), c("#5fd787")
		blue, cyan, mag    = c("#5fafff"), c("#5fd7d7"), c("#d787ff")
		grey, dim, fg      = c("#bcbcbc"), c("#6c6c6c"), c("#e4e4e4")
		barBG, selBG       = c("#303030"), c("#264f78")
		orange             = c("#ff8700")
	)
	return Styles{
		Color:           true,
		TitleBadge:      paintOf(n().Bold(true).Foreground(c("#1c1c1c")).Background(orange)),
		TitleBar:        paintOf(n().Foreground(fg).Background(barBG)),
		ReadOnlyBadge:   paintOf(n().Bold(true).Foreground(c("#1c1c1c")).Background(yellow)),
		PaneBorder:      paintOf(n().Foreground(dim)),
		PaneBorderFocus: paintOf(n().Foreground(blue)),
		PaneTitle:       paintOf(n().Foreground(grey).Bold(true)),
		PaneTitleFocus:  paintOf(n().Foreground(c("#1c1c1c")).Background(blue).Bold(true)),
		ColHeader:       paintOf(n().Foreground(cyan).Bold(true)),
		Selected:        paintOf(n().Foreground(c("#ffffff")).Background(selBG).Bold(true)),
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
		Match:           paintOf(n().Foreground(c("#1c1c1c")).Background(yellow)),
		Forticldd:       paintOf(n().Foreground(cyan)),
		Fortitoken:      paintOf(n().Foreground(mag)),
		Alertmail:       paintOf(n().Foreground(green)),
		OtherSrc:        paintOf(n().Foreground(grey)),
		DebugErr:        paintOf(n().Foreground(red).Bold(true)),
		DialogBorder:    paintOf(n().Foreground(blue)),
		DialogDanger:    paintOf(n().Foreground(red)),
		Button:          paintOf(n().Foreground(grey)),
		ButtonActive:    paintOf(n().Foreground(c("#1c1c1c")).Background(orange).Bold(true)),
		StatusBar:       paintOf(n().Foreground(fg).Background(barBG)),
	}
}

// sevGlyph is the state mark of a severity ("error", "warn", "ok"). With
// colour the dot's colour tells them apart; without (NO_COLOR) each has
// its own shape, so severity stays readable.
func (m *Model) sevGlyph(sev string) string {
	if m.st.Color {
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
