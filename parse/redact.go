package parse

import (
	"regexp"
	"strings"
)

// Redacted replaces every secret Redact finds.
const Redacted = "«redacted»"

var (
	// ENC blobs: FortiOS' encrypted secrets, re-salted on every show.
	reENC = regexp.MustCompile(`\bENC[ \t]+"?([^\s"',;]+)`)
	// `set <secret-key> value` in config text.
	reSetSecret = regexp.MustCompile(`\bset[ \t]+(?:activation-code|passwd|password|seed|passphrase|psksecret|secondary-secret|secret)[ \t]+(ENC[ \t]+\S|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|\S+)`)
	// activation-code : X, "activation_code":"X", Activation code: X, activationCode=X.
	reActivation = regexp.MustCompile(`(?i)activation[-_ ]?code["']?[ \t]*[:=][ \t]*["']?([^\s"',;&}\]]+)`)
	// "seed":"X" and friends in JSON or Python-dict debug dumps.
	reJSONSecret = regexp.MustCompile(`(?i)["'](?:seed|passwd|password|passphrase|secret)["'][ \t]*:[ \t]*["']([^"'\n]*)["']`)
	// `get` form: "passwd : X".
	reGetSecret = regexp.MustCompile(`(?m)^[ \t]*(?:passwd|password|seed|passphrase|psksecret)[ \t]*:[ \t]*([^\r\n]*[^\s])`)
)

// redactTriggers are lower-case substrings, one of which every secret Redact
// handles contains; text with none of them is returned as is, cheaply.
var redactTriggers = []string{"activation", "pass", "seed", "secret"}

// Redact replaces activation codes, ENC values and passwords/seeds in s
// with «redacted», keeping the rest of the text intact. It is idempotent
// and never panics.
func Redact(s string) string {
	if !needsRedact(s) {
		return s
	}
	// A replacement can in rare shapes expose a new match; iterate to a fixed
	// point so that Redact(Redact(x)) == Redact(x).
	for range 5 {
		r := redactOnce(s)
		if r == s {
			return r
		}
		s = r
	}
	return s
}

func needsRedact(s string) bool {
	if strings.Contains(s, "ENC") {
		return true
	}
	for _, t := range redactTriggers {
		if containsFold(s, t) {
			return true
		}
	}
	return false
}

func redactOnce(s string) string {
	s = replaceGroup(reENC, s, nil)
	s = replaceGroup(reSetSecret, s, func(v string) (int, int, bool) {
		if strings.HasPrefix(v, "ENC") && len(v) > 3 && (v[3] == ' ' || v[3] == '\t') {
			return 0, 0, false // an ENC blob, handled by reENC
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			return 1, len(v) - 1, len(v) > 2
		}
		return 0, len(v), true
	})
	s = replaceGroup(reActivation, s, nil)
	s = replaceGroup(reJSONSecret, s, func(v string) (int, int, bool) { return 0, len(v), v != "" })
	s = replaceGroup(reGetSecret, s, nil)
	return s
}

// replaceGroup replaces capture group 1 of every match of re in s (or the
// part of it that span picks) with Redacted.
func replaceGroup(re *regexp.Regexp, s string, span func(v string) (int, int, bool)) string {
	ms := re.FindAllStringSubmatchIndex(s, -1)
	if len(ms) == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16*len(ms))
	last := 0
	for _, m := range ms {
		if len(m) < 4 || m[2] < 0 {
			continue
		}
		a, z := m[2], m[3]
		if span != nil {
			i, j, ok := span(s[a:z])
			if !ok {
				continue
			}
			a, z = a+i, a+j
		}
		b.WriteString(s[last:a])
		b.WriteString(Redacted)
		last = z
	}
	b.WriteString(s[last:])
	return b.String()
}

// containsFold reports whether s contains sub (lower-case ASCII) ignoring
// ASCII case, without allocating.
func containsFold(s, sub string) bool {
	n := len(sub)
	if n == 0 {
		return true
	}
	first, upper := sub[0], sub[0]
	if first >= 'a' && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := 0; i+n <= len(s); i++ {
		c := s[i]
		if c != first && c != upper {
			continue
		}
		ok := true
		for j := 1; j < n; j++ {
			d := s[i+j]
			if d >= 'A' && d <= 'Z' {
				d += 'a' - 'A'
			}
			if d != sub[j] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
