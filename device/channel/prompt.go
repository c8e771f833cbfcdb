package channel

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
	// firstHostRe finds the hostname token at the start of the last line;
	// the hand-written matcher then decides whether the line is a prompt.
	firstHostRe = regexp.MustCompile(`(?:^|[\r\n])([A-Za-z0-9][A-Za-z0-9_.-]{0,63}~?)[^\r\n]*$`)
	bannerRe    = regexp.MustCompile(`\(Press 'a' to accept\):[ \t]*$`)
)

// Prompt grammar (fortios-wire.md §7), one line, at a line start:
//
//		HOST[(ROLE)][ (SCOPE)]…[ ]#|$[ ]
//
//	  - HOST is the learned hostname, or a prefix of it ending in `~` (a name
//	    too long for the prompt is truncated); a learned `~` name also
//	    accepts the longer forms that start with it.
//	  - ROLE is the HA role of 7.6.7+ (`(Primary)`, `(Secondary)`) glued to
//	    the host; it changes on failover, so any word is accepted.
//	  - up to three ` (SCOPE)` groups: `(global)`, `(root)`, `(l2t.TESTIF)`,
//	    names with spaces, a `~`-truncated name; `(Interim)` is a build tag
//	    of interim firmware, not a scope.
//	  - the space before `#`/`$` is optional (`HOST (Interim)# `).
//
// It is written by hand rather than as regexps per session: compiling them
// and scanning every read with them was a fifth of a fleet scan's client
// CPU (bench/ BENCHMARKS.md). TestPromptMatcherMatchesRegexp pins it to the
// regexp form (promptRegexpBody).
//
// Callers outside the channel (the debug stream) use it only through
// Leading, to cut a prompt off the start of a line.
type PromptMatcher struct {
	host  []byte // learned host without a trailing `~`
	trunc bool   // the learned host ended in `~`
}

// NewPromptMatcher matches the prompts of the unit whose learned hostname
// is host (possibly `~`-truncated).
func NewPromptMatcher(host string) *PromptMatcher {
	return &PromptMatcher{host: []byte(strings.TrimSuffix(host, "~")), trunc: strings.HasSuffix(host, "~")}
}

// Grammar limits.
const (
	maxScope     = 80 // longest scope name a prompt can show
	maxRole      = 32 // longest HA role word
	maxScopes    = 3  // scope groups in one prompt
	minHostStem  = 3  // shortest truncated host accepted (or the whole host when shorter)
	interimScope = "Interim"
)

func isHostChar(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '-'
}

func isRoleChar(b byte) bool { return isHostChar(b) && b != '.' }

func isScopeStop(b byte) bool { return b == '(' || b == ')' || b == '\r' || b == '\n' }

// hostAt returns where an acceptable host token starting at buf[i] ends.
func (p *PromptMatcher) hostAt(buf []byte, i int) (int, bool) {
	k := i
	for k < len(buf) && isHostChar(buf[k]) {
		k++
	}
	stem := buf[i:k]
	if len(stem) == 0 {
		return 0, false
	}
	if k < len(buf) && buf[k] == '~' {
		// Truncated: one name must start with the other.
		if len(stem) < min(minHostStem, len(p.host)) {
			return 0, false
		}
		if bytes.HasPrefix(p.host, stem) || (p.trunc && bytes.HasPrefix(stem, p.host)) {
			return k + 1, true
		}
		return 0, false
	}
	if bytes.Equal(stem, p.host) || (p.trunc && bytes.HasPrefix(stem, p.host)) {
		return k, true
	}
	return 0, false
}

// at parses a prompt starting at buf[i] (just after a line end) and returns
// where it ends; the trailing space is optional and taken when present.
func (p *PromptMatcher) at(buf []byte, i int) (end int, pr prompt, ok bool) {
	j, ok := p.hostAt(buf, i)
	if !ok {
		return 0, prompt{}, false
	}
	if j < len(buf) && buf[j] == '(' {
		k := j + 1
		for k < len(buf) && k-(j+1) <= maxRole && isRoleChar(buf[k]) {
			k++
		}
		if n := k - (j + 1); k >= len(buf) || buf[k] != ')' || n < 1 || n > maxRole {
			return 0, prompt{}, false
		}
		pr.role = string(buf[j+1 : k])
		j = k + 1
	}
	for g := 0; g < maxScopes && j+1 < len(buf) && buf[j] == ' ' && buf[j+1] == '('; g++ {
		k := j + 2
		for k < len(buf) && k-(j+2) <= maxScope && !isScopeStop(buf[k]) {
			k++
		}
		n := k - (j + 2)
		if k >= len(buf) || buf[k] != ')' || n < 1 || n > maxScope {
			break
		}
		if sc := buf[j+2 : k]; string(sc) != interimScope {
			pr.scope = string(sc)
		}
		j = k + 1
	}
	if j < len(buf) && buf[j] == ' ' {
		j++
	}
	if j >= len(buf) || (buf[j] != '#' && buf[j] != '$') {
		return 0, prompt{}, false
	}
	pr.char = buf[j]
	end = j + 1
	if end < len(buf) && buf[end] == ' ' {
		end++
	}
	return end, pr, true
}

