package tui

import (
	"context"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// largeFleet is 5,000 devices with 20 tokens each (100,000 tokens).
func largeFleet(tb testing.TB) *Model {
	tb.Helper()
	fb := &fakeBackend{results: map[string]fleet.DeviceResult{}}
	codes := []fleet.Code{fleet.CodeOK, fleet.CodeNeedsActivation, fleet.CodeDeleteReadd, fleet.CodePending}
	sevs := []fleet.Severity{"", fleet.SevWarn, fleet.SevError, fleet.SevWarn}
	for i := 0; i < 5000; i++ {
		name := fmt.Sprintf("fw-%05d", i)
		fb.devs = append(fb.devs, Device{Name: name, Host: fmt.Sprintf("10.%d.%d.1", i/256, i%256), Port: 22})
		r := fleet.DeviceResult{Name: name, Reachable: i%97 != 0, Hostname: "FGT", TokenServer: "reachable",
			FortiGuard: []fleet.PingCheck{{Host: "fds1.fortinet.com", Reachable: true}}, ScannedAt: time.Unix(0, 0),
			EmailServer: fleet.EmailResult{Server: "notification.fortinet.net"}}
		for j := 0; j < 20; j++ {
			k := (i + j) % len(codes)
			r.Tokens = append(r.Tokens, tok(fmt.Sprintf("FTK2%011d%d", i, j%10), "hardware", "new", false, []string{"u"}, codes[k], sevs[k]))
		}
		fb.results[name] = r
	}
	m := New(Options{Backend: fb, NoInitialScan: true})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 60})
	for _, d := range fb.devs {
		m.applyResult(fb.results[d.Name])
	}
	m.refreshList()
	m.showDbg, m.showHis = true, true
	return m
}

func BenchmarkViewLargeFleet(b *testing.B) {
	m := largeFleet(b)
	m.render() // fill row caches as the first frame does
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%2 == 0 { // moving the cursor re-renders the selected rows
			m.Update(keyMsg("j"))
		} else {
			m.Update(keyMsg("k"))
		}
		_ = m.render()
	}
}

func BenchmarkDebugIngest(b *testing.B) {
	rg := newRing(DefaultRingSize)
	s := &fakeStream{ch: make(chan parse.DebugLine, 4096), stop: make(chan struct{})}
	done := make(chan struct{})
	go pump(context.Background(), s, rg, func() { close(done) })
	l := parse.DebugLine{Source: parse.SourceForticldd, Raw: "[forticldd] ftm_cfg_poll_token_states: polling 12 tokens"}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.ch <- l
	}
	close(s.ch)
	<-done
	b.StopTimer()
	if _, total := rg.bounds(); total != int64(b.N) {
		b.Fatalf("ingested %d of %d", total, b.N)
	}
}

// TestLargeFleetRenders checks the big fleet renders the visible window only
// and stays consistent (no timing assertion: see BenchmarkViewLargeFleet).
func TestLargeFleetRenders(t *testing.T) {
	m := largeFleet(t)
	v := m.render()
	if n := len(m.list.order); n != 5000 {
		t.Fatalf("order has %d devices", n)
	}
	lines := 0
	for _, c := range v {
		if c == '\n' {
			lines++
		}
	}
	if lines != 59 {
		t.Fatalf("frame has %d lines, want 60", lines+1)
	}
	m.Update(keyMsg("G"))
	if m.list.cursor != 4999 {
		t.Fatalf("G → %d", m.list.cursor)
	}
	_ = m.render()
}
