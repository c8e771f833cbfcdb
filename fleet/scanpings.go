package fleet

import (
	"context"
	"sync"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/parse"
)

// pings runs KB step 1's pings, each on a CLI session of its own on the
// device's connection, while the main session reads everything else. On
// a real unit one `execute ping` takes seconds (5 packets 1 s apart): run
// one after the other on the main session they were most of a scan.
// Each session asks FortiOS for adaptive-ping, which sends the next packet
// as soon as a reply is in (same count, loss and DNS answer) and resets
// its ping-options afterwards. A ping whose session could not open (the
// unit's admin-session limit, say) is run on the main session instead.
type pings struct {
	wg      sync.WaitGroup
	results []PingCheck
	ok      []bool // results[i] came from its own session
}

func (e *Engine) startPings(ctx context.Context, cl *device.Client, clock *stepClock) *pings {
	p := &pings{results: make([]PingCheck, len(FortiGuardHosts)), ok: make([]bool, len(FortiGuardHosts))}
	for i, h := range FortiGuardHosts {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			t0 := time.Now()
			s, err := cl.Open(ctx)
			if err != nil {
				return // the main session pings it
			}
			defer s.Close()
			s.SetTranscript(e.transcript("scan", "", false))
			adaptive := s.PingOptions(ctx, "adaptive-ping enable") == nil
			res, err := s.Ping(ctx, h)
			if adaptive {
				_ = s.PingOptions(ctx, "reset")
			}
			if err != nil && fatal(err) && ctx.Err() == nil {
				return // this session broke; try again on the main one
			}
			p.results[i], p.ok[i] = pingCheck(h, res, err), true
			clock.add("ping "+h, t0)
		}()
	}
	return p
}

// wait returns every ping's check, running on main those whose own
// session failed.
func (p *pings) wait(ctx context.Context, main *device.Session, clock *stepClock) ([]PingCheck, error) {
	p.wg.Wait()
	for i, h := range FortiGuardHosts {
		if p.ok[i] {
			continue
		}
		t0 := time.Now()
		res, err := main.Ping(ctx, h)
		if err != nil && fatal(err) {
			return nil, err
		}
		p.results[i] = pingCheck(h, res, err)
		clock.add("ping "+h, t0)
	}
	return p.results, nil
}

func pingCheck(h string, p parse.PingResult, err error) PingCheck {
	pc := PingCheck{Host: h, Reachable: err == nil && p.Reachable(), LossPct: p.LossPct, Error: p.Error}
	if err != nil {
		pc.Error, pc.LossPct = redact(err.Error()), 100
	} else if !p.Resolved && pc.Error == "" {
		pc.Error = "does not resolve"
	}
	return pc
}
