package tui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
	"github.com/ftktui/ftktui/parse"
)

// lineText is what the pane shows and saves for a line: always redacted,
// even though streams already redact, because a missed secret is unrecoverable.
func lineText(l parse.DebugLine) string {
	raw := l.Raw
	if raw == "" {
		raw = l.Message
	}
	return parse.DebugText(ansi.Strip(raw))
}

// isNotice reports a line the debug stream wrote itself (device package:
// "ftktui: …"), not one the device printed.
func isNotice(l parse.DebugLine) bool {
	return l.Source == parse.SourceOther && strings.HasPrefix(l.Raw, "ftktui: ")
}

func (p *debugPane) sourcePaint(l parse.DebugLine) paint {
	st := p.styles
	if isNotice(l) {
		return st.Warn
	}
	if l.IsError {
		return st.DebugErr
	}
	switch l.Source {
	case parse.SourceForticldd:
		return st.Forticldd
	case parse.SourceFortitoken:
		return st.Fortitoken
	case parse.SourceAlertmail:
		return st.Alertmail
	}
	return st.OtherSrc
}

var srcTags = map[parse.Source]string{
	parse.SourceForticldd: "cldd", parse.SourceFortitoken: "ftk ", parse.SourceAlertmail: "mail",
}

func lastWrapped(r *ring, total int64, h, w int) []parse.DebugLine {
	lines := r.tail(total, h)
	rows := 0
	i := len(lines) - 1
	for ; i >= 0; i-- {
		rows += max(1, (ansi.StringWidth(lineText(lines[i]))+max(1, w)-1)/max(1, w))
		if rows >= h {
			break
		}
	}
	return lines[max(0, i):]
}

// debugPrefixW is the width of the error mark, the source tag and its bars
// ("!│cldd│ "): a wrapped chunk gets exactly the rest of the row, so that
// no character falls past the pane's edge at the wrap point.
const debugPrefixW = 8

func (p *debugPane) renderDebugLine(l parse.DebugLine, w int, q string, wrap bool) []string {
	st := p.styles
	sp := p.sourcePaint(l)
	tag, ok := srcTags[l.Source]
	if !ok {
		tag = "    "
	}
	if isNotice(l) {
		tag = "note" // the stream's own news: reconnects, debug duration expiry
	}
	prefix := st.Dim.S("│") + sp.S(tag) + st.Dim.S("│ ")
	mark := " "
	if l.IsError {
		mark = st.DebugErr.S("!")
	}
	text := lineText(l)
	bw := max(1, w-debugPrefixW)
	var chunks []string
	if wrap {
		for ansi.StringWidth(text) > bw {
			c := ansi.Truncate(text, bw, "")
			if c == "" {
				break
			}
			chunks = append(chunks, c)
			text = text[len(c):]
		}
	} else if ansi.StringWidth(text) > bw {
		text = ansi.Truncate(text, bw, "…")
	}
	chunks = append(chunks, text)
	out := make([]string, 0, len(chunks))
	for i, c := range chunks {
		pre := mark + prefix
		if i > 0 {
			pre = " " + st.Dim.S("│    │ ")
		}
		out = append(out, pre+highlight(c, q, sp, st.Match))
	}
	return out
}

// highlight paints every case-insensitive occurrence of q in s.
func highlight(s, q string, base, match paint) string {
	if q == "" {
		return base.S(s)
	}
	ls := strings.ToLower(s)
	if len(ls) != len(s) { // case folding changed byte offsets: skip highlighting
		return base.S(s)
	}
	var b strings.Builder
	for {
		i := strings.Index(ls, q)
		if i < 0 {
			b.WriteString(base.S(s))
			return b.String()
		}
		b.WriteString(base.S(s[:i]))
		b.WriteString(match.S(s[i : i+len(q)]))
		s, ls = s[i+len(q):], ls[i+len(q):]
	}
}
