package exitpaths

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/sim"
	"github.com/ftktui/ftktui/tests/testkit"
	"github.com/ftktui/ftktui/tui"
)

// hangHold is how long a "device hangs" fault keeps the path silent: past
// the per-command timeout, so the hang is noticed, then the path thaws.
const (
	cellCmdTimeout = 1500 * time.Millisecond
	hangHold       = 2500 * time.Millisecond
	cellBudget     = 60 * time.Second
)

// env is one cell's world: a device behind a relay, an inventory through
// the relay, the audit log.
type env struct {
	t     *testing.T
	f     *testkit.Fleet
	d     *sim.Device
	p     *testkit.Proxy
	e     *fleet.Engine
	audit string
	token string // action surfaces
}

// fault applies the cell's fault. ctxDeadline, proc and tuiIn are the
// handles a fault may need (nil when not this driver's).
func (v *env) applyFault(f fault, dl *deadlineCtx, p *proc, tuiIn io.Closer) {
	switch f {
	case fCut:
		v.p.Cut()
	case fHang:
		v.p.Freeze()
		time.AfterFunc(hangHold, v.p.Thaw)
	case fDeadline:
		dl.expire()
	case fSIGINT, fSIGTERM, fSIGHUP:
		sig := map[fault]syscall.Signal{fSIGINT: syscall.SIGINT, fSIGTERM: syscall.SIGTERM, fSIGHUP: syscall.SIGHUP}[f]
		if p != nil {
			_ = p.cmd.Process.Signal(sig)
		} else {
			_ = syscall.Kill(os.Getpid(), sig) // RunWith's handler catches it
		}
	case fSIGPIPE:
		p.closeOut()
		_ = v.d.SetFault(sim.FaultDebugFlood, true) // make the next write happen
	case fTermClosed:
		if p != nil {
			p.closeOut()
			_ = p.cmd.Process.Signal(syscall.SIGHUP)
		} else {
			_ = tuiIn.Close()
			_ = syscall.Kill(os.Getpid(), syscall.SIGHUP)
		}
	}
}

// settle waits for a fault that does not end the surface by itself to
// play out before the surface is ended normally.
func settle(f fault) {
	switch f {
	case fCut:
		time.Sleep(time.Second)
	case fHang:
		time.Sleep(hangHold + time.Second)
	}
}

// runBinary drives `ftktui debug` / `ftktui ACTION --yes` as a process.
func (v *env) runBinary(c cell, w *phaseWatch) string {
	args := []string{string(c.s), "-i", v.f.Inventory, "--device", v.d.Name(), "--audit-log", v.audit}
	if c.s == sfDebug {
		args[0] = "debug"
		if c.p == phDisarming {
			args = append(args, "--for", "1500ms")
		}
	} else {
		args = append(args, "--token", v.token, "--yes")
	}
	p := start(v.t, v.f, 0, args...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go w.run(ctx, func() { v.applyFault(c.f, nil, p, nil) })
	select {
	case <-p.done:
	case <-time.After(cellBudget):
		_ = p.cmd.Process.Kill()
		<-p.done
		return "TIMEOUT: still running after " + cellBudget.String() + "\n" + p.out()
	}
	return fmt.Sprintf("exit %v\n%s", p.err, p.out())
}

// runEngine drives the same surfaces through the engine in-process, for
// the faults a process cannot be sent (ctx deadline, link cut, hang).
func (v *env) runEngine(c cell, w *phaseWatch) string {
	dl := newDeadlineCtx()
	wctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if c.s == sfDebug {
		go w.run(wctx, func() { v.applyFault(c.f, dl, nil, nil) })
		ds, err := v.e.Debug(dl, v.d.Name(), nil)
		if err != nil {
			return "StartDebug: " + err.Error()
		}
		go func() {
			for range ds.Lines() {
			}
		}()
		switch {
		case c.p == phDisarming:
			time.Sleep(300 * time.Millisecond)
		case c.f == fDeadline:
			select {
			case <-ds.Done():
			case <-time.After(10 * time.Second):
			}
		default:
			select {
			case <-w.fired:
			case <-time.After(10 * time.Second):
			}
			settle(c.f)
		}
		err = ds.Close()
		return fmt.Sprintf("stream end: %v", err)
	}
	p, err := v.e.Plan(context.Background(), fleet.ActionRequest{Action: fleet.Action(c.s), Device: v.d.Name(), Token: v.token})
	if err != nil || p.Refused != "" {
		return fmt.Sprintf("PLAN: %v %s", err, p.Refused)
	}
	w.rebase()
	go w.run(wctx, func() { v.applyFault(c.f, dl, nil, nil) })
	res := v.e.Run(dl, p, nil)
	return fmt.Sprintf("result: %s — %s", res.Outcome, res.Message)
}

// runConsole drives the TUI in-process with real keys on a pipe; signals
// are real signals to this process, which RunWith's handler catches.
func (v *env) runConsole(c cell, w *phaseWatch) string {
	dl := newDeadlineCtx()
	in, inW := io.Pipe()
	out := &screen{}
	errc := make(chan error, 1)
	go func() {
		errc <- tui.RunWith(dl, tui.Options{Backend: tui.NewFleetBackend(v.e), Inventory: "matrix", NoColor: true,
			SaveDir: v.t.TempDir(), CloseTimeout: 10 * time.Second}, tui.RunOptions{Input: in, Output: out, Width: 160, Height: 45})
	}()
	defer inW.Close()
	press := func(s string) { _, _ = inW.Write([]byte(s)) }
	if !testkit.Eventually(15*time.Second, func() bool { return out.has("matrix") }) {
		return "NO FRAME"
	}
	time.Sleep(1500 * time.Millisecond) // the initial scan
	wctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fire := func() { v.applyFault(c.f, dl, nil, inW) }
	if c.s == sfPane {
		w.rebase()
		go w.run(wctx, fire)
		press("d")
		if c.p == phDisarming {
			testkit.Eventually(10*time.Second, func() bool { return v.d.State().DebugEnabled })
			time.Sleep(300 * time.Millisecond)
			press("q")
		}
	} else {
		press("a")
		if !testkit.Eventually(20*time.Second, func() bool { return out.has("execute fortitoken activate") }) {
			press("\x03")
			return "NO PLAN on screen"
		}
		time.Sleep(200 * time.Millisecond)
		w.rebase()
		go w.run(wctx, fire)
		press("y")
	}
	// Faults that do not end the console by themselves: let them play out
	// (and a console action finish), then quit with ctrl+c.
	select {
	case err := <-errc:
		return fmt.Sprintf("console: %v", err)
	case <-w.fired:
	case <-time.After(30 * time.Second):
	}
	settle(c.f)
	if c.s == sfConsoleAction && c.f != fDeadline && !isSignal(c.f) {
		testkit.Eventually(20*time.Second, func() bool { return out.has("verified") || out.has("unknown") || out.has("refused") })
	}
	if !(c.s == sfPane && c.p == phDisarming) { // there q already started the quit
		press("\x03")
	}
	select {
	case err := <-errc:
		return fmt.Sprintf("console: %v", err)
	case <-time.After(cellBudget):
		return "TIMEOUT: console did not quit"
	}
}

func isSignal(f fault) bool {
	return f == fSIGINT || f == fSIGTERM || f == fSIGHUP || f == fTermClosed || f == fSIGPIPE
}

// screen is the console's output, safe for the program and the test.
type screen struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *screen) has(sub string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return strings.Contains(s.b.String(), sub)
}
