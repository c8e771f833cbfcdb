package parse

import (
	"regexp"
	"strings"
)

// Redacted replaces every secret Redact finds.
const Redacted = "«redacted»"

// redactRule finds a literal key cheaply, then runs an anchored regexp on
// the rest of that line only: regexps never scan text without a key, which
// keeps Redact fast on debug streams.
type redactRule struct {
	key       string         // literal to look for (lower case when fold)
	fold      bool           // ASCII case-insensitive key search
	back      int            // the match starts this many bytes before the key (an opening quote)
	boundary  bool           // the match must not follow a word byte
	lineStart bool           // only blanks may precede the match on its line
	re        *regexp.Regexp // anchored with ^; group 1 is the secret
	// valueTo, when set, means re matches only up to the start of the
	// secret, which then runs to the first of these bytes (or the line
	// end); the regexp then never walks a 2 KB QR blob.
	valueTo string
	span    func(v string) (int, int, bool)
}

// secretSetKeys are config settings whose value is a secret.
const secretSetKeys = `(?:activation-code|passwd|password|seed|passphrase|psksecret|secondary-secret|secret)`

var (
	// ENC blobs: FortiOS' encrypted secrets, re-salted on every show.
	reENC = regexp.MustCompile(`^ENC[ \t]+"?([^\s"',;]+)`)
	// `set <secret-key> value` in config text; an ENC value is left to reENC.
	reSetSecret = regexp.MustCompile(`^set[ \t]+` + secretSetKeys + `[ \t]+(ENC[ \t]+\S|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|\S+)`)
	// activation-code : X, "activation_code":"X", Activation code: X, activationCode=X,
	// "activation code is: X" (but not "Activation Code is invalid": no separator).
	reActivation = regexp.MustCompile(`^(?i)activation[-_ ]?code(?:[ \t]+is)?["']?[ \t]*[:=][ \t]*["']?([^\s"',;&}\]]+)`)
	// Alertmail's prose form: "FortiToken Mobile activation code BF5R6CTNYNCCWXLW for FTK…",
	// with no separator; spanCodeWord decides whether the word is a code.
	// Also "activation code - X" (a dash as the separator).
	reActivationWords = regexp.MustCompile(`^(?i)activation[-_ ]?code(?:[ \t]+is)?(?:[ \t]+-)?[ \t]+"?([A-Za-z0-9]{4,64})`)
	// "seed":"X" and friends in JSON or Python-dict debug dumps; "code" is
	// the activation code of provisioning JSON and "qr_code" the base64 PNG
	// that encodes it. The closing quote is optional: a 2 KB blob may be cut
	// at the debug line cap, and what is left of it is still the secret.
	// Only string values: "code":403 is a status, not a secret.
	reJSONSecret = regexp.MustCompile(`^["'](?i:seed|passwd|password|passphrase|secret|code|qr_code)["'][ \t]*:[ \t]*["']`)
	// FortiToken Mobile's "seed for FTKMOB5CA3C29179 is 0A1B…".
	reSeedFor = regexp.MustCompile(`^(?i)seed[ \t]+for[ \t]+\S+[ \t]+is[ \t]*[:=]?[ \t]*["']?([^\s"',;]+)`)
	// `get` form: "passwd : X".
	reGetSecret = regexp.MustCompile(`^(?:passwd|password|seed|passphrase|psksecret)[ \t]*:[ \t]*([^\r\n]*[^\s])`)
)

var (
	spanSet = func(v string) (int, int, bool) {
		if len(v) > 3 && v[:3] == "ENC" && (v[3] == ' ' || v[3] == '\t') {
			return 0, 0, false // an ENC blob, handled by the ENC rule
		}
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			return 1, len(v) - 1, len(v) > 2
		}
		return 0, len(v), true
	}
	spanNonEmpty = func(v string) (int, int, bool) { return 0, len(v), v != "" }
	// spanCodeWord accepts a word that looks like a code (upper case or
	// digits, as FortiGuard issues them), not an English word ("is",
	// "invalid", "sent") and not a token serial.
	spanCodeWord = func(v string) (int, int, bool) {
		if ValidSerial(v) {
			return 0, 0, false
		}
		for i := 0; i < len(v); i++ {
			if c := v[i]; c >= 'a' && c <= 'z' {
				return 0, 0, false
			}
		}
		return 0, len(v), true
	}
	// spanSecretWord accepts a value that looks like a seed or code (it has
	// a digit, or no lower-case letter), not prose ("missing", "empty").
	spanSecretWord = func(v string) (int, int, bool) {
		if ValidSerial(v) || len(v) < 6 {
			return 0, 0, false
		}
		lower := false
		for i := 0; i < len(v); i++ {
			switch c := v[i]; {
			case c >= '0' && c <= '9':
				return 0, len(v), true
			case c >= 'a' && c <= 'z':
				lower = true
			}
		}
		return 0, len(v), !lower
	}
)

