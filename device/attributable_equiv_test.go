package device

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ftktui/ftktui/parse"
)

// attributableRef is the split-per-later-line version attributable replaced.
func attributableRef(seg string, sent []string, k int) bool {
	clean := parse.Clean(seg)
	rest := parse.StripEcho(clean, sent[k])
	if rest == clean {
		return false
	}
	own := strings.TrimSpace(sent[k])
	for _, later := range sent[k+1:] {
		later = strings.TrimSpace(later)
		if later == own || classify(later) == kindContext {
			continue
		}
		for _, l := range strings.Split(rest, "\n") {
			if strings.TrimSpace(l) == later {
				return false
			}
		}
	}
	return true
}

// TestAttributableMatchesReference checks the one-pass attributable and the
// shared clean/echo step of the pipeline against the original on random
// pipelined segments (echoes early, late, repeated, context lines).
func TestAttributableMatchesReference(t *testing.T) {
	sent := []string{"get system status", "show system admin | grep -v x", "end", "diagnose debug info", "get system status"}
	lines := append([]string{"Hostname: a", "", "  ", "next", "end", "\x1b[K", "--More-- \r"}, sent...)
	r := rand.New(rand.NewPCG(3, 4))
	var yes, no int
	for range 50000 {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(lines[r.IntN(len(lines))])
			b.WriteString([]string{"\r\n", "\n", "\r\r\n"}[r.IntN(3)])
		}
		seg := b.String()
		k := r.IntN(len(sent))
		if r.IntN(2) == 0 {
			seg = sent[k] + "\r\n" + seg
		}
		got, want := attributable(seg, sent, k), attributableRef(seg, sent, k)
		if got != want {
			t.Fatalf("attributable(%q, %d) = %v, want %v", seg, k, got, want)
		}
		if got {
			yes++
		} else {
			no++
		}
		if a, b := tidyOutput(parse.StripEcho(parse.Clean(seg), sent[k])), cleanOutput(seg, sent[k]); a != b {
			t.Fatalf("tidyOutput path = %q, cleanOutput = %q", a, b)
		}
	}
	if yes == 0 || no == 0 {
		t.Fatalf("only one outcome exercised (%d true, %d false)", yes, no)
	}
}
