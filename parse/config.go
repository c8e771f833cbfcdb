package parse

import (
	"fmt"
	"strings"
)

// Block is one `config PATH` ... `end` block.
type Block struct {
	Path     string // "user fortitoken"
	Settings []Setting
	Entries  []*Entry
	Blocks   []*Block
	Line     int // 1-based line of the `config` statement in the cleaned output
}

// Entry is one `edit NAME` ... `next` entry of a block.
type Entry struct {
	Name     string
	Settings []Setting
	Blocks   []*Block
	Line     int
	Marked   bool // the edit line carried a grep `<---` marker
}

// Setting is one `set KEY VALUE...` or `unset KEY` statement.
type Setting struct {
	Key    string
	Values []string // unquoted; for ENC values only ["ENC"]: the blob is never kept
	Enc    bool
	Unset  bool
	Marked bool
	Line   int
}

// Get returns the space-joined values of the last `set key`; false when the
// key is absent or unset.
func (b *Block) Get(key string) (string, bool) { return getSetting(b.Settings, key) }

// Get returns the space-joined values of the last `set key`; false when the
// key is absent or unset.
func (e *Entry) Get(key string) (string, bool) { return getSetting(e.Settings, key) }

func getSetting(ss []Setting, key string) (string, bool) {
	for i := len(ss) - 1; i >= 0; i-- {
		if ss[i].Key == key {
			if ss[i].Unset {
				return "", false
			}
			return strings.Join(ss[i].Values, " "), true
		}
	}
	return "", false
}

// maxQuotedLines bounds how far a quoted value may continue over line ends
// (certificates and replacement messages do that), so an unmatched quote in
// garbage cannot make parsing quadratic.
const maxQuotedLines = 300

// ParseConfig reads FortiOS `config`/`edit`/`set`/`unset`/`next`/`end` text.
// Lines that are not statements (the echo, prompts, `--`, comments) are
// skipped. On output that ends inside a block it returns what it read and an
// error wrapping ErrTruncated.
func ParseConfig(out string) ([]*Block, error) {
	lines := outputLines(out)
	var r configReader
	for i := 0; i < len(lines); i++ {
		lineNo := i + 1
		text, marked := stripMarker(lines[i])
		words, complete := splitWords(text)
		if !complete && len(words) > 0 && words[0] == "set" {
			if j, ok := quoteEnd(lines, i, text); ok {
				parts := []string{text}
				for k := i + 1; k <= j; k++ {
					t, m := stripMarker(lines[k])
					parts = append(parts, t)
					marked = marked || m
				}
				words, _ = splitWords(strings.Join(parts, "\n"))
				i = j
			}
		}
		if len(words) > 0 {
			r.line(words, lineNo, marked)
		}
	}
	if len(r.stack) > 0 {
		return r.top, fmt.Errorf("config %s (line %d): no matching end: %w",
			r.stack[len(r.stack)-1].Path, r.stack[len(r.stack)-1].Line, ErrTruncated)
	}
	return r.top, nil
}

// configReader is ParseConfig's state: the blocks read so far and the open ones.
type configReader struct {
	top   []*Block
	stack []*Block // open blocks, innermost last
	cur   []*Entry // open entry of each open block (nil when none)
}

