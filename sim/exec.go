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
	banner, force := s.d.st.banner, s.d.st.forcePw
	s.d.mu.Unlock()
	block := ""
	switch {
	case force:
		// [INFERRED] a pending forced password change blocks exec like the
		// banner does: the question, then nothing.
		block = "You are forced to change your password, please input a new password." + s.eol() + "New Password:"
	case banner:
		// The post-login banner blocks exec: the disclaimer's key prompt
		// and nothing else; input through the exec does not accept it
		// (paramiko#2034).
		block = "(Press 'a' to accept):"
	}
	if block != "" {
		if !s.write(block) {
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
		if !s.sleep(s.latency() + res.delay) {
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
