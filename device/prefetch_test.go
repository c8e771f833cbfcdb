package device

import (
	"strings"
	"testing"

	"github.com/ftktui/ftktui/sim"
)

// TestPrefetchServesReadsInOneRoundTrip checks that prefetched reads are
// pipelined with the no-page suffix, that the read methods then use them
// without sending anything, and that each output is used once only.
func TestPrefetchServesReadsInOneRoundTrip(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	_, s := open(t, tg)
	s.Prefetch(bg, CmdCentralManagement, CmdTokenInfo, CmdEmailServer)
	sent := len(d.State().Commands)
	for _, c := range d.State().Commands[sent-3:] {
		if !strings.HasSuffix(c, strings.TrimSpace(NoPageSuffix)) {
			t.Fatalf("prefetch sent %q without the no-page suffix", c)
		}
	}
	cm, err := s.CentralManagement(bg)
	if err != nil || cm.Type == "" {
		t.Fatalf("central management from prefetch: %+v %v", cm, err)
	}
	ti, err := s.TokenInfo(bg, "")
	if err != nil || len(ti.Tokens) == 0 {
		t.Fatalf("token info from prefetch: %+v %v", ti, err)
	}
	es, err := s.EmailServer(bg)
	if err != nil || es.Server == "" {
		t.Fatalf("email server from prefetch: %+v %v", es, err)
	}
	if n := len(d.State().Commands); n != sent {
		t.Fatalf("reads after prefetch sent %q", d.State().Commands[sent:])
	}
	// A second read of the same command goes to the device again.
	if _, err := s.TokenInfo(bg, ""); err != nil {
		t.Fatal(err)
	}
	if got := d.State().Commands[len(d.State().Commands)-1]; got != CmdTokenInfo {
		t.Fatalf("second read sent %q, want %q", got, CmdTokenInfo)
	}
}

// TestPrefetchIsANoOpOnMultiVDOM keeps multi-VDOM reads on their scoped path.
func TestPrefetchIsANoOpOnMultiVDOM(t *testing.T) {
	_, d, tg := one(t, sim.MultiVDOM)
	_, s := open(t, tg)
	before := len(d.State().Commands)
	s.Prefetch(bg, CmdTokenInfo)
	if n := len(d.State().Commands); n != before {
		t.Fatalf("prefetch on a multi-VDOM unit sent %q", d.State().Commands[before:])
	}
	if _, err := s.TokenInfo(bg, ""); err != nil {
		t.Fatal(err)
	}
}
