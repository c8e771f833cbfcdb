package sim

import (
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
)

// maxLine bounds one command line; longer input is cut.
const maxLine = 4096

// run is the life of a shell or exec channel.
func (s *session) run(exec bool, cmd string) {
	s.exec = exec
	s.done = make(chan struct{})
	d := s.d
	d.mu.Lock()
	d.st.sessions++
	d.sess[s] = struct{}{}
	hang := d.faults[FaultHang]
	d.mu.Unlock()
	defer s.end()
	if v := d.st.vdomAdmin; v != "" {
		s.scopes = []*scope{{kind: kVdom, name: v, locked: true}}
	}
	switch {
	case hang:
		s.drain()
	case exec:
		s.runExec(cmd)
	default:
		s.runShell()
	}
}

func (s *session) end() {
	s.stopDebug()
	d := s.d
	d.mu.Lock()
	d.st.sessions--
	delete(d.sess, s)
	d.mu.Unlock()
	close(s.done)
	s.wmu.Lock()
	s.flushLocked()
	s.wmu.Unlock()
	_, _ = s.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
	_ = s.ch.Close()
}

// drain swallows input without ever answering (the hang fault).
func (s *session) drain() {
	buf := make([]byte, 512)
	for {
		if _, err := s.in.Read(buf); err != nil {
			return
		}
	}
}

func (s *session) eol() string {
	if s.exec && !s.pty {
		return "\n"
	}
	return "\r\n"
}

func (s *session) write(str string) bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	if len(s.held) > 0 {
		s.held = append(s.held, str...)
		return s.flushLocked()
	}
	_, err := s.ch.Write([]byte(str))
	return err == nil
}

// hold queues str behind the output held so far. Answers to pipelined lines
// go out together once the input is drained: one SSH packet (and syscall)
// per burst instead of two per line, which was the simulator's largest cost
// per command. The byte stream is unchanged.
func (s *session) hold(str string) {
	s.wmu.Lock()
	s.held = append(s.held, str...)
	s.wmu.Unlock()
}

// flush sends the held output.
func (s *session) flush() bool {
	s.wmu.Lock()
	defer s.wmu.Unlock()
	return s.flushLocked()
}

func (s *session) flushLocked() bool {
	if len(s.held) == 0 {
		return true
	}
	_, err := s.ch.Write(s.held)
	s.held = s.held[:0]
	return err == nil
}

// readByte reads one input byte, first sending held output if it would
// block, so that a client waiting for an answer is never left waiting.
func (s *session) readByte() (byte, error) {
	if !s.typedAhead() && !s.flush() {
		return 0, io.ErrClosedPipe
	}
	return s.in.ReadByte()
}

// typedAhead reports whether more input is already waiting (shell
// goroutine only: the bufio.Reader is not shared).
func (s *session) typedAhead() bool { return s.in.Buffered() > 0 }

// sleep waits d unless the session or the fleet goes away first.
func (s *session) sleep(d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-s.closed:
		return false
	case <-s.d.f.done:
		return false
	}
}

func (s *session) latency() time.Duration {
	l := s.d.f.o.Latency
	if s.d.fault(FaultSlow) {
		l += s.d.f.o.SlowLatency
	}
	return l
}

// maxCommands bounds State.Commands for long-running fleets; the oldest
// half is dropped when it fills.
const maxCommands = 100000

func (s *session) record(line string) {
	s.d.mu.Lock()
	st := s.d.st
	if len(st.commands) >= maxCommands {
		st.commands = append(st.commands[:0], st.commands[maxCommands/2:]...)
	}
	st.commands = append(st.commands, line)
	s.d.mu.Unlock()
}

// runExec answers an exec request: each newline-separated line is a
// command; no echo, no prompt.
func (s *session) runExec(cmd string) {
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
		if !s.output(res, "", false) || res.exit {
			return
		}
	}
}

