package sim

import (
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
	if limit := d.maxSessions(); limit > 0 && d.st.sessions >= limit {
		d.st.refusedSessions++
		d.mu.Unlock()
		close(s.done)
		s.write("Reached maximum number of logged in administrators." + s.eol())
		_, _ = s.ch.SendRequest("exit-status", false, ssh.Marshal(struct{ Status uint32 }{0}))
		_ = s.ch.Close()
		return
	}
	d.st.sessions++
	d.sess[s] = struct{}{}
	hang := d.faults[FaultHang]
	d.mu.Unlock()
	if !hang {
		s.in = newInq()
		d.f.goTracked(func() { s.in.fill(s.ch) })
	}
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
		if _, err := s.ch.Read(buf); err != nil {
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
	return s.emit([]byte(str)) == nil
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
	err := s.emit(s.held)
	s.held = s.held[:0]
	return err == nil
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
	// An ha-member fails over by itself every FailoverEvery commands.
	if st.haRole != "" && !s.d.linked {
		st.haCmds++
		if n := s.d.f.o.FailoverEvery; n > 0 && st.haCmds%n == 0 {
			st.failover()
		}
	}
	s.d.mu.Unlock()
}
