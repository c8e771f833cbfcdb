package fleet

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// KBReader is what a scan reads from a unit: the KB procedure's show and
// diagnose commands, parsed. *device.Session implements it over SSH; the
// diagnosis tests use an in-memory fake, so the rules run without a
// simulator. Opening sessions, mutation scripts and debug streams are not
// part of it (they stay on device.Client / device.Session).
type KBReader interface {
	// ReadOnly reports an admin profile that cannot write.
	ReadOnly() bool
	// Status is `get system status` as read when the session opened (zero if not read).
	Status() parse.SystemStatus
	SystemStatus(ctx context.Context) (parse.SystemStatus, error)
	HAStatus(ctx context.Context) (parse.HAStatus, error)
	CentralManagement(ctx context.Context) (parse.CentralManagement, error)
	Ping(ctx context.Context, host string) (parse.PingResult, error)
	// TokenInfo is `diagnose fortitoken info` (serial "" = every token).
	TokenInfo(ctx context.Context, serial string) (parse.TokenInfo, error)
	CloudStatus(ctx context.Context) ([]parse.KV, error)
	TokenConfig(ctx context.Context) ([]parse.TokenConfig, error)
	// Accounts are the users and admins; device.ErrPermission with the
	// users filled means the admins could not be read.
	Accounts(ctx context.Context) ([]parse.Account, error)
	EmailServer(ctx context.Context) (parse.EmailServer, error)
	DebugInfo(ctx context.Context) (parse.DebugInfo, error)
}

var _ KBReader = (*device.Session)(nil)

// pingOptioner is a session whose ping-options can be set (device.Session).
type pingOptioner interface {
	PingOptions(ctx context.Context, opt string) error
}

// readDevice runs the read steps on an open session, fills r and
// diagnoses it. The facts are returned for actions that need accounts.
// A failing optional step (cloud status, debug info, a ping) does not
// stop the scan; a failing essential one returns its error.
func (e *Engine) readDevice(ctx context.Context, kb KBReader, d inventory.Device, r *DeviceResult, step func(string)) (Facts, error) {
	return e.readKB(e.newKBRead(ctx, kb, d, r, nil), step, nil)
}

func (e *Engine) newKBRead(ctx context.Context, kb KBReader, d inventory.Device, r *DeviceResult, clock *stepClock) *kbRead {
	return &kbRead{ctx: ctx, kb: kb, d: d, r: r, f: &Facts{Inventory: e.inventoryPath()}, clock: clock}
}

// kbRead is one readKB run: where the facts go and how steps are timed.
// Parts of it may run on other sessions at the same time (see scanaux.go):
// each part writes its own fields of r and f.
type kbRead struct {
	ctx   context.Context
	kb    KBReader
	d     inventory.Device
	r     *DeviceResult
	f     *Facts
	clock *stepClock
}

// on is k reading from another session.
func (k *kbRead) on(ctx context.Context, kb KBReader) *kbRead {
	k2 := *k
	k2.ctx, k2.kb = ctx, kb
	return &k2
}

// scanAux is a scan's extra sessions: the pings and the account reads.
type scanAux struct {
	*auxSessions
	pings    []*auxTask
	checks   []PingCheck
	accounts *auxTask
}

// startScanAux starts the extra sessions of k's scan beside main.
func (e *Engine) startScanAux(k *kbRead, extra ExtraSessions, main ActionSession) *scanAux {
	x := &scanAux{checks: make([]PingCheck, len(FortiGuardHosts))}
	var tasks []*auxTask
	for i, h := range FortiGuardHosts {
		t := pingTask(h, &x.checks[i], k.clock)
		x.pings = append(x.pings, t)
		tasks = append(tasks, t)
	}
	x.accounts = &auxTask{name: "accounts", run: func(ctx context.Context, s ActionSession) error {
		return k.on(ctx, s).accounts()
	}}
	tasks = append(tasks, x.accounts)
	x.auxSessions = e.startAux(k.ctx, extra, main, tasks...)
	return x
}

// since starts timing the step name; the returned func ends it.
func (k *kbRead) since(name string) func() {
	t0 := time.Now()
	return func() { k.clock.add(name, t0) }
}

// readKB is readDevice with parts of the scan running on extra sessions
// (x; nil = everything on k's session) and step timings on k.clock.
func (e *Engine) readKB(k *kbRead, step func(string), x *scanAux) (Facts, error) {
	r := k.r
	// An extra session may still be writing its part of k.f and r: stop
	// it before the facts are read on a way out.
	fail := func(err error) (Facts, error) {
		if x != nil {
			x.stop()
		}
		return *k.f, err
	}
	if step == nil {
		step = func(string) {}
	}
	r.Findings = r.Findings[:0]
	r.ReadOnly = k.kb.ReadOnly()
	if err := k.status(); err != nil {
		return fail(err)
	}
	step("system status")
	if err := k.centralManagement(); err != nil {
		return fail(err)
	}
	if x == nil {
		// No extra sessions (an action's planning read): ping here.
		if err := k.pings(); err != nil {
			return fail(err)
		}
		step("1: FortiGuard and central management")
	}
	if err := k.tokens(); err != nil {
		return fail(err)
	}
	step("2: token status")
	// The debug state is read here, on the main session, while another
	// session reads the accounts: that balances the two.
	if err := k.debugState(); err != nil {
		return fail(err)
	}
	if x == nil {
		if err := k.accounts(); err != nil {
			return fail(err)
		}
	} else {
		if err := x.settle(k.ctx, x.accounts, k.accounts); err != nil {
			return fail(err)
		}
		r.FortiGuard = r.FortiGuard[:0]
		for i, t := range x.pings {
			h := FortiGuardHosts[i]
			err := x.settle(k.ctx, t, func() error {
				done := k.since("ping " + h)
				p, err := k.kb.Ping(k.ctx, h)
				done()
				if err != nil && fatal(err) {
					return fmt.Errorf("execute ping %s: %w", h, err)
				}
				x.checks[i] = pingCheck(h, p, err)
				return nil
			})
			if err != nil {
				return fail(err)
			}
			r.FortiGuard = append(r.FortiGuard, x.checks[i])
		}
		step("1: FortiGuard and central management")
	}
	step("3: token configuration and accounts")
	Diagnose(r, *k.f)
	r.ScannedAt = time.Now().UTC()
	return *k.f, nil
}

