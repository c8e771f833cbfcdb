package fleet

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// fakeUnit is an in-memory unit behind the action seam: every session
// opened on it reads its state (through fakeKB) and its scripts change that
// state the way FortiOS would, so planning, the fresh re-plan, verification
// and rollback run in milliseconds without SSH.
type fakeUnit struct {
	*fakeKB
	sent []string // every line Exec sent, in order
	// execErr fails the script whose name starts with the key, after its
	// lines were written; sticky keys fail every time, others once.
	execErr map[string]error
	sticky  bool
	// ignore names the scripts the unit accepts without doing them.
	ignore []string
	// activateAfter is how many TokenInfo reads after `activate` the
	// status stays unchanged (activation is asynchronous).
	activateAfter int
	pending       map[string]string // serial → status once activateAfter reads passed
	readOnly      bool
	sessions      int // opened
	closed        int
}

var _ ActionSession = (*fakeUnit)(nil)

func (u *fakeUnit) ReadOnly() bool { return u.readOnly }

func (u *fakeUnit) TokenInfo(ctx context.Context, sn string) (parse.TokenInfo, error) {
	if len(u.pending) > 0 {
		if u.activateAfter > 0 {
			u.activateAfter--
		} else {
			for s, st := range u.pending {
				u.setStatus(s, st)
			}
			u.pending = nil
		}
	}
	ti, err := u.fakeKB.TokenInfo(ctx, sn)
	ti.Tokens = slices.Clone(ti.Tokens)
	return ti, err
}

func (u *fakeUnit) TokenConfig(ctx context.Context) ([]parse.TokenConfig, error) {
	c, err := u.fakeKB.TokenConfig(ctx)
	return slices.Clone(c), err
}

func (u *fakeUnit) Accounts(ctx context.Context) ([]parse.Account, error) {
	a, err := u.fakeKB.Accounts(ctx)
	return slices.Clone(a), err
}

func (u *fakeUnit) Lines(sc device.Script) []string            { return append([]string(nil), sc.Lines...) }
func (u *fakeUnit) SetTranscript(func(device.TranscriptEntry)) {}
func (u *fakeUnit) Close() error                               { u.closed++; return nil }

func (u *fakeUnit) Exec(_ context.Context, sc device.Script) (string, error) {
	u.sent = append(u.sent, sc.Lines...)
	u.calls = append(u.calls, "Exec "+sc.Name)
	for k, err := range u.execErr {
		if strings.HasPrefix(sc.Name, k) {
			if !u.sticky {
				delete(u.execErr, k)
			}
			return "", err
		}
	}
	if slices.ContainsFunc(u.ignore, func(p string) bool { return strings.HasPrefix(sc.Name, p) }) {
		return "", nil
	}
	u.apply(sc.Name)
	return "", nil
}

// apply does what FortiOS does for the script named name (device/script.go names).
func (u *fakeUnit) apply(name string) {
	f := strings.Fields(name)
	switch f[0] {
	case "activate":
		u.pending = map[string]string{f[1]: parse.StatusActive}
	case "provision", "renew":
		for i := range u.cfgs {
			if u.cfgs[i].Serial == f[1] {
				u.cfgs[i].ActivationCode, u.cfgs[i].ActivationExpire = "NEWCODE", u.cfgs[i].ActivationExpire+3600
			}
		}
	case "delete":
		u.cfgs = slices.DeleteFunc(u.cfgs, func(c parse.TokenConfig) bool { return c.Serial == f[1] })
		u.info.Tokens = slices.DeleteFunc(u.info.Tokens, func(r parse.TokenRow) bool { return r.Serial == f[1] })
	case "add":
		u.cfgs = append(u.cfgs, parse.TokenConfig{Serial: f[1], HasSeed: true})
		u.info.Tokens = append(u.info.Tokens, parse.TokenRow{Serial: f[1], Status: parse.StatusNew})
		u.pending = map[string]string{f[1]: parse.StatusActive}
	case "bind": // bind KIND NAME to SN
		u.setBinding(f[1], f[2], f[4])
	case "unbind": // unbind KIND NAME
		u.setBinding(f[1], f[2], "")
	}
}

