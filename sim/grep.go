package sim

import (
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
)

// grepOpts is a parsed `| grep [-v] [-f] [-i] PATTERN`.
type grepOpts struct {
	invert, context, icase bool
	pattern                string
}

// parseGrep returns the options, or the word FortiOS would complain about.
func parseGrep(w []string) (grepOpts, string) {
	var g grepOpts
	if len(w) == 0 {
		return g, "|"
	}
	if _, ok := match(w[0], "grep"); !ok {
		return g, w[0]
	}
	for _, a := range w[1:] {
		if strings.HasPrefix(a, "-") && len(a) > 1 && g.pattern == "" {
			for _, c := range a[1:] {
				switch c {
				case 'v':
					g.invert = true
				case 'f':
					g.context = true
				case 'i':
					g.icase = true
				default:
					return g, a
				}
			}
			continue
		}
		if g.pattern != "" {
			g.pattern += " "
		}
		g.pattern += a
	}
	if g.pattern == "" {
		return g, "grep"
	}
	return g, ""
}

func (g grepOpts) matcher() func(string) bool {
	p := g.pattern
	if g.icase {
		p = "(?i)" + p
	}
	if re, ok := grepCache.Load(p); ok {
		return re.(*regexp.Regexp).MatchString
	}
	re, err := regexp.Compile(p)
	if err != nil {
		re = regexp.MustCompile(regexp.QuoteMeta(g.pattern))
		if g.icase {
			re = regexp.MustCompile("(?i)" + regexp.QuoteMeta(g.pattern))
		}
	}
	if grepCached.Add(1) <= maxGrepCache {
		grepCache.Store(p, re)
	}
	return re.MatchString
}

// grepCache keeps compiled grep patterns: every scan greps with the same
// few, and compiling them per command was a visible share of the
// simulator's CPU. Bounded so that a client inventing patterns cannot grow
// it without end.
var (
	grepCache  sync.Map // pattern (with its (?i)) → *regexp.Regexp
	grepCached atomic.Int64
)

const maxGrepCache = 256

// mark is what `grep -f` appends to matching lines.
const mark = "   <---"

// applyGrep filters output lines. With -f, config output keeps the whole
// enclosing entry of every match (so a token and every account that
// references it show up), and matching lines are marked.
func applyGrep(lines []string, g grepOpts) []string {
	m := g.matcher()
	if !g.context || g.invert {
		var o []string
		for _, l := range lines {
			if m(l) != g.invert {
				o = append(o, l)
			}
		}
		return o
	}
	root := buildTree(lines)
	var o []string
	for _, n := range root.kids {
		o = n.emitMatches(m, o)
	}
	return o
}

// node is a line of config output with the block it opens, if any.
type node struct {
	line   string
	kids   []*node
	closer string // "end" or "next" for blocks, "" for leaves
	closed bool
}

func buildTree(lines []string) *node {
	root := &node{closer: "root"}
	stack := []*node{root}
	for _, l := range lines {
		t := strings.TrimSpace(l)
		cur := stack[len(stack)-1]
		switch {
		case strings.HasPrefix(t, "config "):
			n := &node{line: l, closer: "end"}
			cur.kids = append(cur.kids, n)
			stack = append(stack, n)
		case strings.HasPrefix(t, "edit "):
			n := &node{line: l, closer: "next"}
			cur.kids = append(cur.kids, n)
			stack = append(stack, n)
		case (t == "end" || t == "next") && len(stack) > 1 && cur.closer == t:
			cur.closed = true
			cur.kids = append(cur.kids, &node{line: l})
			stack = stack[:len(stack)-1]
		default:
			cur.kids = append(cur.kids, &node{line: l})
		}
	}
	return root
}

func (n *node) hasMatch(m func(string) bool) bool {
	if m(n.line) {
		return true
	}
	for _, k := range n.kids {
		if k.hasMatch(m) {
			return true
		}
	}
	return false
}

func (n *node) emitAll(m func(string) bool, o []string) []string {
	l := n.line
	if n.closer == "" && (strings.TrimSpace(l) == "end" || strings.TrimSpace(l) == "next") {
		return append(o, l)
	}
	if m(l) {
		l += mark
	}
	o = append(o, l)
	for _, k := range n.kids {
		o = k.emitAll(m, o)
	}
	return o
}

func (n *node) emitMatches(m func(string) bool, o []string) []string {
	switch {
	case n.closer == "":
		if m(n.line) {
			o = append(o, n.line+mark)
		}
		return o
	case !n.hasMatch(m):
		return o
	case n.closer == "next" || m(n.line):
		return n.emitAll(m, o)
	}
	o = append(o, n.line)
	for _, k := range n.kids {
		if k.closer == "" && k == n.kids[len(n.kids)-1] && n.closed {
			o = append(o, k.line)
			continue
		}
		o = k.emitMatches(m, o)
	}
	return o
}