var redactRules = []redactRule{
	{key: "ENC", boundary: true, re: reENC},
	{key: "set", boundary: true, re: reSetSecret, span: spanSet},
	{key: "activation", fold: true, re: reActivation},
	{key: "activation", fold: true, re: reActivationWords, span: spanCodeWord},
	{key: "seed", fold: true, back: 1, re: reJSONSecret, valueTo: jsonValueEnd, span: spanNonEmpty},
	{key: "pass", fold: true, back: 1, re: reJSONSecret, valueTo: jsonValueEnd, span: spanNonEmpty},
	{key: "secret", fold: true, back: 1, re: reJSONSecret, valueTo: jsonValueEnd, span: spanNonEmpty},
	{key: "code", fold: true, back: 1, re: reJSONSecret, valueTo: jsonValueEnd, span: spanNonEmpty},
	{key: "qr_code", fold: true, back: 1, re: reJSONSecret, valueTo: jsonValueEnd, span: spanNonEmpty},
	{key: "seed", fold: true, boundary: true, re: reSeedFor, span: spanSecretWord},
	{key: "pass", lineStart: true, re: reGetSecret},
	{key: "seed", lineStart: true, re: reGetSecret},
	{key: "psksecret", lineStart: true, re: reGetSecret},
}

// jsonValueEnd ends a quoted JSON (or Python-dict) value.
const jsonValueEnd = "\"'\n"

// keyWindow bounds the text a valueTo rule's regexp sees: the key, its
// quotes and the blanks around the colon.
const keyWindow = 64

// redactTriggers are lower-case substrings, one of which every secret Redact
// handles contains; text with none of them is returned as is, cheaply.
var redactTriggers = []string{"activation", "pass", "seed", "secret", `code"`, "code'"}

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
		r := s
		for i := range redactRules {
			r = redactRules[i].apply(r)
		}
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
		if indexFold(s, t, 0) >= 0 {
			return true
		}
	}
	return false
}

// apply replaces group 1 of every match of the rule in s with Redacted.
func (r *redactRule) apply(s string) string {
	var b strings.Builder
	last, from, changed := 0, 0, false
	for from < len(s) {
		var i int
		if r.fold {
			i = indexFold(s, r.key, from)
		} else if i = strings.Index(s[from:], r.key); i >= 0 {
			i += from
		}
		if i < 0 {
			break
		}
		from = i + len(r.key)
		start := i - r.back
		if start < last {
			continue
		}
		if r.boundary && start > 0 && isWordByte(s[start-1]) {
			continue
		}
		if r.lineStart && !blankBefore(s, start) {
			continue
		}
		end := strings.IndexByte(s[start:], '\n')
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		var a, z, mEnd int
		if r.valueTo != "" {
			m := r.re.FindStringIndex(s[start:min(end, start+keyWindow)])
			if m == nil {
				continue
			}
			a, z = start+m[1], end
			if k := strings.IndexAny(s[a:end], r.valueTo); k >= 0 {
				z = a + k
			}
			mEnd = z - start
		} else {
			m := r.re.FindStringSubmatchIndex(s[start:end])
			if len(m) < 4 || m[2] < 0 {
				continue
			}
			a, z, mEnd = start+m[2], start+m[3], m[1]
		}
		if r.span != nil {
			x, y, ok := r.span(s[a:z])
			if !ok {
				continue
			}
			a, z = a+x, a+y
		}
		b.WriteString(s[last:a])
		b.WriteString(Redacted)
		last, changed = z, true
		from = max(from, start+mEnd)
	}
	if !changed {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func isWordByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// blankBefore reports whether only spaces and tabs precede s[i] on its line.
func blankBefore(s string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch s[j] {
		case '\n':
			return true
		case ' ', '\t':
		default:
			return false
		}
	}
	return true
}

// indexFold returns the index of sub (lower-case ASCII) in s at or after
// from, ignoring ASCII case, or -1. It does not allocate.
func indexFold(s, sub string, from int) int {
	n := len(sub)
	if n == 0 {
		return from
	}
	first, upper := sub[0], sub[0]
	if first >= 'a' && first <= 'z' {
		upper = first - ('a' - 'A')
	}
	for i := from; i+n <= len(s); i++ {
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
			return i
		}
	}
	return -1
}
