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

// fastWire: a unit whose shell opened (three round trips and the status
// read) faster than this is scanned on one session.
const fastWire = 25 * time.Millisecond

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
	var conn ActionConn
	var err error
	clock.time("connect", func() {
		if jg := jumps.forJump(d.Jump); jg != nil {
			if err = jg.acquire(ctx); err != nil {
				return
			}
			defer jg.release()
		}
		conn, err = e.connect(ctx, d)
	})
	if err != nil {
		connFinding(&r, bounded(err))
		return r
	}
	defer conn.Close()
	var sess ActionSession
	opened := time.Now()
	clock.time("open shell and system status", func() { sess, err = conn.Open(ctx) })
	openTook := time.Since(opened)
	if err != nil {
		connFinding(&r, bounded(err))
		return r
	}
	sess.SetTranscript(e.transcript("scan", "", false))
	r.Reachable = true
	k := e.newKBRead(ctx, sess, d, &r, clock)
	// Extra sessions for the pings and the account reads pay off where
	// round trips cost (the shell opened in three of them plus the status
	// read); on a fast wire they are logins and CPU for nothing.
	var x *scanAux
	if extra, ok := conn.(ExtraSessions); ok && openTook >= fastWire {
		x = e.startScanAux(k, extra, sess)
	}
	defer func() {
		// Done with the unit: log out and hang up without waiting a round
		// trip per session for the unit to acknowledge the close.
		if lo, ok := sess.(loggerOut); ok {
			lo.Logout()
		}
		_ = conn.Close()
		if x != nil {
			x.stop()
		}
		_ = sess.Close()
	}()
	if _, err := e.readKB(k, step, x); err != nil {
		connFinding(&r, bounded(err))
	}
	return r
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