// runShell is the interactive CLI: echo, line editing, prompt.
func (s *session) runShell() {
	if s.d.st.banner && !s.banner() {
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
			line = line[:0]
			echo = append(echo, "\r\n"+s.prompt()...)
		case b == 0x1b:
			s.skipEscape()
		case b >= 0x20 && len(line) < maxLine:
			line = append(line, b)
			echo = append(echo, b)
		}
		if s.in.Buffered() == 0 && len(echo) > 0 {
			if !s.write(string(echo)) {
				return
			}
			echo = echo[:0]
		}
	}
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
	s.record(line)
	res := s.execute(line)
	if l := s.latency() + res.delay; l > 0 {
		// A slow device shows the echo before it thinks.
		if !s.flush() || !s.sleep(l) {
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

// banner shows the post-login disclaimer and waits for 'a'.
func (s *session) banner() bool {
	if !s.write("\r\nThis system is for authorized use only. Activity may be monitored.\r\n(Press 'a' to accept):") {
		return false
	}
	for {
		b, err := s.in.ReadByte()
		if err != nil {
			return false
		}
		switch b {
		case 'a', 'A':
			return s.write("\r\n")
		case '\r', '\n', ' ':
		default:
			s.write("\r\n")
			return false
		}
	}
}

// prompt is "HOST # ", "HOST $ " or "HOST (scope) # ".
func (s *session) prompt() string {
	p := s.d.st.hostname
	if n := len(s.scopes); n > 0 {
		p += " (" + s.scopes[n-1].label() + ")"
	}
	if s.d.st.readonly {
		return p + " $ "
	}
	return p + " # "
}

// output writes a command's lines, applying faults and the pager. It
// returns false when the session must end. With keep the last part stays
// held for the next answer (see hold).
func (s *session) output(res result, tail string, keep bool) bool {
	lines := res.lines
	d := s.d
	d.mu.Lock()
	garbage := d.faults[FaultGarbage]
	drop := d.faults[FaultDrop] && res.token
	if d.dropNext && len(lines) >= 2 {
		drop, d.dropNext = true, false
	}
	var junk []string
	if garbage && len(lines) > 0 {
		junk = garbageLines(d.rng, len(lines))
	}
	d.mu.Unlock()
	if junk != nil {
		lines = junk
	}
	eol := s.eol()
	if drop {
		var b strings.Builder
		for _, l := range lines[:len(lines)/2] {
			b.WriteString(l + eol)
		}
		if len(lines) > 0 {
			b.WriteString(lines[len(lines)/2][:len(lines[len(lines)/2])/2])
		}
		s.write(b.String())
		_ = s.conn.Close()
		return false
	}
	paged := !s.exec && !res.noPage && s.consoleMore()
	page := int(s.rows.Load()) - 1
	if page < 4 {
		page = 4
	}
	if s.d.pagedScenario && page > 22 {
		page = 22 // the paged scenario pages even on a very tall terminal
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	var b strings.Builder
	n := 0
	for i, l := range lines {
		b.WriteString(l + eol)
		n++
		if !paged || n < page || i == len(lines)-1 {
			continue
		}
		b.WriteString("--More-- ")
		if !s.flushLocked() {
			return false
		}
		if _, err := s.ch.Write([]byte(b.String())); err != nil {
			return false
		}
		b.Reset()
		k, err := s.in.ReadByte()
		if err != nil {
			return false
		}
		b.WriteString("\r        \r")
		switch k {
		case 'q', 'Q':
			b.WriteString(tail)
			s.held = append(s.held, b.String()...)
			return s.flushLocked()
		case '\r', '\n':
			n = page - 1
		default:
			n = 0
		}
	}
	b.WriteString(tail)
	s.held = append(s.held, b.String()...)
	if keep {
		return true
	}
	return s.flushLocked()
}

func (s *session) consoleMore() bool {
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	return s.d.st.console == "more"
}
