package tuibench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/tui"
)

const (
	devices   = 5000
	tokens    = 20
	floodRate = 100_000 // lines per second
)

// backend is a fleet of synthetic results and one flooding debug stream.
type backend struct {
	devs    []tui.Device
	mu      sync.Mutex
	streams []*flood
}

func newBackend() *backend {
	b := &backend{}
	for i := 0; i < devices; i++ {
		b.devs = append(b.devs, tui.Device{Name: fmt.Sprintf("fw-%05d", i), Host: "127.0.0.1", Port: 22})
	}
	return b
}

func (b *backend) Devices() []tui.Device { return b.devs }

func (b *backend) Scan(_ context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult {
	out := make([]fleet.DeviceResult, 0, len(names))
	for i, n := range names {
		r := fleet.DeviceResult{Name: n, Host: "127.0.0.1", Port: 22, Reachable: true, Hostname: "FGT-" + n,
			TokenServer: "reachable", ScannedAt: time.Unix(0, 0), FortiGuard: []fleet.PingCheck{}, Findings: []fleet.Finding{}}
		for j := 0; j < tokens; j++ {
			d := fleet.CodeOK
			if (i+j)%7 == 0 {
				d = fleet.CodeNeedsActivation
			}
			r.Tokens = append(r.Tokens, fleet.TokenResult{Serial: fmt.Sprintf("FTK200%05d%05d", i, j), Kind: "hardware",
				Status: "new", Users: []string{"user"}, Diagnosis: d, Severity: fleet.SevInfo})
		}
		out = append(out, r)
		if progress != nil {
			rr := r
			progress(fleet.Event{Kind: fleet.EventFinished, Device: n, Result: &rr})
		}
	}
	return out
}

func (b *backend) Plan(context.Context, fleet.ActionRequest) (*fleet.Plan, error) {
	return nil, errors.New("tuibench: no actions")
}

func (b *backend) Run(context.Context, *fleet.Plan, func(parse.DebugLine)) fleet.ActionResult {
	return fleet.ActionResult{Outcome: fleet.OutcomeRefused}
}

func (b *backend) Debug(context.Context, string, []string) (tui.DebugStream, error) {
	f := &flood{ch: make(chan parse.DebugLine, 1024), stop: make(chan struct{})}
	go f.run()
	b.mu.Lock()
	b.streams = append(b.streams, f)
	b.mu.Unlock()
	return f, nil
}

func (b *backend) stream() *flood {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.streams) == 0 {
		return nil
	}
	return b.streams[0]
}

// flood sends floodRate lines/s in 1 ms bursts; a send that would block is
// counted as a drop (the pane did not keep up) instead of slowing the flood.
type flood struct {
	ch        chan parse.DebugLine
	stop      chan struct{}
	once      sync.Once
	sent, lag atomic.Int64
}

func (f *flood) Lines() <-chan parse.DebugLine { return f.ch }
func (f *flood) Close() error                  { f.once.Do(func() { close(f.stop) }); return nil }

func (f *flood) run() {
	defer close(f.ch)
	start := time.Now()
	var n int64
	tk := time.NewTicker(time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case <-f.stop:
			return
		case <-tk.C:
		}
		due := int64(time.Since(start).Seconds() * floodRate)
		for ; n < due; n++ {
			l := parse.DebugLine{Source: parse.SourceForticldd, Raw: fmt.Sprintf("[forticldd] ftm_poll: token %d state 3 flood line", n)}
			select {
			case f.ch <- l:
				f.sent.Add(1)
			default:
				f.lag.Add(1)
			}
		}
	}
}

// probe wraps the TUI model and notes when the first frame after a key is drawn.
type probe struct {
	m       *tui.Model
	waiting atomic.Bool
	sentAt  atomic.Int64
	drawn   chan time.Duration
}

func (p *probe) Init() tea.Cmd { return p.m.Init() }

func (p *probe) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := p.m.Update(msg)
	return p, cmd
}

func (p *probe) View() tea.View {
	v := p.m.View()
	if p.waiting.CompareAndSwap(true, false) {
		p.drawn <- time.Duration(time.Now().UnixNano() - p.sentAt.Load())
	}
	return v
}

// BenchmarkKeyDuringFlood opens the debug pane on a flooding device, then
// presses j/k b.N times, each timed from Send to the next frame drawn.
// Reported: p50/p99/max key latency, lines/s the pane ingested, lines the
// flood could not hand over, and heap growth over the measured flood.
func BenchmarkKeyDuringFlood(b *testing.B) {
	be := newBackend()
	m := tui.New(tui.Options{Backend: be, RingSize: 10000})
	p := &probe{m: m, drawn: make(chan time.Duration, 1)}
	prog := tea.NewProgram(p, tea.WithInput(nil), tea.WithOutput(io.Discard), tea.WithWindowSize(200, 60),
		tea.WithoutSignalHandler())
	done := make(chan error, 1)
	go func() { _, err := prog.Run(); done <- err }()
	defer func() {
		prog.Quit()
		<-done
		_ = m.Close()
	}()
	press := func(k string) time.Duration {
		p.sentAt.Store(time.Now().UnixNano())
		p.waiting.Store(true)
		prog.Send(tea.KeyPressMsg{Code: rune(k[0]), Text: k})
		select {
		case d := <-p.drawn:
			return d
		case <-time.After(5 * time.Second):
			b.Fatalf("key %q not answered within 5 s", k)
		}
		return 0
	}
	time.Sleep(500 * time.Millisecond) // initial scan of the synthetic fleet
	press("d")
	deadline := time.Now().Add(5 * time.Second)
	for be.stream() == nil || be.stream().sent.Load() < floodRate/2 {
		if time.Now().After(deadline) {
			b.Fatal("debug stream did not start flooding")
		}
		time.Sleep(10 * time.Millisecond)
	}
	s := be.stream()
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	sent0, lag0, t0 := s.sent.Load(), s.lag.Load(), time.Now()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		k := "j"
		if i%2 == 1 {
			k = "k"
		}
		lat = append(lat, press(k))
		time.Sleep(5 * time.Millisecond) // a fast typist, not a tight loop
	}
	b.StopTimer()
	el := time.Since(t0)
	runtime.GC()
	runtime.ReadMemStats(&m1)
	slices.Sort(lat)
	pct := func(q float64) float64 { return float64(lat[int(q*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
	b.ReportMetric(float64(s.sent.Load()-sent0)/el.Seconds(), "lines/s")
	b.ReportMetric(float64(s.lag.Load()-lag0), "dropped-lines")
	b.ReportMetric((float64(m1.HeapAlloc)-float64(m0.HeapAlloc))/(1<<20), "heap-growth-MB")
}
