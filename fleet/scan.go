package fleet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/parse"
)

// FortiGuardHosts are pinged in KB step 1.
var FortiGuardHosts = []string{"fds1.fortinet.com", "directregistration.fortinet.com"}

func newResult(d inventory.Device) DeviceResult {
	return DeviceResult{Name: d.Name, Host: d.Host, Port: d.Port, Reachable: false,
		FortiGuard: []PingCheck{}, Tokens: []TokenResult{}, Findings: []Finding{},
		TokenServer: parse.ServerUnknown, ScannedAt: time.Now().UTC()}
}

// failedResult is a device that could not be scanned at all.
func failedResult(d inventory.Device, err error) DeviceResult {
	r := newResult(d)
	connFinding(&r, err)
	return r
}

// connFinding records a connection-level failure as the right finding.
func connFinding(r *DeviceResult, err error) {
	code, msg, advice := classify(err)
	r.Error = redact(err.Error())
	var de *device.DialError
	// A device that answered but whose output could not be read stays
	// reachable; everything else means we lost (or never had) the session.
	if code != CodeUnreachable || fatal(err) || errors.As(err, &de) {
		r.Reachable = false
	}
	r.Findings = append(r.Findings, Finding{Code: code, Severity: SevError, Message: msg, Advice: advice})
}

// classify maps a dial/session error to a finding code, message and advice.
func classify(err error) (Code, string, string) {
	var hk *device.HostKeyError
	var de *device.DialError
	text := redact(err.Error())
	switch {
	case errors.As(err, &hk):
		switch {
		case hk.Unreadable != "":
			return CodeHostKeyUnknown, text, "no host key can be checked until known_hosts is fixed: repair or move the file named above (ssh-keygen -l -f FILE lists what OpenSSH reads); nothing was sent"
		case hk.Revoked:
			return CodeHostKeyMismatch, text, "the device presented a key marked @revoked in known_hosts: do not connect until you know why it was revoked; verify the device's new key out of band and replace its entries"
		case hk.Unknown:
			return CodeHostKeyUnknown, text, "verify the fingerprint above out of band (ssh-keyscan the device from a trusted network and compare, e.g. ssh-keyscan -p PORT HOST | ssh-keygen -lf -, or ask its owner), then add it to known_hosts or rerun with --accept-new-host-keys"
		}
		return CodeHostKeyMismatch, text, "the host key changed: verify it out of band (RMA, re-install?) and update known_hosts; ftktui never accepts a changed key"
	case errors.Is(err, errPasswordSource):
		return CodeAuthFailed, text, "fix the password source (password_env / password_command) in the inventory"
	case errors.Is(err, device.ErrAuth):
		return CodeAuthFailed, text, "check the user, password or key for this device"
	case errors.As(err, &de):
		return CodeUnreachable, text, "check the address, port, routing and that SSH admin access is enabled on the interface"
	case errors.Is(err, device.ErrTimeout):
		return CodeUnreachable, text, "the device stopped answering in time; rescan the device, or raise timeout in the inventory"
	case errors.Is(err, device.ErrConnLost):
		return CodeUnreachable, text, "the connection dropped during the scan; rescan the device"
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return CodeUnreachable, text, "the scan was cancelled or ran out of time; rescan the device"
	}
	return CodeUnreachable, text, "the device answered in a way ftktui could not read; rescan the device, or run the KB commands by hand"
}

// scanDevice dials, opens a session and reads the KB facts. It never
// returns an error: every failure is a finding on the result.
func (e *Engine) scanDevice(parent context.Context, d inventory.Device, jumps *jumpGates, step func(string)) (r DeviceResult) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(parent, e.deviceTimeout())
	defer cancel()
	r = newResult(d)
	defer func() { r.DurationMS = time.Since(start).Milliseconds() }()
	// A bare "context deadline exceeded" tells the admin nothing: say
	// that the per-device bound ended the scan (and keep ErrTimeout).
	bounded := func(err error) error {
		if parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && !errors.Is(err, device.ErrTimeout) {
			return fmt.Errorf("%w; no complete answer within the per-device bound of %s: %w", err, e.deviceTimeout(), device.ErrTimeout)
		}
		return err
	}
	clock := newStepClock()
	defer func() { r.Steps = clock.sorted() }()
	var cl *device.Client
	var err error
	clock.time("connect", func() {
		if jg := jumps.forJump(d.Jump); jg != nil {
			if err = jg.acquire(ctx); err != nil {
				return
			}
			defer jg.release()
		}
		cl, err = e.dial(ctx, d)
	})
	if err != nil {
		connFinding(&r, bounded(err))
		return r
	}
	defer cl.Close()
	var sess *device.Session
	clock.time("open shell and system status", func() { sess, err = cl.Open(ctx) })
	if err != nil {
		connFinding(&r, bounded(err))
		return r
	}
	defer sess.Close()
	sess.SetTranscript(e.transcript("scan", "", false))
	// The pings get sessions of their own beside the main one.
	pg := e.startPings(ctx, cl, sess, clock)
	defer pg.stop()
	r.Reachable = true
	if _, err := e.readDeviceWith(ctx, sess, &r, step, pg, clock); err != nil {
		connFinding(&r, bounded(err))
	}
	return r
}

// readDevice runs the read steps on an open session, fills r and
// diagnoses it. The facts are returned for actions that need accounts.
// A failing optional step (cloud status, debug info, a ping) does not
// stop the scan; a failing essential one returns its error.
func (e *Engine) readDevice(ctx context.Context, sess *device.Session, r *DeviceResult, step func(string)) (Facts, error) {
	return e.readDeviceWith(ctx, sess, r, step, nil, nil)
}

