package parse

import (
	"errors"
	"strings"
)

// ErrTruncated is wrapped by every parser error caused by output that stops
// before something the command always prints (a header, a footer, an `end`).
var ErrTruncated = errors.New("output incomplete")

const pagerMark = "--More--"

// Clean normalises raw terminal output: \r\n and stray \r become plain line
// ends, pager residue (`--More--` and the `\r   \r` erase that follows it,
// even mid-line) is removed, as are backspaces, ANSI escapes and NULs.
// Whatever control characters are left are escaped by Sanitize, so no
// parsed field or debug line carries a byte a terminal would act on.
// It does not remove prompts: only the caller knows the hostname.
func Clean(raw string) string {
	if !strings.ContainsAny(raw, "\r\b\x1b\x00") && !strings.Contains(raw, pagerMark) {
		return Sanitize(raw)
	}
	s := stripPager(raw)
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\r':
			// "\r<spaces>\r" is the pager's erase of its own prompt; the
			// spaces are filler, not content.
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j > i+1 && j < len(s) && s[j] == '\r' {
				i = j - 1 // the loop re-examines the closing \r
			}
		case '\b':
			if len(b) > 0 && b[len(b)-1] != '\n' {
				b = b[:len(b)-1]
			}
		case 0:
		case 0x1b:
			i = skipEscape(s, i)
		default:
			b = append(b, c)
		}
	}
	return Sanitize(string(b))
}

// stripPager removes every "--More--" together with the spaces, \r and
// backspaces that follow it, up to the last \r of that run, so the next
// line's indentation survives.
func stripPager(s string) string {
	if !strings.Contains(s, pagerMark) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		i := strings.Index(s, pagerMark)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(pagerMark):]
		cut := 0
		for j := 0; j < len(rest); j++ {
			c := rest[j]
			if c == '\r' || c == '\b' {
				cut = j + 1
				continue
			}
			if c != ' ' && c != '\t' {
				break
			}
			if cut == 0 && j+1 == len(rest) {
				cut = j + 1
			}
		}
		if cut == 0 {
			// "--More-- " with no erase: drop the trailing spaces of the prompt.
			for cut < len(rest) && rest[cut] == ' ' {
				cut++
			}
		}
		s = rest[cut:]
	}
}

// skipEscape returns the index of the last byte of the escape sequence that
// starts at s[i] (an ESC).
func skipEscape(s string, i int) int {
	if i+1 >= len(s) {
		return i
	}
	if s[i+1] != '[' {
		return i + 1
	}
	j := i + 2
	for j < len(s) {
		if s[j] >= 0x40 && s[j] <= 0x7e {
			return j
		}
		j++
	}
	return len(s) - 1
}

// StripEcho drops a leading echo of cmd (possibly behind a prompt, with the
// spacing collapsed) and the blank lines before it.
func StripEcho(out, cmd string) string {
	rest := out
	for {
		line, after, found := strings.Cut(rest, "\n")
		t := strings.TrimSpace(line)
		if t == "" && found {
			rest = after
			continue
		}
		want := strings.Join(strings.Fields(cmd), " ")
		got := strings.Join(strings.Fields(t), " ")
		if want != "" && (got == want || (strings.HasSuffix(got, " "+want) && isPrompt(strings.TrimSuffix(got, want)))) {
			if !found {
				return ""
			}
			return after
		}
		return out
	}
}

// isPrompt reports whether line is a FortiOS prompt: `HOST # `, `HOST $ `
// or `HOST (scope) # `.
func isPrompt(line string) bool {
	t := strings.TrimRight(line, " \t")
	if len(t) < 3 {
		return false
	}
	last := t[len(t)-1]
	if (last != '#' && last != '$') || t[len(t)-2] != ' ' {
		return false
	}
	head := strings.TrimRight(t[:len(t)-2], " ")
	if strings.HasSuffix(head, ")") {
		open := strings.LastIndex(head, " (")
		if open <= 0 {
			return false
		}
		head = head[:open]
	}
	return head != "" && !strings.ContainsAny(head, " \t\"'")
}

// outputLines cleans out and splits it into lines with trailing blanks and
// a trailing prompt removed.
func outputLines(out string) []string {
	ls := strings.Split(Clean(out), "\n")
	for len(ls) > 0 {
		last := ls[len(ls)-1]
		if strings.TrimSpace(last) == "" || isPrompt(last) {
			ls = ls[:len(ls)-1]
			continue
		}
		break
	}
	return ls
}

// splitKV splits "key: value" / "key : value" at the first colon.
func splitKV(line string) (key, value string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i <= 0 {
		return "", "", false
	}
	key = strings.TrimSpace(line[:i])
	if key == "" {
		return "", "", false
	}
	return key, strings.TrimSpace(line[i+1:]), true
}