// line takes one logical line (its words; a quoted value may have spanned lines).
func (r *configReader) line(words []string, lineNo int, marked bool) {
	switch words[0] {
	case "config":
		path := strings.TrimSpace(strings.Join(words[1:], " "))
		if path != "" {
			r.open(&Block{Path: path, Line: lineNo})
		}
	case "edit":
		if len(r.stack) == 0 || len(words) < 2 {
			return
		}
		e := &Entry{Name: words[1], Line: lineNo, Marked: marked}
		b := r.stack[len(r.stack)-1]
		b.Entries = append(b.Entries, e)
		r.cur[len(r.cur)-1] = e // an open entry without `next` closes implicitly
	case "next":
		if len(r.cur) > 0 {
			r.cur[len(r.cur)-1] = nil
		}
	case "end":
		if len(r.stack) > 0 {
			r.stack = r.stack[:len(r.stack)-1]
			r.cur = r.cur[:len(r.cur)-1]
		}
	case "set", "unset":
		if len(r.stack) == 0 || len(words) < 2 {
			return
		}
		s := Setting{Key: words[1], Unset: words[0] == "unset", Marked: marked, Line: lineNo}
		if !s.Unset {
			s.Values = words[2:]
			if len(s.Values) > 0 && s.Values[0] == "ENC" {
				s.Enc = true
				s.Values = []string{"ENC"}
			}
		}
		if e := r.cur[len(r.cur)-1]; e != nil {
			e.Settings = append(e.Settings, s)
		} else {
			b := r.stack[len(r.stack)-1]
			b.Settings = append(b.Settings, s)
		}
	}
}

// open nests b in the open entry, else the open block, else at the top.
func (r *configReader) open(b *Block) {
	switch {
	case len(r.stack) == 0:
		r.top = append(r.top, b)
	case r.cur[len(r.cur)-1] != nil:
		e := r.cur[len(r.cur)-1]
		e.Blocks = append(e.Blocks, b)
	default:
		p := r.stack[len(r.stack)-1]
		p.Blocks = append(p.Blocks, b)
	}
	r.stack = append(r.stack, b)
	r.cur = append(r.cur, nil)
}

// quoteEnd finds the line that closes the quote left open by lines[i]
// (whose marker-stripped text is first). It gives up at a line that is
// itself a statement, or after maxQuotedLines lines.
func quoteEnd(lines []string, i int, first string) (int, bool) {
	q := scanQuote(first, 0)
	for j := i + 1; j < len(lines) && j <= i+maxQuotedLines; j++ {
		t, _ := stripMarker(lines[j])
		if isStatement(t) {
			return 0, false
		}
		if q = scanQuote("\n"+t, q); q == 0 {
			return j, true
		}
	}
	return 0, false
}

// scanQuote continues splitWords' quote tracking over s, starting inside
// quote q (0 = outside), and returns the quote still open at the end.
func scanQuote(s string, q byte) byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case q != 0 && c == '\\' && i+1 < len(s) && (s[i+1] == q || s[i+1] == '\\'):
			i++
		case q != 0 && c == q:
			q = 0
		case q == 0 && (c == '"' || c == '\''):
			q = c
		}
	}
	return q
}

// isStatement reports whether a line starts a config statement, which a
// quoted value never spans in practice.
func isStatement(line string) bool {
	t := strings.TrimSpace(line)
	switch t {
	case "next", "end":
		return true
	}
	for _, p := range []string{"set ", "unset ", "edit ", "config "} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// stripMarker removes grep's trailing `<---` match marker.
func stripMarker(line string) (string, bool) {
	t := strings.TrimRight(line, " \t")
	if strings.HasSuffix(t, "<---") {
		return strings.TrimRight(strings.TrimSuffix(t, "<---"), " \t"), true
	}
	return line, false
}

// splitWords splits a statement into words, honouring "double" and 'single'
// quotes with backslash escapes. complete is false when a quote is left open
// (the last word then holds the rest of the text).
func splitWords(s string) (words []string, complete bool) {
	var w strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			switch {
			case c == '\\' && i+1 < len(s) && (s[i+1] == quote || s[i+1] == '\\'):
				i++
				w.WriteByte(s[i])
			case c == quote:
				quote = 0
			default:
				w.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
			inWord = true
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, quote == 0
}

// findBlocks returns every block with the given path, at any depth (inside
// `config global` or `config vdom` / `edit X` wrappers too), in order.
func findBlocks(bs []*Block, path string) []*Block {
	var out []*Block
	var walk func([]*Block)
	walk = func(bs []*Block) {
		for _, b := range bs {
			if b.Path == path {
				out = append(out, b)
			}
			walk(b.Blocks)
			for _, e := range b.Entries {
				walk(e.Blocks)
			}
		}
	}
	walk(bs)
	return out
}
