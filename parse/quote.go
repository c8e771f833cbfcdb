package parse

import (
	"fmt"
	"strconv"
	"unicode/utf8"
)

// MaxQuoted is how many bytes of an untrusted value an error message
// quotes; a longer value is cut and its size given instead. A 50 MB device
// name once came back whole on stderr.
const MaxQuoted = 64

// Quote is strconv.Quote of at most the first MaxQuoted bytes of s (cut at
// a rune boundary), followed by "…(N bytes)" when s is longer. It is the
// one way error messages quote input that ftktui refuses.
func Quote(s string) string {
	head, cut := boundedPrefix(s, MaxQuoted)
	q := strconv.Quote(head)
	if cut {
		q += fmt.Sprintf("…(%d bytes)", len(s))
	}
	return q
}

// boundedPrefix returns s, or its first n bytes or fewer ending on a rune
// boundary and true.
func boundedPrefix(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n], true
}

// Bounded is an untrusted string for fmt: %q prints Quote(s); %s and %v
// print a terminal-safe one-line prefix of at most 4*MaxQuoted bytes with
// the size when cut. Problem builders wrap every string argument in it.
type Bounded string

// Format implements fmt.Formatter.
func (b Bounded) Format(f fmt.State, verb rune) {
	s := string(b)
	if verb == 'q' {
		_, _ = f.Write([]byte(Quote(s)))
		return
	}
	head, cut := boundedPrefix(s, 4*MaxQuoted)
	out := SanitizeLine(head)
	if cut {
		out += fmt.Sprintf("…(%d bytes)", len(s))
	}
	_, _ = f.Write([]byte(out))
}

// BoundArgs returns args with every string replaced by Bounded, for
// messages built with fmt from input ftktui refuses.
func BoundArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		if s, ok := a.(string); ok {
			out[i] = Bounded(s)
		} else {
			out[i] = a
		}
	}
	return out
}
