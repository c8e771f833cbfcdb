package parse

import (
	"bytes"
	"strings"
	"time"
)

// ParseDebugLine splits one asynchronous debug console line:
// "[YYYY-MM-DD HH:MM:SS ][[daemon ...] ]func[NNN]:message". The timestamp is
// the device's wall clock, stored as UTC because the zone is not printed.
// It never fails: a line it cannot split is all Message, Source other.
func ParseDebugLine(line string) DebugLine {
	raw := strings.TrimRight(line, "\r\n")
	if strings.IndexByte(raw, '\r') >= 0 {
		raw = strings.ReplaceAll(raw, "\r", "")
	}
	d := DebugLine{Raw: raw, Source: SourceOther}
	rest := strings.TrimLeft(raw, " \t")
	if ts, after, ok := cutTimestamp(rest); ok {
		d.Time = ts
		rest = strings.TrimLeft(after, " \t")
	}
	hint := ""
	if strings.HasPrefix(rest, "[") {
		// "[httpsd 249 - 1701913579    error] func[645] -- msg"
		if end := strings.IndexByte(rest, ']'); end > 0 {
			hint = firstIdent(rest[1:end])
			rest = strings.TrimLeft(rest[end+1:], " \t")
		}
	}
	d.Func, d.Message = cutFunc(rest)
	switch {
	case d.Func != "":
		d.Source = sourceOf(d.Func)
	case hint != "":
		d.Source = sourceOf(hint)
	}
	if d.Source == SourceOther && d.Func == "" {
		if w := firstIdent(d.Message); w != "" {
			d.Source = sourceOf(w)
		}
	}
	d.IsError = isErrorText(d.Message)
	return d
}

// cutTimestamp splits a leading "YYYY-MM-DD HH:MM:SS" off s.
func cutTimestamp(s string) (time.Time, string, bool) {
	if len(s) < 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, s, false
	}
	if len(s) > 19 && s[19] != ' ' && s[19] != '\t' {
		return time.Time{}, s, false
	}
	num := func(a, b int) (int, bool) {
		n := 0
		for i := a; i < b; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	mo, ok2 := num(5, 7)
	dd, ok3 := num(8, 10)
	h, ok4 := num(11, 13)
	mi, ok5 := num(14, 16)
	se, ok6 := num(17, 19)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || dd < 1 || dd > 31 || h > 23 || mi > 59 || se > 60 {
		return time.Time{}, s, false
	}
	return time.Date(y, time.Month(mo), dd, h, mi, se, 0, time.UTC), s[19:], true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// firstIdent returns the identifier-like word that starts s.
func firstIdent(s string) string {
	i := 0
	for i < len(s) && isIdentByte(s[i]) {
		i++
	}
	return s[:i]
}

// cutFunc splits "func[NNN]:msg", "func[NNN] -- msg" or "snake_func: msg".
func cutFunc(s string) (fn, msg string) {
	id := firstIdent(s)
	if id == "" || len(id) == len(s) {
		return "", s
	}
	r := s[len(id):]
	if r[0] == '[' {
		j := 1
		for j < len(r) && r[j] >= '0' && r[j] <= '9' {
			j++
		}
		if j > 1 && j < len(r) && r[j] == ']' {
			m := r[j+1:]
			if strings.HasPrefix(m, ":") {
				return id, strings.TrimLeft(m[1:], " \t")
			}
			if t := strings.TrimLeft(m, " "); strings.HasPrefix(t, "--") {
				return id, strings.TrimLeft(t[2:], " \t")
			}
			if m == "" {
				return id, ""
			}
		}
		return "", s
	}
	if r[0] == ':' && strings.IndexByte(id, '_') > 0 {
		return id, strings.TrimLeft(r[1:], " \t")
	}
	return "", s
}

// sourceOf infers the daemon from a function name or prefix.
func sourceOf(name string) Source {
	var buf [64]byte
	if len(name) > len(buf) {
		name = name[:len(buf)]
	}
	l := buf[:len(name)]
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	switch {
	case bytes.HasPrefix(l, []byte("ftm")) || bytes.Contains(l, []byte("fortitoken")) || bytes.Contains(l, []byte("ftk")):
		return SourceFortitoken
	case bytes.Contains(l, []byte("forticldd")) || bytes.HasPrefix(l, []byte("fds_")) || bytes.Contains(l, []byte("cld")) || bytes.Contains(l, []byte("fgd")):
		return SourceForticldd
	case bytes.Contains(l, []byte("alertmail")) || bytes.Contains(l, []byte("mail")) || bytes.Contains(l, []byte("smtp")):
		return SourceAlertmail
	}
	return SourceOther
}

var errorWords = [][]byte{
	[]byte("error"), []byte("fail"), []byte("timeout"), []byte("timed out"), []byte("invalid"),
	[]byte("unreachable"), []byte("denied"), []byte("refused"), []byte("cannot"), []byte("can't"),
	[]byte("unable"), []byte("not exist"),
}

// isErrorText reports whether msg reports a failure.
func isErrorText(msg string) bool {
	var buf [256]byte
	var l []byte
	if len(msg) <= len(buf) {
		l = buf[:len(msg)]
	} else {
		l = make([]byte, len(msg))
	}
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		l[i] = c
	}
	for _, w := range errorWords {
		if bytes.Contains(l, w) {
			return true
		}
	}
	return false
}
