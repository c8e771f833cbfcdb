package channel

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
)

// promptRegexpBody is the prompt grammar as a regexp for one learned host
// (see PromptMatcher): the hand-written matcher must agree with it.
func promptRegexpBody(host string) string {
	stem, trunc := strings.CutSuffix(host, "~")
	var pre []string
	for n := min(minHostStem, len(stem)); n <= len(stem); n++ {
		pre = append(pre, regexp.QuoteMeta(stem[:n]))
	}
	h := `(?:` + regexp.QuoteMeta(stem) + `|(?:` + strings.Join(pre, "|") + `)~)`
	if trunc {
		h = `(?:(?:` + strings.Join(pre, "|") + `)~|` + regexp.QuoteMeta(stem) + `[A-Za-z0-9_.-]*~?)`
	}
	return h + `(?:\(([A-Za-z0-9_-]{1,32})\))?((?: \([^()\r\n]{1,80}\)){0,3}) ?([#$]) ?`
}

// regexpMatcher is the regexp form of the grammar.
type regexpMatcher struct{ atEnd, any *regexp.Regexp }

var scopeGroupRe = regexp.MustCompile(`\(([^()\r\n]+)\)`)

func newRegexpMatcher(host string) regexpMatcher {
	body := promptRegexpBody(host)
	return regexpMatcher{regexp.MustCompile(`(?:^|[\r\n])` + body + `$`), regexp.MustCompile(`[\r\n]` + body)}
}

func (r regexpMatcher) find(re *regexp.Regexp, buf []byte, off int) (prompt, int, bool) {
	b := buf[off:]
	m := re.FindSubmatchIndex(b)
	if m == nil {
		return prompt{}, 0, false
	}
	start := m[0]
	if start < len(b) && (b[start] == '\r' || b[start] == '\n') {
		start++
	}
	pr := prompt{start: off + start, end: off + m[1], char: b[m[6]]}
	if m[2] >= 0 {
		pr.role = string(b[m[2]:m[3]])
	}
	for _, g := range scopeGroupRe.FindAllSubmatch(b[m[4]:m[5]], -1) {
		if string(g[1]) != interimScope {
			pr.scope = string(g[1])
		}
	}
	return pr, off + m[0], true
}

// TestPromptMatcherMatchesRegexp checks the hand-written matcher against
// the regexps on random buffers built from prompt-like pieces, for a plain
// and a `~`-truncated learned host.
func TestPromptMatcherMatchesRegexp(t *testing.T) {
	pieces := []string{"FGT-A", "FGT-A ", " # ", "#", "$", " $ ", " (global)", " (root) ", " (", ")", "(x)",
		"\r\n", "\n", "\r", "out", "FGT-AB", "xFGT-A", " # more", "--More-- ", " ", "(a(b)", "FGT-", "FG~", "F~",
		"FGT-A~", "FGT-AB~", "(Primary)", "(Secondary)", " (Interim)", "# ", "(Pri mary)", " (cust a.b~)", "~", "(" + strings.Repeat("r", 33) + ")"}
	long := strings.Repeat("v", 85)
	pieces = append(pieces, " ("+long[:80]+")", " ("+long+")")
	r := rand.New(rand.NewPCG(1, 2))
	for _, host := range []string{"FGT-A", "FGT-~", "FG"} {
		hw, re := NewPromptMatcher(host), newRegexpMatcher(host)
		for n := 0; n < 150000; n++ {
			var buf []byte
			for k := r.IntN(9); k >= 0; k-- {
				buf = append(buf, pieces[r.IntN(len(pieces))]...)
			}
			off := 0
			if len(buf) > tailWindow {
				off = len(buf) - tailWindow
			}
			gotE, okE := hw.matchEnd(buf, 1)
			wantE, m0, okW := re.find(re.atEnd, buf, off)
			if okW {
				okW = m0 >= 1
			}
			if okE != okW || (okE && gotE != wantE) {
				t.Fatalf("host %q: matchEnd(%q) = %+v %v, regexp %+v %v", host, buf, gotE, okE, wantE, okW)
			}
			from := 0
			if len(buf) > 0 {
				from = r.IntN(len(buf))
			}
			gotA, okA := hw.matchAny(buf, from)
			wantA, _, okR := re.find(re.any, buf, from)
			if okA != okR || (okA && gotA != wantA) {
				t.Fatalf("host %q: matchAny(%q, %d) = %+v %v, regexp %+v %v", host, buf, from, gotA, okA, wantA, okR)
			}
		}
	}
}

// BenchmarkPromptMatchEnd is the per-read cost of looking for the prompt at
// the end of a large output (the hand-written matcher vs the regexp).
func BenchmarkPromptMatchEnd(b *testing.B) {
	buf := []byte(strings.Repeat("    edit \"FTK2000000000001\"\r\n        set status active\r\n", 400) + "FGT-A(Primary) (global) # ")
	b.Run("hand", func(b *testing.B) {
		pm := NewPromptMatcher("FGT-A")
		for b.Loop() {
			if _, ok := pm.matchEnd(buf, 1); !ok {
				b.Fatal("no prompt")
			}
		}
	})
	b.Run("regexp", func(b *testing.B) {
		re := newRegexpMatcher("FGT-A")
		for b.Loop() {
			if _, _, ok := re.find(re.atEnd, buf, len(buf)-tailWindow); !ok {
				b.Fatal("no prompt")
			}
		}
	})
}