// readDeviceWith is readDevice with the pings already running on their own
// sessions (pg; nil = ping on sess) and step timings recorded on clock.
func (e *Engine) readDeviceWith(ctx context.Context, sess *device.Session, r *DeviceResult, step func(string),
	pg *pings, clock *stepClock) (Facts, error) {
	f := Facts{Inventory: e.inventoryPath()}
	if step == nil {
		step = func(string) {}
	}
	r.Findings = r.Findings[:0]
	r.ReadOnly = sess.ReadOnly()
	// The session read `get system status` when it opened; reuse it.
	st := sess.Status()
	if st.Hostname == "" {
		var err error
		if st, err = sess.SystemStatus(ctx); err != nil {
			return f, fmt.Errorf("get system status: %w", err)
		}
	}
	r.Hostname, r.Model, r.Version, r.Build, r.Serial, r.VDOMMode = st.Hostname, st.Model, st.Version, st.Build, st.Serial, st.VDOMMode
	if st.MultiVDOM() {
		r.VDOM = e.vdomOf(r.Name)
	}
	r.HA = nil
	if parse.InHA(st.HAMode) {
		// HA peers share tokens by design; the member serials tell them
		// apart from unrelated units in the cross-reference. Optional.
		r.HA = &HAResult{Mode: st.HAMode, Members: []string{}}
		if ha, err := sess.HAStatus(ctx); err == nil {
			r.HA.Group, r.HA.GroupID, r.HA.Members = ha.GroupName, ha.GroupID, ha.Serials()
		} else if fatal(err) {
			return f, fmt.Errorf("get system ha status: %w", err)
		}
	}
	step("system status")
	since := func(name string) func() { t0 := time.Now(); return func() { clock.add(name, t0) } }
	done := since("central management")
	cm, err := sess.CentralManagement(ctx)
	done()
	switch {
	case errors.Is(err, device.ErrPermission):
		// A VDOM-only admin cannot read globals; say so rather than guess "none".
		r.CentralManagement = CentralMgmtResult{Type: "unknown"}
	case err != nil:
		return f, fmt.Errorf("show system central-management: %w", err)
	default:
		r.CentralManagement = CentralMgmtResult{Type: orNone(cm.Type), FMG: cm.FMG}
	}
	if pg == nil {
		// No parallel sessions (an action's planning read): ping here.
		r.FortiGuard = r.FortiGuard[:0]
		for _, h := range FortiGuardHosts {
			done := since("ping " + h)
			p, err := sess.Ping(ctx, h)
			done()
			if err != nil && fatal(err) {
				return f, fmt.Errorf("execute ping %s: %w", h, err)
			}
			r.FortiGuard = append(r.FortiGuard, pingCheck(h, p, err))
		}
		step("1: FortiGuard and central management")
	}

	done = since("token status")
	if f.TokenInfo, err = sess.TokenInfo(ctx, ""); err != nil {
		return f, fmt.Errorf("diagnose fortitoken info: %w", err)
	}
	if _, err := sess.CloudStatus(ctx); err != nil && fatal(err) {
		return f, fmt.Errorf("diagnose test application forticldd 7: %w", err)
	}
	done()
	done = since("token configuration")
	if f.TokenConfigs, err = sess.TokenConfig(ctx); err != nil {
		return f, fmt.Errorf("show user fortitoken: %w", err)
	}
	done()
	step("2: token status")

	// ErrPermission here means the admins (global) could not be read; the
	// users came back and are still worth diagnosing.
	done = since("users and admins")
	if f.Accounts, err = sess.Accounts(ctx); err != nil && !errors.Is(err, device.ErrPermission) {
		return f, fmt.Errorf("reading users and admins: %w", err)
	}
	done()
	done = since("email server")
	es, err := sess.EmailServer(ctx)
	done()
	if err != nil {
		if fatal(err) {
			return f, fmt.Errorf("show system email-server: %w", err)
		}
		f.EmailUnknown = true
	} else {
		r.EmailServer = EmailResult{Server: es.Server, Port: es.Port, Security: es.Security}
	}
	done = since("debug info")
	if di, err := sess.DebugInfo(ctx); err == nil {
		f.Debug = &di
		if d, ok := e.inventoryDevice(r.Name); ok {
			f.OwnDebug = debuggingNow(d)
		}
	} else if fatal(err) {
		return f, fmt.Errorf("diagnose debug info: %w", err)
	}
	done()
	if pg != nil {
		checks, err := pg.wait(ctx, sess, clock)
		if err != nil {
			return f, fmt.Errorf("execute ping: %w", err)
		}
		r.FortiGuard = append(r.FortiGuard[:0], checks...)
		step("1: FortiGuard and central management")
	}
	step("3: token configuration and accounts")
	Diagnose(r, f)
	r.ScannedAt = time.Now().UTC()
	return f, nil
}

// fatal reports errors after which the session cannot be used any more.
func fatal(err error) bool {
	return errors.Is(err, device.ErrConnLost) || errors.Is(err, device.ErrTimeout) ||
		errors.Is(err, device.ErrClosed) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return strings.ToLower(s)
}

func (e *Engine) inventoryDevice(name string) (inventory.Device, bool) {
	if e.Inv == nil {
		return inventory.Device{}, false
	}
	return e.Inv.Device(name)
}

func (e *Engine) vdomOf(name string) string {
	if d, ok := e.inventoryDevice(name); ok && d.VDOM != "" {
		return d.VDOM
	}
	return parse.DefaultVDOM
}
