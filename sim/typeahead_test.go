package sim

import (
	"strings"
	"testing"
	"time"
)

// TestTypedAheadAnswersGoOutTogether sends three lines in one packet: the
// answers must be the same bytes as when the lines are typed one at a time,
// and arrive as one chunk (one SSH packet) instead of two per line.
func TestTypedAheadAnswersGoOutTogether(t *testing.T) {
	cmds := []string{"get system status", "show system email-server", "get system status"}
	_, _, m, p := healthyTerm(t)
	var want strings.Builder
	for _, c := range cmds {
		want.WriteString(m.run(c, p))
	}
	if len(m.buf.data) != 0 || len(m.buf.ch) != 0 {
		t.Fatalf("unexpected output before the pipelined lines: %q", m.buf.data)
	}
	m.send(strings.Join(cmds, "\r") + "\r")
	var first []byte
	select {
	case first = <-m.buf.ch:
	case <-time.After(5 * time.Second):
		t.Fatal("no answer to the pipelined lines")
	}
	m.buf.data = append(m.buf.data, first...)
	var got strings.Builder
	for range cmds {
		got.WriteString(m.readUntil(p, 5*time.Second))
	}
	if got.String() != want.String() {
		t.Fatalf("pipelined answers differ:\n got %q\nwant %q", got.String(), want.String())
	}
	if n := strings.Count(string(first), p); n != len(cmds) {
		t.Errorf("first chunk holds %d of %d prompts: answers were not sent together", n, len(cmds))
	}
}