// Leading returns where a prompt that starts line ends (its trailing
// space included), for output that continues on the prompt's line.
func (p *PromptMatcher) Leading(line string) (end int, ok bool) {
	end, _, ok = p.at([]byte(line), 0)
	return end, ok
}

// prompt is one matched prompt: where it starts and ends in the buffer and
// what it says.
type prompt struct {
	start, end int
	scope      string // last scope group ("" at top level); never the role or a build tag
	role       string // HA role ("" when the prompt shows none)
	char       byte   // '#' or '$'
}

// sameScope compares two scopes as prompts show them: a name ending in `~`
// is a truncation of any name it starts.
func sameScope(shown, want string) bool {
	if shown == want {
		return true
	}
	if s, ok := strings.CutSuffix(shown, "~"); ok && s != "" && strings.HasPrefix(want, s) {
		return true
	}
	if w, ok := strings.CutSuffix(want, "~"); ok && w != "" && strings.HasPrefix(shown, w) {
		return true
	}
	return false
}

// matchEnd finds a prompt that ends the buffer. minStart rejects a prompt
// that starts before it (a prompt with no command echo before it is a
// leftover, not the answer).
func (p *PromptMatcher) matchEnd(buf []byte, minStart int) (prompt, bool) {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	// A prompt holds no line end, so it can only start the last line.
	ls, matchStart := off, off // matchStart: the line end before the prompt
	if k := bytes.LastIndexAny(buf[off:], "\r\n"); k >= 0 {
		ls, matchStart = off+k+1, off+k
	}
	end, pr, ok := p.at(buf, ls)
	if !ok || end != len(buf) {
		return prompt{}, false
	}
	pr.start, pr.end = ls, end
	return pr, matchStart >= minStart
}

// matchAny finds the first prompt at or after from that follows a line end
// (the line end itself belongs to the output before it).
func (p *PromptMatcher) matchAny(buf []byte, from int) (prompt, bool) {
	if from < 0 || from > len(buf) || len(p.host) == 0 {
		return prompt{}, false
	}
	i := from
	for i < len(buf) {
		k := bytes.IndexAny(buf[i:], "\r\n")
		if k < 0 {
			return prompt{}, false
		}
		i += k + 1
		if end, pr, ok := p.at(buf, i); ok {
			pr.start, pr.end = i, end
			return pr, true
		}
	}
	return prompt{}, false
}

// learnPrompt reads the first prompt at the end of buf (after a banner, a
// firmware-signature warning or anything else the login printed).
func learnPrompt(buf []byte) (host string, pr prompt, ok bool) {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	b := buf[off:]
	m := firstHostRe.FindSubmatchIndex(b)
	if m == nil {
		return "", prompt{}, false
	}
	host = string(b[m[2]:m[3]])
	end, pr, ok := NewPromptMatcher(host).at(b, m[2])
	if !ok || end != len(b) {
		return "", prompt{}, false
	}
	return host, pr, true
}

// pagerMark is the pager prompt FortiOS prints without a line end.
var pagerMark = []byte("--More--")

// pagerAt returns the absolute offset (in bytes received since the session
// opened) of a pager prompt waiting at the end of buf, whose first byte is
// at absolute offset base. Only a `--More--` at a line start followed by
// nothing but blanks and the erase counts: the erase that follows our
// answer is all whitespace, so the same prompt is still "at the end" after
// it has been answered, and only its position tells the two apart.
func pagerAt(buf []byte, base int64) (int64, bool) {
	off := 0
	if len(buf) > tailWindow {
		off = len(buf) - tailWindow
	}
	i := bytes.LastIndex(buf[off:], pagerMark)
	if i < 0 {
		return 0, false
	}
	i += off
	if i > 0 && buf[i-1] != '\n' && buf[i-1] != '\r' {
		return 0, false
	}
	for _, c := range buf[i+len(pagerMark):] {
		if c != ' ' && c != '\r' && c != '\t' {
			return 0, false
		}
	}
	return base + int64(i), true
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