func (u *fakeUnit) setStatus(sn, status string) {
	for i := range u.info.Tokens {
		if u.info.Tokens[i].Serial == sn {
			u.info.Tokens[i].Status = status
		}
	}
}

func (u *fakeUnit) setBinding(kind, name, sn string) {
	for i, a := range u.accts {
		if a.Kind == kind && a.Name == name {
			u.accts[i].TwoFactor, u.accts[i].FortiToken = "disable", ""
			if sn != "" {
				u.accts[i].TwoFactor, u.accts[i].FortiToken = "fortitoken", sn
			}
		}
	}
}

// fakeTransport hands out sessions on one fakeUnit and fake debug streams.
type fakeTransport struct {
	mu      sync.Mutex
	unit    *fakeUnit
	dialErr error
	// dials counts the connections (each failing with dialErr once it is set).
	dials int
	// onArm runs when a debug capture is armed (the action is about to send).
	onArm   func()
	streams []*fakeStream
}

func (tr *fakeTransport) Dial(context.Context, device.Target) (ActionConn, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	tr.dials++
	if tr.dialErr != nil {
		return nil, tr.dialErr
	}
	return fakeConn{tr}, nil
}

func (tr *fakeTransport) StartDebug(_ context.Context, _ device.Target, o device.DebugOptions) (DebugStream, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := &fakeStream{apps: o.Apps, lines: make(chan parse.DebugLine, 4), done: make(chan struct{})}
	s.lines <- parse.DebugLine{Source: parse.SourceOther, Message: "armed", Raw: "armed"}
	tr.streams = append(tr.streams, s)
	if tr.onArm != nil {
		tr.onArm()
	}
	return s, nil
}

type fakeConn struct{ tr *fakeTransport }

func (c fakeConn) Open(context.Context) (ActionSession, error) {
	c.tr.unit.sessions++
	return c.tr.unit, nil
}

func (c fakeConn) Close() error { return nil }

// fakeStream is a debug capture that delivers one line and ends on Close.
type fakeStream struct {
	apps   []string
	lines  chan parse.DebugLine
	done   chan struct{}
	once   sync.Once
	closes int
}

func (s *fakeStream) Lines() <-chan parse.DebugLine { return s.lines }
func (s *fakeStream) Done() <-chan struct{}         { return s.done }
func (s *fakeStream) Err() error                    { return nil }
func (s *fakeStream) ExternallyReset() bool         { return false }
func (s *fakeStream) Check(context.Context) ([]string, error) {
	return nil, nil
}
func (s *fakeStream) Close() error {
	s.once.Do(func() {
		s.closes++
		close(s.lines)
		close(s.done)
	})
	return nil
}

// fakeEngine is an engine over one device served by unit, with fast
// verification timings and an audit log in a temp dir.
func fakeEngine(t *testing.T, unit *fakeUnit) (*Engine, *fakeTransport) {
	t.Helper()
	d := inventory.Device{Name: "paris-fw1", Host: "192.0.2.10", Port: 22 + len(t.Name())} // a lock key per test
	audit, err := OpenAudit(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = audit.Close() })
	tr := &fakeTransport{unit: unit}
	e := &Engine{Inv: &inventory.Inventory{Path: "inv.yaml", Devices: []inventory.Device{d}}, Audit: audit, Transport: tr,
		DeviceTimeout: 5 * time.Second, VerifyTimeout: 300 * time.Millisecond, PollInterval: 5 * time.Millisecond}
	return e, tr
}

// readdKB is healthyKB with the hardware token broken in FortiGuard while
// its seed is in the config (DELETE_READD), bound to a user and an admin.
func readdKB() *fakeKB {
	kb := healthyKB()
	kb.info.Tokens[0].Status = "error"
	kb.cfgs[0].HasSeed = true
	kb.accts = append(kb.accts, parse.Account{Name: "ops", Kind: "admin", TwoFactor: "fortitoken", FortiToken: hwSN})
	return kb
}

func mustPlan(t *testing.T, e *Engine, a Action, sn string) *Plan {
	t.Helper()
	p, err := e.Plan(context.Background(), ActionRequest{Action: a, Device: "paris-fw1", Token: sn})
	if err != nil {
		t.Fatalf("plan %s %s: %v", a, sn, err)
	}
	return p
}

var errWire = errors.New("injected CLI failure")
