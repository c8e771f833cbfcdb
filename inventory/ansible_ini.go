package inventory

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// The INI flavour is read by hand: gopkg.in/ini.v1 keeps no line numbers
// (errors must be FILE:LINE) and cannot read Ansible host lines, which are
// `host key=value key="quoted value"` with no '=' after the host, nor
// [group:children] sections, whose lines have no value at all.

var iniSectionRe = regexp.MustCompile(`^\[([^\]:\s]+)(?::([a-z]+))?\]$`)

// loadAnsibleINI reads an Ansible INI inventory: [group] host lines,
// [group:vars] key=value lines, [group:children] group names.
func loadAnsibleINI(path string, b []byte, base settings) (*Inventory, []Problem) {
	a := newAnsInv(path, FormatAnsibleINI)
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(b, utf8BOM)))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	group, kind := "ungrouped", "hosts"
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		if line[0] == '[' {
			m := iniSectionRe.FindStringSubmatch(stripComment(line))
			if m == nil {
				a.bad(n, "bad section header %q (want [group], [group:vars] or [group:children])", line)
				group, kind = "", "bad"
				continue
			}
			group, kind = m[1], m[2]
			switch kind {
			case "":
				kind = "hosts"
			case "vars", "children":
			default:
				a.bad(n, "section [%s:%s]: unknown suffix (want :vars or :children)", m[1], m[2])
				kind = "bad"
				continue
			}
			a.group(group, n)
			continue
		}
		words, err := shellWords(line)
		if err != nil {
			a.bad(n, "%v", err)
			continue
		}
		if len(words) == 0 {
			continue
		}
		switch kind {
		case "hosts":
			a.iniHost(group, words, n)
		case "vars":
			k, v, ok := strings.Cut(line, "=")
			if !ok || strings.TrimSpace(k) == "" {
				a.bad(n, "[%s:vars]: %q is not key=value", group, line)
				continue
			}
			val := strings.Join(mustWords(strings.TrimSpace(v)), " ")
			a.group(group, n).vars[strings.TrimSpace(k)] = ansVar{val: val, line: n, scalar: true}
		case "children":
			if len(words) != 1 {
				a.bad(n, "[%s:children]: want one group name a line, not %q", group, line)
				continue
			}
			a.addChild(group, words[0], n)
		}
	}
	if err := sc.Err(); err != nil {
		a.bad(0, "read: %v", err)
	}
	if len(a.probs) > 0 {
		return nil, a.probs
	}
	return a.resolve(base)
}

// iniHost adds a host line: "name[:port] key=value ...".
func (a *ansInv) iniHost(group string, words []string, n int) {
	vars := map[string]ansVar{}
	for _, w := range words[1:] {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			a.bad(n, "host %s: %q is not key=value", words[0], w)
			continue
		}
		vars[k] = ansVar{val: v, line: n, scalar: true}
	}
	host := words[0]
	if h, p, ok := strings.Cut(host, ":"); ok && !strings.Contains(p, ":") && isDigits(p) {
		host = h // Ansible's host:port shorthand
		if _, set := vars["ansible_port"]; !set {
			vars["ansible_port"] = ansVar{val: p, line: n, scalar: true}
		}
	}
	a.addHost(group, host, n, vars)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// stripComment drops a trailing " # comment" / " ; comment".
func stripComment(s string) string {
	for _, sep := range []string{" #", "\t#", " ;", "\t;"} {
		if i := strings.Index(s, sep); i >= 0 {
			s = s[:i]
		}
	}
	return strings.TrimSpace(s)
}

// mustWords unquotes a vars value the way shellWords does, falling back to
// the raw text when the quoting is odd (a vars value is one value).
func mustWords(s string) []string {
	w, err := shellWords(s)
	if err != nil || len(w) == 0 {
		return []string{s}
	}
	return w
}

// shellWords splits a line as Ansible does (shlex with comments): spaces
// separate words, '…' and "…" quote, \ escapes inside "…" and outside quotes,
// an unquoted # at a word start ends the line.
func shellWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	esc := false
	for _, r := range s {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case quote != 0:
			switch {
			case r == quote:
				quote = 0
			case r == '\\' && quote == '"':
				esc = true
			default:
				cur.WriteRune(r)
			}
		case r == '\\':
			esc, inWord = true, true
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words, nil
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
