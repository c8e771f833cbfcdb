package channel

import (
	"regexp"
	"strings"
	"testing"
)

var learnedHost = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.~-]{0,63}$`)

// FuzzPrompt feeds arbitrary device output to the prompt learner and
// matchers and the line capper: never a panic, indexes always inside the
// buffer, a learned hostname always safe to quote into a regexp, lines
// always capped.
func FuzzPrompt(f *testing.F) {
	f.Add([]byte("FGT-1 # "), uint16(0))
	f.Add([]byte("banner\r\nFGT-1 (global) $ "), uint16(3))
	f.Add([]byte("out\r\nFGT-1 (vdom x) # \r\nFGT-1 # "), uint16(5))
	f.Add([]byte("FGT-1 # 2024-01-01 00:00:00 [forticldd] x\r--More-- \r        \r"), uint16(1))
	f.Add([]byte(strings.Repeat("x", 2000)+"\nH # "), uint16(900))
	f.Add([]byte("******WARNING: This firmware failed signature validation.******\r\nFGT_HA (Interim)# "), uint16(2))
	f.Add([]byte("x\r\nFGT-1(Secondary) (global) $ 2025-12-10 21:54:00 [3551] fds"), uint16(1))
	f.Add([]byte("FGT-VERYLONG~ (cust-a~) # "), uint16(0))
	f.Fuzz(func(t *testing.T, buf []byte, from uint16) {
		host, pr, ok := learnPrompt(buf)
		if !ok {
			host = "FGT-1"
		} else if !learnedHost.MatchString(host) || (pr.char != '#' && pr.char != '$') {
			t.Fatalf("learned host %q char %q from %q", host, pr.char, buf)
		}
		pm := NewPromptMatcher(host)
		check := func(p prompt, ok bool) {
			if ok && (p.start < 0 || p.end > len(buf) || p.start > p.end) {
				t.Fatalf("prompt %+v outside a %d-byte buffer", p, len(buf))
			}
		}
		check(pm.matchEnd(buf, int(from)))
		check(pm.matchAny(buf, int(from)))
		for _, l := range strings.Split(capLines(string(buf)), "\n") {
			if len(l) > MaxLine {
				t.Fatalf("line of %d bytes survived capLines", len(l))
			}
		}
	})
}
