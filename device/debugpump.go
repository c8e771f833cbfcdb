package device

import (
	"bytes"
	"context"
	"regexp"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// pump turns the shell's output into debug lines until ctx ends (nil) or
// the connection is lost (the error). Prompts and echoes interleave with
// the asynchronous lines and are dropped; a line without an end that grows
// past maxDebugLine is delivered cut.
func (d *DebugStream) pump(ctx context.Context, s *Session) error {
	lead := leadingPrompt(s.host)
	for {
		s.mu.Lock()
		var chunk []byte
		if i := bytes.LastIndexByte(s.buf, '\n'); i >= 0 {
			chunk = append(chunk, s.buf[:i+1]...)
			s.buf = append(s.buf[:0], s.buf[i+1:]...)
		} else if len(s.buf) > maxDebugLine {
			chunk = append(append(chunk, s.buf[:maxDebugLine]...), '\n')
			s.buf = append(s.buf[:0], s.buf[maxDebugLine:]...)
		}
		s.overflow = false
		rerr := s.readErr
		s.mu.Unlock()
		for _, raw := range strings.Split(string(chunk), "\n") {
			if l, ok := debugText(raw, lead); ok {
				d.emit(parse.ParseDebugLine(parse.RedactDebug(l)))
			}
		}
		if rerr != nil && len(chunk) == 0 {
			return s.lost(rerr)
		}
		if rerr != nil {
			continue // drain what is left first
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.notify:
		}
	}
}

// leadingPrompt matches a prompt (and what was typed after it) at the start
// of a line: debug output often continues right after a prompt.
func leadingPrompt(host string) *regexp.Regexp {
	return regexp.MustCompile(`^` + regexp.QuoteMeta(host) + `(?: \([^()\r\n]{1,80}\))? [#$] ?`)
}

// debugText cleans one raw line and drops what is not debug output.
func debugText(raw string, lead *regexp.Regexp) (string, bool) {
	l := parse.Clean(raw)
	if len(l) > maxDebugLine {
		l = l[:maxDebugLine]
	}
	if m := lead.FindStringIndex(l); m != nil {
		rest := l[m[1]:]
		// What follows a prompt is either an echoed command of ours or
		// debug text that started on the prompt line.
		if strings.HasPrefix(rest, "diagnose ") || strings.HasPrefix(rest, "config ") {
			return "", false
		}
		l = rest
	}
	l = strings.TrimRight(l, " \t")
	if strings.TrimSpace(l) == "" {
		return "", false
	}
	// A copy: a substring would keep the whole read chunk (up to MiBs from a
	// hostile device) alive for as long as the line sits in a buffer or ring.
	return strings.Clone(l), true
}
