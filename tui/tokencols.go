package tui

import (
	"strings"

	"github.com/ftktui/ftktui/fleet"
)

// columns are the token table's columns. STATUS and USERS fit their
// longest value (within bounds) so that neither is cut while ADVICE has
// room; ADVICE keeps 40 columns before STATUS grows, and takes the rest.
func (t *tokenTable) columns() []column[tokenRow] {
	st := t.styles
	text := func(f func(*fleet.TokenResult) string) func(tokenRow) []seg {
		return func(r tokenRow) []seg { return []seg{{f(r.tok), paint{}}} }
	}
	return []column[tokenRow]{
		{title: "", width: 1, cell: func(r tokenRow) []seg {
			if t.marks[tokenKey{r.d.dev.Name, r.tok.Serial}] {
				return []seg{{"▌", st.Mark}}
			}
			return []seg{{" ", paint{}}}
		}},
		{title: "SERIAL", width: 16, cell: func(r tokenRow) []seg { return []seg{{r.tok.Serial, st.Bold}} }},
		{title: "KIND", width: 8, hideBelow: 90, cell: text(func(tok *fleet.TokenResult) string { return tok.Kind })},
		{title: "STATUS", width: 22, fit: func() int { return t.statusW }, fitMin: 10, fitMax: 60, yields: true, cell: text(statusText)},
		{title: "SEED", width: 4, hideBelow: 80, cell: func(r tokenRow) []seg {
			if r.tok.Seed {
				return []seg{{"yes", paint{}}}
			}
			return []seg{{"no", st.Dim}}
		}},
		{title: "USERS", width: 18, hideBelow: 100, fit: func() int { return t.usersW }, fitMin: 8, fitMax: 30,
			cell: text(func(tok *fleet.TokenResult) string {
				if users := strings.Join(tok.Users, ","); users != "" {
					return users
				}
				return "—"
			})},
		{title: "DIAGNOSIS", width: 19, cell: func(r tokenRow) []seg {
			sp := t.sevPaint(string(r.tok.Severity))
			if r.tok.Diagnosis == fleet.CodeOK {
				sp = st.OK
			}
			return []seg{{string(r.tok.Diagnosis), sp}}
		}},
		{title: "ADVICE", flex: true, cell: t.adviceCell},
	}
}

// adviceCell is where else the token lives first (it changes what to do),
// then the advice.
func (t *tokenTable) adviceCell(r tokenRow) []seg {
	adv := seg{t.tokenAdvice(r.d, r.tok), t.styles.Dim}
	if a := alsoOn(r.tok); a != "" {
		return []seg{{a + " · ", t.styles.Warn}, adv}
	}
	return []seg{adv}
}
