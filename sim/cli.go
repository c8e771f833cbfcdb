package sim

import (
	"strings"
	"time"
)

// result is what one command prints.
type result struct {
	lines  []string
	noPage bool          // grep output is never paged
	token  bool          // token command: the drop fault cuts it
	exit   bool          // session ends after the output
	delay  time.Duration // device think time before the answer (real timing)
}

func out(lines ...string) result { return result{lines: lines} }

func unknownAction() result { return out("Unknown action 0") }

func parseErr(tok string) result {
	return out("command parse error before '"+tok+"'", "Command fail. Return code -61")
}

func valueErr(tok string) result {
	return out("value parse error before '"+tok+"'", "Command fail. Return code -651")
}

func incomplete() result {
	return out("incomplete command in the end", "Command fail. Return code -160")
}

func permDenied() result { return out("Command fail. Return code -37") }

func notFound() result {
	return out("entry not found in datasource", "Command fail. Return code -3")
}

// match resolves an abbreviated keyword: an exact match wins, else a unique prefix.
func match(w string, opts ...string) (string, bool) {
	if w == "" {
		return "", false
	}
	found, n := "", 0
	for _, o := range opts {
		if o == w {
			return o, true
		}
		if strings.HasPrefix(o, w) {
			found, n = o, n+1
		}
	}
	return found, n == 1
}

// tokenize splits a command line on blanks, honouring '…' and "…" quoting.
func tokenize(line string) ([]string, bool) {
	var words []string
	var cur strings.Builder
	inWord := false
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			q, inWord = c, true
		case c == '\\' && i+1 < len(line):
			i++
			cur.WriteByte(line[i])
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, q == 0
}

// splitPipe cuts "cmd | grep ..." at the first unquoted '|'.
func splitPipe(line string) (string, string, bool) {
	var q byte
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '|':
			return strings.TrimSpace(line[:i]), strings.TrimSpace(line[i+1:]), true
		}
	}
	return line, "", false
}

// execute runs one command line in the session's current scope.
func (s *session) execute(line string) result {
	cmd, pipe, piped := splitPipe(line)
	words, ok := tokenize(cmd)
	if !ok {
		return incomplete()
	}
	if len(words) == 0 {
		if piped {
			return unknownAction()
		}
		return result{}
	}
	var g grepOpts
	if piped {
		pw, ok := tokenize(pipe)
		if !ok {
			return incomplete()
		}
		var bad string
		if g, bad = parseGrep(pw); bad != "" {
			return parseErr(bad)
		}
	}
	res := s.dispatch(words)
	res.delay += s.cost(words, res)
	if piped && !isError(res.lines) {
		res.lines = applyGrep(res.lines, g)
		res.noPage = true
		res.token = res.token || strings.Contains(strings.ToUpper(g.pattern), "FTK")
	}
	return res
}

func isError(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, "Command fail.") || l == "Unknown action 0" {
			return true
		}
	}
	return false
}

// verbs valid at the current scope.
func (s *session) verbs() []string {
	switch top := s.top(); {
	case top == nil:
		return []string{"config", "diagnose", "execute", "exit", "get", "show"}
	case top.kind == kGlobal || top.kind == kVdom:
		return []string{"config", "diagnose", "execute", "exit", "get", "show", "end"}
	case top.kind == kVdomSel:
		return []string{"edit", "end", "abort", "exit", "get", "show"}
	case top.kind == kTable:
		return []string{"edit", "delete", "end", "abort", "exit", "get", "show", "purge"}
	default:
		return []string{"set", "unset", "next", "end", "abort", "exit", "get", "show"}
	}
}

func (s *session) dispatch(w []string) result {
	verb, ok := match(w[0], s.verbs()...)
	if !ok {
		return unknownAction()
	}
	args := w[1:]
	switch verb {
	case "exit":
		return result{exit: true}
	case "config":
		return s.cmdConfig(args)
	case "show":
		return s.cmdShow(args)
	case "get":
		return s.cmdGet(args)
	case "diagnose":
		return s.cmdDiagnose(args)
	case "execute":
		return s.cmdExecute(args)
	case "edit":
		return s.cmdEdit(args)
	case "delete":
		return s.cmdDelete(args)
	case "purge":
		return permDenied()
	case "set":
		return s.cmdSet(args, false)
	case "unset":
		return s.cmdSet(args, true)
	case "next":
		return s.cmdNext()
	case "end":
		return s.cmdEnd(true)
	case "abort":
		return s.cmdEnd(false)
	}
	return unknownAction()
}
