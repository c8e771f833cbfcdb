package sim

import (
	"strings"
)

// runShell is the interactive CLI: echo, line editing, prompt.
func (s *session) runShell() {
	if !s.login() {
		return
	}
	if !s.write(s.prompt()) {
		return
	}
	var line, echo []byte
	lastCR := false
	for {
		b, err := s.readByte()
		if err != nil {
			return
		}
		if b == '\n' && lastCR {
			lastCR = false
			continue
		}
		lastCR = b == '\r'
		switch {
		case b == '\r' || b == '\n':
			// The echo goes out with the line end handleLine writes.
			pre := string(echo)
			echo = echo[:0]
			if !s.handleLine(string(line), pre) {
				return
			}
			line = line[:0]
			continue
		case b == 0x7f || b == 0x08:
			if len(line) > 0 {
				line = line[:len(line)-1]
				echo = append(echo, "\b \b"...)
			}
		case b == 0x03:
			// Ctrl-C outside config/edit closes the CLI connection
			// (CLI basics: "this closes the CLI connection").
			if s.barePrompt() {
				s.write(string(echo))
				return
			}
			line = line[:0]
			echo = append(echo, "\r\n"+s.prompt()...)
		case b == '?':
			// Help comes at once, without Enter; '?' never enters the line.
			echo = append(echo, s.help(string(line))...)
		case b == 0x1b:
			s.skipEscape()
		case b >= 0x20 && len(line) < maxLine:
			line = append(line, b)
			echo = append(echo, b)
		}
		if !s.typedAhead() && len(echo) > 0 {
			if !s.write(string(echo)) {
				return
			}
			echo = echo[:0]
		}
	}
}

// barePrompt reports whether the CLI is outside any config or edit scope
// (a VDOM admin's fixed VDOM counts as bare).
func (s *session) barePrompt() bool {
	for _, sc := range s.scopes {
		if !sc.locked {
			return false
		}
	}
	return true
}

// skipEscape drops an ANSI escape sequence (arrow keys and the like).
func (s *session) skipEscape() {
	b, err := s.readByte()
	if err != nil || b != '[' {
		return
	}
	for i := 0; i < 8; i++ {
		b, err := s.readByte()
		if err != nil || (b >= 0x40 && b <= 0x7e) {
			return
		}
	}
}

// handleLine runs one typed line and prints its output and the next prompt.
func (s *session) handleLine(line, echo string) bool {
	line = strings.TrimSpace(line)
	if line == "" {
		s.hold(echo + "\r\n" + s.prompt())
		return true
	}
	s.hold(echo + "\r\r\n")
	// The command runs now: whatever else the client has sent is typed
	// ahead, and the terminal echoes it at once (fortios-wire.md §4).
	if !s.rawEcho() {
		return false
	}
	s.record(line)
	res := s.execute(line)
	if l := s.latency() + res.delay; l > 0 {
		// A slow device shows the echo before it thinks.
		if !s.flush() || !s.busySleep(l) {
			return false
		}
	}
	if res.exit {
		s.output(res, "", false)
		return false
	}
	// The prompt goes out in the same write as the output's last part.
	return s.output(res, "\r\n"+s.prompt(), s.typedAhead())
}

// verbHelp is the top-level `?` list of FortiOS.
var verbHelp = map[string]string{
	"config":   "Configure object.",
	"get":      "Get dynamic and system information.",
	"show":     "Show configuration.",
	"diagnose": "Diagnose facility.",
	"execute":  "Execute static commands.",
	"alias":    "Execute alias commands.",
	"exit":     "Exit the CLI.",
	"end":      "End and save last config.",
	"edit":     "Add/edit table value.",
	"set":      "Modify value.",
	"unset":    "Set to default value.",
	"next":     "Configure next table entry.",
	"abort":    "End and discard last config.",
	"delete":   "Delete table value.",
	"purge":    "Clear all table values.",
}

// help is what `?` prints: the choices for the word being typed, then the
// prompt and the line so far, which stays on the input. Beyond the first
// word the simulator only says <Enter> (the real lists are long).
func (s *session) help(line string) string {
	var b strings.Builder
	b.WriteString("\r\n")
	words := strings.Fields(line)
	if len(words) == 0 || (len(words) == 1 && !strings.HasSuffix(line, " ")) {
		pre := ""
		if len(words) == 1 {
			pre = words[0]
		}
		for _, v := range s.verbs() {
			if strings.HasPrefix(v, pre) {
				b.WriteString(padRight(v, 12) + verbHelp[v] + "\r\n")
			}
		}
	} else {
		b.WriteString("<Enter>\r\n")
	}
	b.WriteString(s.prompt() + line)
	return b.String()
}

func padRight(s string, n int) string {
	if len(s) >= n {
		return s + " "
	}
	return s + strings.Repeat(" ", n-len(s))
}
