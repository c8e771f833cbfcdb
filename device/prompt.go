package device

import (
	"bytes"
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

// promptMatcher recognises the prompt of one learned hostname:
// `HOST # `, `HOST $ ` or `HOST (scope) # ` at a line start. It is written
// by hand rather than as two regexps per session: compiling them and
// scanning every read with them was a fifth of a fleet scan's client CPU
// (bench/ BENCHMARKS.md). TestPromptMatcherMatchesRegexp pins the grammar.
type promptMatcher struct {
	host []byte
}

func newPromptMatcher(host string) *promptMatcher {
	return &promptMatcher{host: []byte(host)}
}

// maxScope is the longest scope name a prompt can show.
const maxScope = 80

// at parses a prompt starting at buf[i] (just after a line end) and returns
// where it ends; the trailing space is optional and taken when present.
func (p *promptMatcher) at(buf []byte, i int) (end int, scope []byte, char byte, ok bool) {
	if !bytes.HasPrefix(buf[i:], p.host) {
		return 0, nil, 0, false
	}
	j := i + len(p.host)
	if j+1 < len(buf) && buf[j] == ' ' && buf[j+1] == '(' {
		k := j + 2
		for k < len(buf) && k-(j+2) <= maxScope && !isScopeStop(buf[k]) {
			k++
		}
		if n := k - (j + 2); k < len(buf) && buf[k] == ')' && n >= 1 && n <= maxScope {
			scope = buf[j+2 : k]
			j = k + 1
		}
	}
	if j+1 >= len(buf) || buf[j] != ' ' || (buf[j+1] != '#' && buf[j+1] != '$') {
		return 0, nil, 0, false
	}
	char = buf[j+1]
	end = j + 2
	if end < len(buf) && buf[end] == ' ' {
		end++
	}
	return end, scope, char, true
}

func isScopeStop(b byte) bool { return b == '(' || b == ')' || b == '\r' || b == '\n' }

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
	// A prompt holds no line end, so it can only start the last line.
	ls, matchStart := off, off // matchStart: the line end before the prompt
	if k := bytes.LastIndexAny(buf[off:], "\r\n"); k >= 0 {
		ls, matchStart = off+k+1, off+k
	}
	end, scope, char, ok := p.at(buf, ls)
	if !ok || end != len(buf) {
		return prompt{}, false
	}
	return prompt{start: ls, end: end, scope: string(scope), char: char}, matchStart >= minStart
}

// matchAny finds the first prompt at or after from that follows a line end
// (the line end itself belongs to the output before it).
func (p *promptMatcher) matchAny(buf []byte, from int) (prompt, bool) {
	if from < 0 || from > len(buf) || len(p.host) == 0 {
		return prompt{}, false
	}
	i := from + 1
	for i <= len(buf) {
		k := bytes.Index(buf[i:], p.host)
		if k < 0 {
			return prompt{}, false
		}
		i += k
		if c := buf[i-1]; c == '\r' || c == '\n' {
			if end, scope, char, ok := p.at(buf, i); ok {
				return prompt{start: i, end: end, scope: string(scope), char: char}, true
			}
		}
		i++
	}
	return prompt{}, false
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
