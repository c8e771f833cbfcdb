package device

import (
	"regexp"
	"strings"
)

// tailWindow is how much of the buffer end is searched for a prompt, a
// pager or a banner: they are always at the very end, and searching only the
// tail keeps a 16 MiB output from being rescanned on every read.
const tailWindow = 1024

var (
	// firstPromptRe learns the hostname from the first prompt. Scope names
	// may hold `.`, `-`, `_` and spaces (Netshot's regex), never parentheses.
	firstPromptRe = regexp.MustCompile(`(?:^|[\r\n])([A-Za-z0-9][A-Za-z0-9_.~-]{0,63})(?: \(([^()\r\n]{1,80})\))? ([#$]) ?$`)
	bannerRe      = regexp.MustCompile(`\(Press 'a' to accept\):[ \t]*$`)
	pagerRe       = regexp.MustCompile(`--More--\s*$`)
)

// promptMatcher recognises the prompt of one learned hostname.
type promptMatcher struct {
	host  string
	atEnd *regexp.Regexp // anchored at end of buffer
	any   *regexp.Regexp // after any line end (pipelined output)
}

func newPromptMatcher(host string) *promptMatcher {
	q := regexp.QuoteMeta(host)
	body := q + `(?: \(([^()\r\n]{1,80})\))? ([#$]) ?`
	return &promptMatcher{
		host:  host,
		atEnd: regexp.MustCompile(`(?:^|[\r\n])` + body + `$`),
		any:   regexp.MustCompile(`[\r\n]` + body),
	}
}

// prompt is one matched prompt: where it starts and ends in the buffer and
// what it says.
type prompt struct {
	start, end int
	scope      string
	char       byte // '#' or '$'
}

// matchEnd finds a prompt that ends the buffer. minStart rejects a prompt
// that starts before it (a prompt with no command echo before it is a
// leftover, not the answer).
func (p *promptMatcher) matchEnd(buf []byte, minStart int) (prompt, bool) {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	m := p.atEnd.FindSubmatchIndex(buf[off:])
	if m == nil {
		return prompt{}, false
	}
	return toPrompt(buf[off:], m, off), off+m[0] >= minStart
}

// matchAny finds the first prompt at or after from.
func (p *promptMatcher) matchAny(buf []byte, from int) (prompt, bool) {
	if from > len(buf) {
		return prompt{}, false
	}
	m := p.any.FindSubmatchIndex(buf[from:])
	if m == nil {
		return prompt{}, false
	}
	return toPrompt(buf[from:], m, from), true
}

func toPrompt(b []byte, m []int, off int) prompt {
	start := m[0]
	if start < len(b) && (b[start] == '\r' || b[start] == '\n') {
		start++ // keep the line end with the output before it
	}
	pr := prompt{start: off + start, end: off + m[1], char: b[m[4]]}
	if m[2] >= 0 {
		pr.scope = string(b[m[2]:m[3]])
	}
	return pr
}

// learnPrompt reads the first prompt at the end of buf.
func learnPrompt(buf []byte) (host, scope string, char byte, ok bool) {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	m := firstPromptRe.FindSubmatchIndex(buf[off:])
	if m == nil {
		return "", "", 0, false
	}
	b := buf[off:]
	host = string(b[m[2]:m[3]])
	if m[4] >= 0 {
		scope = string(b[m[4]:m[5]])
	}
	return host, scope, b[m[6]], true
}

// tailMatch reports whether re matches at the end of buf's tail.
func tailMatch(re *regexp.Regexp, buf []byte) bool {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	return re.Match(buf[off:])
}

// capLines cuts any line longer than MaxLine so one hostile line cannot blow
// up every later consumer (parsers, the UI, the audit log).
func capLines(s string) string {
	if len(s) <= MaxLine {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if len(l) > MaxLine {
			lines[i] = l[:MaxLine] + " …[line truncated]"
		}
	}
	return strings.Join(lines, "\n")
}
