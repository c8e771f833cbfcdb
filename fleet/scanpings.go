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
// as soon as a reply is in (same count, loss and DNS answer), and resets
// its ping-options afterwards. A ping whose session is not open by the time
// the main session has read everything else (a unit at its admin-session
// limit, or one that serves a single channel) is run on the main session.
type pings struct {
	wg    sync.WaitGroup
	slots []*pingSlot
}

// pingSlot is one host's ping on its own session.
type pingSlot struct {
	host   string
	cancel context.CancelFunc
	done   chan struct{} // closed once the outcome below is final

	mu        sync.Mutex
	opened    bool // its session is up: wait for it
	abandoned bool // the main session pings this host instead
	ok        bool // res holds the answer
	res       PingCheck
	t0        time.Time
}

func (e *Engine) startPings(ctx context.Context, cl *device.Client, main *device.Session, clock *stepClock) *pings {
	p := &pings{}
	for _, h := range FortiGuardHosts {
		sctx, cancel := context.WithCancel(ctx)
		sl := &pingSlot{host: h, cancel: cancel, done: make(chan struct{}), t0: time.Now()}
		p.slots = append(p.slots, sl)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			defer close(sl.done)
			s, err := cl.OpenExtra(sctx, main)
			sl.mu.Lock()
			if err != nil || sl.abandoned {
				sl.mu.Unlock()
				if s != nil {
					_ = s.Close()
				}
				return
			}
			sl.opened = true
			sl.mu.Unlock()
			defer s.Close()
			s.SetTranscript(e.transcript("scan", "", false))
			adaptive := s.PingOptions(sctx, "adaptive-ping enable") == nil
			res, err := s.Ping(sctx, h)
			if adaptive {
				_ = s.PingOptions(sctx, "reset")
			}
			if err != nil && fatal(err) {
				return // this session broke; the main one pings instead
			}
			sl.mu.Lock()
			sl.res, sl.ok = pingCheck(h, res, err), true
			sl.mu.Unlock()
			clock.add("ping "+h, sl.t0)
		}()
	}
	return p
}

// stop ends every ping session (the scan is over or failed).
func (p *pings) stop() {
	for _, sl := range p.slots {
		sl.cancel()
	}
	p.wg.Wait()
}

// wait returns every ping's check. A ping whose session has not opened
// yet is abandoned and run on main; one already running is waited for.
func (p *pings) wait(ctx context.Context, main KBReader, clock *stepClock) ([]PingCheck, error) {
	out := make([]PingCheck, len(p.slots))
	for i, sl := range p.slots {
		sl.mu.Lock()
		if !sl.opened {
			sl.abandoned = true
			sl.cancel()
		}
		opened := sl.opened
		sl.mu.Unlock()
		if opened {
			select {
			case <-sl.done:
			case <-ctx.Done():
				return nil, ctx.Err()
			}
			sl.mu.Lock()
			ok, res := sl.ok, sl.res
			sl.mu.Unlock()
			if ok {
				out[i] = res
				continue
			}
		}
		t0 := time.Now()
		res, err := main.Ping(ctx, sl.host)
		if err != nil && fatal(err) {
			return nil, err
		}
		out[i] = pingCheck(sl.host, res, err)
		clock.add("ping "+sl.host, t0)
	}
	return out, nil
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
