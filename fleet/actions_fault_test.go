package fleet

import (
	"context"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/sim"
	"golang.org/x/crypto/ssh/knownhosts"
)

// cutRelay is a TCP relay in front of a simulated device whose cut()
// drops every live connection: a real network failure mid-action, which
// an injected error in beforeStep cannot imitate (the session dies too).
type cutRelay struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
	wg    sync.WaitGroup
}

func startRelay(t *testing.T, target string) *cutRelay {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &cutRelay{ln: ln}
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				_ = c.Close()
				continue
			}
			r.mu.Lock()
			r.conns = append(r.conns, c, up)
			r.mu.Unlock()
			r.wg.Add(2)
			go r.pipe(c, up)
			go r.pipe(up, c)
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		r.cut()
		r.wg.Wait()
	})
	return r
}

func (r *cutRelay) pipe(dst, src net.Conn) {
	defer r.wg.Done()
	_, _ = io.Copy(dst, src)
	_ = dst.Close()
	_ = src.Close()
}

func (r *cutRelay) cut() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.conns {
		_ = c.Close()
	}
	r.conns = nil
}

// viaRelay points the engine's device at a relay and trusts the device's
// key at the relay's address.
func viaRelay(t *testing.T, f *sim.Fleet, e *Engine, name string) *cutRelay {
	t.Helper()
	d := f.Device(name)
	r := startRelay(t, d.Addr())
	port := r.ln.Addr().(*net.TCPAddr).Port
	for i := range e.Inv.Devices {
		if e.Inv.Devices[i].Name != name {
			continue
		}
		e.Inv.Devices[i].Port = port
		fh, err := os.OpenFile(e.Inv.Devices[i].KnownHosts, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		_, err = fh.WriteString(knownhosts.Line([]string{knownhosts.Normalize(r.ln.Addr().String())}, d.KnownHostKey()) + "\n")
		_ = fh.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return r
}

func count(cmds []string, line string) int {
	n := 0
	for _, c := range cmds {
		if strings.TrimSpace(c) == line {
			n++
		}
	}
	return n
}

// The connection is lost after `delete SN` and before the re-add: the
// action does not leave the token deleted and its users unbound; it
// reconnects and restores (= finishes) the token and every binding, says
// precisely what happened, sends `delete` once, triggers one activation,
// and the capture is disarmed.
func TestReaddConnectionLostAfterDelete(t *testing.T) {
	f, e := simFleet(t, spec("cut", sim.MigratedSeed))
	e.PollInterval = 100 * time.Millisecond
	st := f.Device("cut").State()
	sn := tokenWith(t, st, func(s sim.TokenState) bool { return s.Seed }).Serial
	before := bindingsOf(st, sn)
	relay := viaRelay(t, f, e, "cut")
	ctx := context.Background()
	p := plan(t, e, ActionReadd, "cut", sn, false)
	cutDone := false
	e.beforeStep = func(step string) error {
		if step == "add" && !cutDone {
			cutDone = true
			relay.cut()
		}
		return nil
	}
	res := e.Run(ctx, p, nil)
	if res.Verified || res.Outcome != OutcomeUnknown {
		t.Fatalf("a readd whose connection died reported %+v", res)
	}
	if !strings.Contains(res.Message, "connection lost") {
		t.Errorf("message does not say the connection was lost: %q", res.Message)
	}
	if strings.Contains(res.Message, "INCOMPLETE") || !strings.Contains(res.DeviceState, "bindings as before") {
		t.Errorf("not restored after reconnecting: message %q, state %q", res.Message, res.DeviceState)
	}
	after := f.Device("cut").State()
	if _, ok := after.Token(sn); !ok {
		t.Fatalf("token %s left deleted", sn)
	}
	if got := bindingsOf(after, sn); !slices.Equal(got, before) {
		t.Errorf("bindings after = %v, before %v", got, before)
	}
	if n := count(after.Commands, "delete "+sn); n != 1 {
		t.Errorf("`delete %s` sent %d times", sn, n)
	}
	if n := after.ActivationAttempts[sn]; n > 1 {
		t.Errorf("%d activation attempts for %s; a re-add may trigger one, never more", n, sn)
	}
	checkClean(t, f, "cut")
}

// The connection is lost right after `execute fortitoken activate SN`:
// verification fails and says so; nothing re-sends the activation (a
// FortiToken-200 activates once), not even planning again afterwards.
func TestActivateConnectionLostAfterSend(t *testing.T) {
	f, e := simFleet(t, spec("act", sim.PendingActivation))
	e.PollInterval = 100 * time.Millisecond
	d := f.Device("act")
	sn := tokenWith(t, d.State(), func(s sim.TokenState) bool { return s.Status == "new" }).Serial
	relay := viaRelay(t, f, e, "act")
	ctx := context.Background()
	p := plan(t, e, ActionActivate, "act", sn, false)
	var wg sync.WaitGroup
	defer wg.Wait()
	e.beforeStep = func(step string) error {
		if step == "activate" {
			wg.Add(1)
			go func() {
				defer wg.Done()
				deadline := time.Now().Add(10 * time.Second)
				for d.State().ActivationAttempts[sn] == 0 && time.Now().Before(deadline) {
					time.Sleep(5 * time.Millisecond)
				}
				relay.cut()
			}()
		}
		return nil
	}
	res := e.Run(ctx, p, nil)
	if res.Verified {
		t.Fatalf("verified over a dead connection: %+v", res)
	}
	if !strings.Contains(res.Message, "sent") || !strings.Contains(res.Message, "connection lost") {
		t.Errorf("message should say the line was sent and the connection lost: %q", res.Message)
	}
	if n := d.State().ActivationAttempts[sn]; n != 1 {
		t.Fatalf("activation attempts = %d, want exactly 1", n)
	}
	// Retry = the admin looks again: the plan sees the device as it is now
	// and never re-sends by itself.
	e.beforeStep = nil
	waitFor := time.Now().Add(5 * time.Second)
	for d.State().PendingActions > 0 && time.Now().Before(waitFor) {
		time.Sleep(20 * time.Millisecond)
	}
	p2, err := e.Plan(ctx, ActionRequest{Action: ActionActivate, Device: "act", Token: sn})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Refused == "" {
		t.Errorf("a second activation of an activated token was planned: %q", p2.Lines)
	}
	if n := count(d.State().Commands, "execute fortitoken activate "+sn); n != 1 {
		t.Errorf("activate sent %d times", n)
	}
	checkClean(t, f, "act")
}

// down stops the relay accepting: the device looks unreachable from now on.
func (r *cutRelay) down() {
	_ = r.ln.Close()
	r.cut()
}

// The connection dies after `delete SN` and the device stays unreachable:
// the result says the restore was impossible, which line went out last,
// which accounts may be unbound and how to finish by hand. When the device
// is back, nothing is re-sent by itself: a new plan refuses (the token is
// gone) and the device is exactly as the message described.
func TestReaddDeviceGoneAfterDelete(t *testing.T) {
	f, e := simFleet(t, spec("gone", sim.MigratedSeed))
	e.PollInterval = 100 * time.Millisecond
	st := f.Device("gone").State()
	sn := tokenWith(t, st, func(s sim.TokenState) bool { return s.Seed }).Serial
	before := bindingsOf(st, sn)
	directPort := e.Inv.Devices[0].Port
	relay := viaRelay(t, f, e, "gone")
	ctx := context.Background()
	p := plan(t, e, ActionReadd, "gone", sn, false)
	e.beforeStep = func(step string) error {
		if step == "add" {
			relay.down()
		}
		return nil
	}
	res := e.Run(ctx, p, nil)
	if res.Outcome != OutcomeUnknown {
		t.Fatalf("result = %+v", res)
	}
	for _, want := range []string{"ROLLBACK NOT POSSIBLE", "steps confirmed by the device: unbind user jdoe, unbind admin netadmin, delete", "may be DELETED", "add it back"} {
		if !strings.Contains(res.Message, want) {
			t.Errorf("message lacks %q: %q", want, res.Message)
		}
	}
	for _, acct := range before {
		name := acct[strings.IndexByte(acct, ':')+1:]
		if !strings.Contains(res.Message, name) {
			t.Errorf("message does not name the unbound account %s: %q", acct, res.Message)
		}
	}
	after := f.Device("gone").State()
	if _, ok := after.Token(sn); ok {
		t.Fatal("the relay went down after delete, yet the token is present: the fault was not injected")
	}
	// The device is reachable again (directly): a retry sees the real state.
	e.beforeStep = nil
	e.Inv.Devices[0].Port = directPort
	p2, err := e.Plan(ctx, ActionRequest{Action: ActionReadd, Device: "gone", Token: sn})
	if err != nil {
		t.Fatal(err)
	}
	if p2.Refused == "" || !strings.Contains(p2.Refused, "not configured") {
		t.Errorf("retry plan = %+v", p2)
	}
	if n := count(f.Device("gone").State().Commands, "delete "+sn); n != 1 {
		t.Errorf("`delete %s` sent %d times", sn, n)
	}
}

// Ctrl-C (the context ends) right after `delete SN`: the restore still
// runs to completion on a fresh session; the token and its accounts are
// back and the capture is disarmed.
func TestReaddCancelledAfterDelete(t *testing.T) {
	f, e := simFleet(t, spec("ctrlc", sim.MigratedSeed))
	st := f.Device("ctrlc").State()
	sn := tokenWith(t, st, func(s sim.TokenState) bool { return s.Seed }).Serial
	before := bindingsOf(st, sn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p := plan(t, e, ActionReadd, "ctrlc", sn, false)
	e.beforeStep = func(step string) error {
		if step == "add" {
			cancel()
		}
		return nil
	}
	res := e.Run(ctx, p, nil)
	if res.Outcome != OutcomeUnknown || !strings.Contains(res.Message, "rolled back") || strings.Contains(res.Message, "INCOMPLETE") {
		t.Fatalf("result = %+v", res)
	}
	after := f.Device("ctrlc").State()
	if got := bindingsOf(after, sn); !slices.Equal(got, before) {
		t.Errorf("bindings after = %v, before %v", got, before)
	}
	checkClean(t, f, "ctrlc")
}
