package sim

import (
	"strings"
)

// runExec answers an exec request as FortiOS does (fortios-wire.md §2):
// the prompt first, no echo, each newline-separated line run in turn, each
// answer followed by a line end and the prompt again, never paged. Error
// lines go to stderr; the exit status is 0 whatever happened.
func (s *session) runExec(cmd string) {
	s.d.mu.Lock()
	banner := s.d.st.banner
	s.d.mu.Unlock()
	if banner {
		// The post-login banner blocks exec: the disclaimer's key prompt
		// and nothing else; input through the exec does not accept it.
		if !s.write("(Press 'a' to accept):") {
			return
		}
		for {
			if _, err := s.readByte(); err != nil {
				return
			}
		}
	}
	if !s.write(s.prompt()) {
		return
	}
	eol := s.eol()
	for _, line := range strings.Split(cmd, "\n") {
		line = strings.TrimSpace(strings.TrimRight(line, "\r"))
		if line == "" {
			continue
		}
		s.record(line)
		res := s.execute(line)
		if !s.sleep(s.latency()) {
			return
		}
		if res.exit {
			return
		}
		lines, cut, drop := s.faulted(res)
		if drop {
			s.write(cut)
			_ = s.conn.Close()
			return
		}
		var stdout, stderr strings.Builder
		if isError(lines) {
			for _, l := range lines {
				stderr.WriteString(l + eol)
			}
			if len(lines) == 1 && lines[0] == "Unknown action 0" {
				stderr.WriteString("Command fail. Return code -1" + eol)
			}
		} else {
			for _, l := range lines {
				stdout.WriteString(l + eol)
			}
		}
		if stderr.Len() > 0 {
			if !s.flush() || s.emitStderr(stderr.String()) != nil {
				return
			}
		}
		if !s.write(stdout.String() + eol + s.prompt()) {
			return
		}
	}
}
