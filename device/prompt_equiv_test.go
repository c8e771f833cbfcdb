package device

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// regexpMatcher is the regexp grammar the hand-written matcher replaced.
type regexpMatcher struct{ atEnd, any *regexp.Regexp }

func newRegexpMatcher(host string) regexpMatcher {
	q := regexp.QuoteMeta(host)
	body := q + `(?: \(([^()\r\n]{1,80})\))? ([#$]) ?`
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
	pr := prompt{start: off + start, end: off + m[1], char: b[m[4]]}
	if m[2] >= 0 {
		pr.scope = string(b[m[2]:m[3]])
	}
	return pr, off + m[0], true
}

// TestPromptMatcherMatchesRegexp checks the hand-written matcher against
// the regexps on random buffers built from prompt-like pieces.
func TestPromptMatcherMatchesRegexp(t *testing.T) {
	pieces := []string{"FGT-A", "FGT-A ", " # ", "#", "$", " $ ", " (global)", " (root) ", " (", ")", "(x)",
		"\r\n", "\n", "\r", "out", "FGT-AB", "xFGT-A", " # more", "--More-- ", " ", "(a(b)", "FGT-"}
	long := make([]byte, 85)
	for i := range long {
		long[i] = 'v'
	}
	pieces = append(pieces, " ("+string(long[:80])+")", " ("+string(long)+")")
	r := rand.New(rand.NewPCG(1, 2))
	hw, re := newPromptMatcher("FGT-A"), newRegexpMatcher("FGT-A")
	for n := 0; n < 200000; n++ {
		var buf []byte
		for k := r.IntN(8); k >= 0; k-- {
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
			t.Fatalf("matchEnd(%q) = %+v %v, regexp %+v %v", buf, gotE, okE, wantE, okW)
		}
		from := 0
		if len(buf) > 0 {
			from = r.IntN(len(buf))
		}
		gotA, okA := hw.matchAny(buf, from)
		wantA, _, okR := re.find(re.any, buf, from)
		if okA != okR || (okA && gotA != wantA) {
			t.Fatalf("matchAny(%q, %d) = %+v %v, regexp %+v %v", buf, from, gotA, okA, wantA, okR)
		}
	}
}
