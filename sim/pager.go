package sim

import (
	"strings"
	"time"
)

// Pager bytes exactly as FortiOS 7.4 writes them (fortios-wire.md §1.1).
const (
	morePrompt = "--More-- "
	moreErase  = "\r         \r" // blanks the 9 characters of morePrompt
)

// faulted applies the garbage and drop faults to a command's lines. With
// drop it reports the bytes to write before the connection is cut.
func (s *session) faulted(res result) ([]string, string, bool) {
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
	if !drop {
		return lines, "", false
	}
	eol := s.eol()
	var b strings.Builder
	for _, l := range lines[:len(lines)/2] {
		b.WriteString(l + eol)
	}
	if len(lines) > 0 {
		b.WriteString(lines[len(lines)/2][:len(lines[len(lines)/2])/2])
	}
	return nil, b.String(), true
}

// pageSize is the pager's page in physical rows (PTY rows − 2) and the
// terminal width that decides how many rows a line takes.
func (s *session) pageSize() (int, int) {
	rows := int(s.rows.Load())
	if s.d.pagedScenario && rows > 24 {
		rows = 24 // the paged scenario pages even on a very tall terminal
	}
	return max(rows-2, 1), max(int(s.cols.Load()), 1)
}

// physRows is how many terminal rows a line fills at that width.
func physRows(l string, cols int) int {
	return max(1, (len(l)+cols-1)/cols)
}

// output writes a shell command's lines, applying faults and the pager. It
// returns false when the session must end. With keep the last part stays
// held for the next answer (see hold).
func (s *session) output(res result, tail string, keep bool) bool {
	lines, cut, drop := s.faulted(res)
	if drop {
		s.write(cut)
		_ = s.conn.Close()
		return false
	}
	eol := s.eol()
	paged := !res.noPage && s.consoleMore()
	page, cols := s.pageSize()
	var b strings.Builder
	used := 0
	for _, l := range lines {
		h := physRows(l, cols)
		if paged && used > 0 && used+h > page {
			if !s.pause(&b) {
				return false
			}
			k, err := s.readByte()
			if err != nil {
				return false
			}
			// The erase is a write of its own, before the next page.
			if !s.write(moreErase) {
				return false
			}
			if !s.busySleep(pagerEraseGap) {
				return false
			}
			if k == 'q' || k == 'Q' {
				return s.finish(tail, false)
			}
			used = 0
			// a window-change while paused applies to the next page
			page, cols = s.pageSize()
			h = physRows(l, cols)
		}
		b.WriteString(l + eol)
		used += h
	}
	b.WriteString(tail)
	return s.finish(b.String(), keep)
}

// pause writes the page so far and the pager prompt. Input that arrived
// while the page was produced is echoed by the terminal first.
func (s *session) pause(b *strings.Builder) bool {
	if !s.rawEcho() {
		return false
	}
	b.WriteString(morePrompt)
	ok := s.write(b.String())
	b.Reset()
	return ok
}

// finish writes the end of an answer (typed-ahead echo first) or, with
// keep, holds it for the next answer.
func (s *session) finish(str string, keep bool) bool {
	if !s.rawEcho() {
		return false
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	s.held = append(s.held, str...)
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