// status fills the identity, the VDOM read and the HA membership.
func (k *kbRead) status() error {
	r := k.r
	// The session read `get system status` when it opened; reuse it.
	st := k.kb.Status()
	if st.Hostname == "" {
		var err error
		if st, err = k.kb.SystemStatus(k.ctx); err != nil {
			return fmt.Errorf("get system status: %w", err)
		}
	}
	r.Hostname, r.Model, r.Version, r.Build, r.Serial, r.VDOMMode = st.Hostname, st.Model, st.Version, st.Build, st.Serial, st.VDOMMode
	if st.MultiVDOM() {
		r.VDOM = k.d.VDOM
		if r.VDOM == "" {
			r.VDOM = parse.DefaultVDOM
		}
	}
	r.HA = nil
	if parse.InHA(st.HAMode) {
		// HA peers share tokens by design; the member serials tell them
		// apart from unrelated units in the cross-reference. Optional.
		r.HA = &HAResult{Mode: st.HAMode, Members: []string{}}
		if ha, err := k.kb.HAStatus(k.ctx); err == nil {
			r.HA.Group, r.HA.GroupID, r.HA.Members = ha.GroupName, ha.GroupID, ha.Serials()
		} else if fatal(err) {
			return fmt.Errorf("get system ha status: %w", err)
		}
	}
	return nil
}

// centralManagement is KB step 1's FortiManager check.
func (k *kbRead) centralManagement() error {
	done := k.since("central management")
	cm, err := k.kb.CentralManagement(k.ctx)
	done()
	switch {
	case errors.Is(err, device.ErrPermission):
		// A VDOM-only admin cannot read globals; say so rather than guess "none".
		k.r.CentralManagement = CentralMgmtResult{Type: "unknown"}
	case err != nil:
		return fmt.Errorf("show system central-management: %w", err)
	default:
		k.r.CentralManagement = CentralMgmtResult{Type: orNone(cm.Type), FMG: cm.FMG}
	}
	return nil
}

// pings is KB step 1's FortiGuard pings, one after the other on kb.
func (k *kbRead) pings() error {
	k.r.FortiGuard = k.r.FortiGuard[:0]
	// adaptive-ping: the next packet as soon as the reply is in (same
	// count, loss and DNS answer in a fraction of FortiOS's 4-5 s).
	if po, ok := k.kb.(pingOptioner); ok && po.PingOptions(k.ctx, "adaptive-ping enable") == nil {
		defer func() { _ = po.PingOptions(k.ctx, "reset") }()
	}
	for _, h := range FortiGuardHosts {
		done := k.since("ping " + h)
		p, err := k.kb.Ping(k.ctx, h)
		done()
		if err != nil && fatal(err) {
			return fmt.Errorf("execute ping %s: %w", h, err)
		}
		k.r.FortiGuard = append(k.r.FortiGuard, pingCheck(h, p, err))
	}
	return nil
}

// tokens is KB step 2: the token table, the cloud daemon, the token objects.
func (k *kbRead) tokens() error {
	var err error
	done := k.since("token status")
	if k.f.TokenInfo, err = k.kb.TokenInfo(k.ctx, ""); err != nil {
		return fmt.Errorf("diagnose fortitoken info: %w", err)
	}
	if _, err := k.kb.CloudStatus(k.ctx); err != nil && fatal(err) {
		return fmt.Errorf("diagnose test application forticldd 7: %w", err)
	}
	done()
	done = k.since("token configuration")
	if k.f.TokenConfigs, err = k.kb.TokenConfig(k.ctx); err != nil {
		return fmt.Errorf("show user fortitoken: %w", err)
	}
	done()
	return nil
}

// debugState reads whether debug is on (someone else's, or ours).
func (k *kbRead) debugState() error {
	done := k.since("debug info")
	if di, err := k.kb.DebugInfo(k.ctx); err == nil {
		k.f.Debug = &di
		k.f.OwnDebug = debuggingNow(k.d)
	} else if fatal(err) {
		return fmt.Errorf("diagnose debug info: %w", err)
	}
	done()
	return nil
}

// accounts is KB step 3: who uses which token and the email server that
// delivers activation codes.
func (k *kbRead) accounts() error {
	var err error
	// ErrPermission here means the admins (global) could not be read; the
	// users came back and are still worth diagnosing.
	done := k.since("users and admins")
	if k.f.Accounts, err = k.kb.Accounts(k.ctx); err != nil && !errors.Is(err, device.ErrPermission) {
		return fmt.Errorf("reading users and admins: %w", err)
	}
	done()
	done = k.since("email server")
	es, err := k.kb.EmailServer(k.ctx)
	done()
	if err != nil {
		if fatal(err) {
			return fmt.Errorf("show system email-server: %w", err)
		}
		k.f.EmailUnknown = true
	} else {
		k.r.EmailServer = EmailResult{Server: es.Server, Port: es.Port, Security: es.Security}
	}
	return nil
}
