package fleet

import (
	"context"
	"sync"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// A scan's round trips are its cost on a WAN: each read on one CLI
// session waits for the one before. So parts of a scan run on CLI
// sessions of their own beside the main one, on the same connection: the
// two FortiGuard pings (seconds each on a real unit: 5 packets 1 s apart)
// and the accounts/email/debug reads. A part whose session has not opened
// by the time the main session needs its answer (a unit at its
// admin-session limit, or one that serves a single channel) is run on the
// main session instead, so a unit that refuses extra sessions still scans.
// Each extra session is one more admin login in the unit's event log.

// auxTask is one part of a scan on a session of its own.
type auxTask struct {
	name   string
	run    func(ctx context.Context, s ActionSession) error // on its own session; an error means "run it on main"
	cancel context.CancelFunc
	done   chan struct{} // closed once the outcome below is final
	t0     time.Time

	mu        sync.Mutex
	opened    bool // its session is up: wait for it
	abandoned bool // the main session does it instead
	ok        bool // run succeeded
}

// auxSessions are the tasks of one device scan.
type auxSessions struct {
	wg    sync.WaitGroup
	tasks []*auxTask
}

// startAux opens a session beside main for each task and runs it there.
func (e *Engine) startAux(ctx context.Context, extra ExtraSessions, main ActionSession, tasks ...*auxTask) *auxSessions {
	a := &auxSessions{tasks: tasks}
	for _, t := range tasks {
		sctx, cancel := context.WithCancel(ctx)
		t.cancel, t.done, t.t0 = cancel, make(chan struct{}), time.Now()
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			defer close(t.done)
			s, err := extra.OpenExtra(sctx, main)
			t.mu.Lock()
			if err != nil || t.abandoned {
				t.mu.Unlock()
				if s != nil {
					_ = s.Close()
				}
				return
			}
			t.opened = true
			t.mu.Unlock()
			defer s.Close()
			s.SetTranscript(e.transcript("scan", "", false))
			if err := t.run(sctx, s); err != nil {
				return
			}
			t.mu.Lock()
			t.ok = true
			t.mu.Unlock()
		}()
	}
	return a
}

// stop ends every extra session (the scan is over or failed).
func (a *auxSessions) stop() {
	for _, t := range a.tasks {
		t.cancel()
	}
	a.wg.Wait()
}

// settle waits for t when its session is up; otherwise (or when it
// failed) it abandons t and runs fallback, on the main session.
func (a *auxSessions) settle(ctx context.Context, t *auxTask, fallback func() error) error {
	t.mu.Lock()
	if !t.opened {
		t.abandoned = true
		t.cancel()
	}
	opened := t.opened
	t.mu.Unlock()
	if opened {
		select {
		case <-t.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		t.mu.Lock()
		ok := t.ok
		t.mu.Unlock()
		if ok {
			return nil
		}
	}
	return fallback()
}

// pingTask pings host on its own session with adaptive-ping (the next
// packet as soon as the reply is in: same count, loss and DNS answer),
// resetting the session's ping-options afterwards. The check lands in *out.
func pingTask(host string, out *PingCheck, clock *stepClock) *auxTask {
	t := &auxTask{name: "ping " + host}
	t.run = func(ctx context.Context, s ActionSession) error {
		po, adaptive := s.(pingOptioner)
		adaptive = adaptive && po.PingOptions(ctx, "adaptive-ping enable") == nil
		res, err := s.Ping(ctx, host)
		if adaptive {
			_ = po.PingOptions(ctx, "reset")
		}
		if err != nil && fatal(err) {
			return err // this session broke; the main one pings instead
		}
		*out = pingCheck(host, res, err)
		clock.add(t.name, t.t0)
		return nil
	}
	return t
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
