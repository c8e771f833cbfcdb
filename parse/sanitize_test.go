package parse

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// hostileText holds every kind of terminal control a device could send.
var hostileText = []string{
	"bell\a", "esc\x1b[2J\x1b]0;title\a", "bs\bx", "nul\x00", "del\x7f", "vt\v ff\f",
	"c1\u0085\u009b31m", "raw\x9b31m", "bad\xff\xfe", "rlo\u202eevil", "lre\u202a", "pdf\u202c",
	"lri\u2066x\u2069", "rlm\u200f", "alm\u061c", "ls\u2028ps\u2029", "cr\rover",
}

// isTerminalSafe reports whether s holds no byte or rune a terminal acts on
// other than tab and newline.
func isTerminalSafe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '\t' || r == '\n' {
			continue
		}
		if unicode.IsControl(r) || unsafeRune(r, utf8.RuneLen(r)) {
			return false
		}
	}
	return true
}

func TestSanitize(t *testing.T) {
	cases := []struct{ in, want string }{
		{"FGT-PARIS # ok\tx\n", "FGT-PARIS # ok\tx\n"},
		{"Zürich ✓ 東京", "Zürich ✓ 東京"},
		{"a\ab", `a\x07b`},
		{"\x1b[31mred", `\x1b[31mred`},
		{"\u009b31m", `\u009b31m`},
		{"\x9b31m", `\x9b31m`},
		{"FTK\u202e1000", `FTK\u202e1000`},
		{"ok\rFAIL", "okFAIL"},
		{"\x7f", `\x7f`},
		{"", ""},
	}
	for _, c := range cases {
		if got := Sanitize(c.in); got != c.want {
			t.Errorf("Sanitize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	for _, h := range hostileText {
		got := Sanitize(h)
		if !isTerminalSafe(got) {
			t.Errorf("Sanitize(%q) = %q is not terminal-safe", h, got)
		}
		if Sanitize(got) != got {
			t.Errorf("Sanitize not idempotent on %q", got)
		}
		if l := SanitizeLine(h + "\nnext\t"); strings.ContainsAny(l, "\n\t") || !isTerminalSafe(l) {
			t.Errorf("SanitizeLine(%q) = %q", h, l)
		}
	}
	if s := "plain ASCII line"; Sanitize(s) != s || testing.AllocsPerRun(10, func() { _ = Sanitize(s) }) != 0 {
		t.Error("clean text must come back unchanged without allocating")
	}
}

// Clean (every command's output and every debug line) sanitises too, so
// hostile bytes never reach a parsed field.
func TestCleanSanitizes(t *testing.T) {
	for _, h := range hostileText {
		if got := Clean("Hostname: " + h + "\r\n"); !isTerminalSafe(got) {
			t.Errorf("Clean(%q) = %q", h, got)
		}
	}
}

func FuzzSanitize(f *testing.F) {
	for _, h := range hostileText {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Sanitize(s)
		if !isTerminalSafe(got) || Sanitize(got) != got {
			t.Fatalf("Sanitize(%q) = %q", s, got)
		}
		if !isTerminalSafe(Clean(s)) {
			t.Fatalf("Clean(%q) = %q", s, Clean(s))
		}
	})
}
