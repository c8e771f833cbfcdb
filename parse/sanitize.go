package parse

import (
	"strings"
	"unicode/utf8"
)

// Sanitize makes device text safe to print on a terminal or in a file that
// will be viewed on one: every control character except tab and newline is
// shown as an escape (`\x07`, `\x9b`, `\u202e`) instead of acting. That is
// C0 controls (BEL, ESC, BS, …) and DEL, C1 controls (U+0080–U+009F, and
// the raw byte 0x9B that some terminals take as CSI), any other byte that is
// not valid UTF-8, bidirectional overrides, embeddings, isolates and marks
// (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), and the Unicode
// line and paragraph separators. A carriage return is dropped rather than
// shown: FortiOS ends HTTP header lines in debug with \r\r\n, and a bare \r
// could only overwrite what was printed before it. Text with nothing to
// change is returned as is, without allocating.
func Sanitize(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' || c == '\n' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, n) {
			break
		}
		i += n
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c >= 0x20 && c < 0x7f || c == '\t' || c == '\n':
				b.WriteByte(c)
			case c == '\r':
			default:
				writeHexByte(&b, c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			writeHexByte(&b, c)
		case unsafeRune(r, n):
			b.WriteString(`\u`)
			for shift := 12; shift >= 0; shift -= 4 {
				b.WriteByte(hexDigits[(r>>shift)&0xf])
			}
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

const hexDigits = "0123456789abcdef"

func writeHexByte(b *strings.Builder, c byte) {
	b.WriteString(`\x`)
	b.WriteByte(hexDigits[c>>4])
	b.WriteByte(hexDigits[c&0xf])
}

// unsafeRune reports whether the decoded rune r (n bytes) must not reach a
// terminal: invalid UTF-8, a C1 control, or a bidi / line-layout control.
func unsafeRune(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// SanitizeLine is Sanitize for text printed on one line (a table cell, a
// status line): newlines and tabs are shown as `\n` and `\t` too.
func SanitizeLine(s string) string {
	s = Sanitize(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.NewReplacer("\n", `\n`, "\t", `\t`).Replace(s)
}

// DebugText is a device debug line as every output prints it (debug pane,
// `ftktui debug`, --debug-log, saved captures): secrets and e-mail
// addresses redacted, controls escaped.
func DebugText(raw string) string {
	return Sanitize(RedactDebug(raw))
}
