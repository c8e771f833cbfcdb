package sim

import (
	"fmt"
	"strings"
	"time"

	"github.com/ftktui/ftktui/parse"
)

const (
	debugTick = 50 * time.Millisecond
	floodRate = 3000 // lines/s for debug-flood, kept even when ticks slip
)

// startDebug is `diagnose debug enable` for this session.
func (s *session) startDebug() {
	d := s.d
	d.mu.Lock()
	if s.dbgStop != nil {
		d.mu.Unlock()
		return
	}
	stop, q := make(chan struct{}), make(chan string, 512)
	s.dbgStop, s.dbgQ = stop, q
	d.st.debugOn++
	d.mu.Unlock()
	d.f.goTracked(func() { s.debugLoop(stop, q) })
}

// stopDebug is `diagnose debug disable` (and the end of the session).
func (s *session) stopDebug() {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	if s.dbgStop == nil {
		return
	}
	close(s.dbgStop)
	s.dbgStop, s.dbgQ = nil, nil
	d.st.debugOn--
}

// appOn reports whether a daemon's debug is armed device-wide (d.mu held).
func (st *devState) appOn(app string) bool {
	switch app {
	case "fortitoken":
		return st.ftkDebug || st.levels["fortitoken"] != 0
	default:
		return st.levels[app] != 0
	}
}

func (s *session) debugLoop(stop <-chan struct{}, q <-chan string) {
	t := time.NewTicker(debugTick)
	defer t.Stop()
	n := 0
	last := time.Now()
	for {
		select {
		case <-stop:
			return
		case <-s.closed:
			return
		case <-s.d.f.done:
			return
		case m := <-q:
			lines := []string{m}
			for more := true; more && len(lines) < 256; {
				select {
				case m := <-q:
					lines = append(lines, m)
				default:
					more = false
				}
			}
			if !s.writeDebug(lines) {
				return
			}
		case now := <-t.C:
			n++
			flood := min(int(now.Sub(last).Seconds()*floodRate), floodRate/2)
			last = now
			if lines := s.d.background(n, flood); len(lines) > 0 && !s.writeDebug(lines) {
				return
			}
		}
	}
}

// background produces the periodic trickle, or floodN lines for debug-flood.
func (d *Device) background(n, floodN int) []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.st
	flood := d.faults[FaultDebugFlood]
	var l []string
	if flood && (st.appOn("forticldd") || st.appOn("fortitoken") || st.appOn("alertmail")) {
		for i := 0; i < floodN; i++ {
			l = append(l, fmt.Sprintf("[37] fds_queue_task: req-%d is added to ftc (task %d.%d, len %d)", d.rng.IntN(64), n, i, d.rng.IntN(64)))
		}
		return l
	}
	if every := max(int(d.f.o.DebugTrickle/debugTick), 1); n%every != 0 {
		return nil
	}
	if st.appOn("forticldd") {
		if st.fgdDown {
			l = append(l, "[311] fds_https_connect: connect to directregistration.fortinet.com:443 failed: Unable to resolve hostname")
		} else {
			l = append(l, "[3351] fds_check_request: Image list was updated within 86400 secs.")
		}
	}
	if st.appOn("fortitoken") {
		l = append(l, "ftm_cfg_poll_token_states[405]:Poll token status!")
	}
	if st.appOn("alertmail") {
		l = append(l, "alertmail_queue_check[212]:mail queue empty")
	}
	return l
}

// rawMark starts a debug line printed as is, without the timestamp: the
// HTTP headers, blank lines and JSON bodies daemons dump (fortios-wire.md
// §6.1).
const rawMark = "\x00"

// writeDebug prints asynchronous debug lines, timestamped when
// `diagnose debug console timestamp enable` is in force. Nothing separates
// them from the prompt: the first one lands on the prompt's line.
func (s *session) writeDebug(lines []string) bool {
	s.d.mu.Lock()
	ts := s.d.st.timestamp
	s.d.mu.Unlock()
	prefix := ""
	if ts {
		prefix = time.Now().Format("2006-01-02 15:04:05") + " "
	}
	var b strings.Builder
	eol := s.eol()
	for _, l := range lines {
		if raw, ok := strings.CutPrefix(l, rawMark); ok {
			b.WriteString(raw + eol)
			continue
		}
		b.WriteString(prefix + l + eol)
	}
	return s.write(b.String())
}

// broadcast queues lines of one daemon to every session with debug output
// on, provided that daemon's debug level is set.
func (d *Device) broadcast(app string, msgs ...string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.st.appOn(app) {
		return
	}
	for s := range d.sess {
		if s.dbgQ == nil {
			continue
		}
		for _, m := range msgs {
			select {
			case s.dbgQ <- m:
			default:
			}
		}
	}
}

// startActivation is `execute fortitoken activate SN` or the activation a
// re-added token starts by itself; the outcome lands ActivationDelay later.
func (d *Device) startActivation(vdom, sn string, explicit bool) {
	d.mu.Lock()
	t := d.st.findToken(vdom, sn)
	if t == nil {
		d.mu.Unlock()
		d.broadcast("fortitoken", fmt.Sprintf("ftk_activate_tokens[1187]:token %s not found", sn))
		return
	}
	mobile := t.mobile()
	d.st.attempts[sn]++
	d.st.pending++
	d.mu.Unlock()
	how := "manual"
	if !explicit {
		how = "auto (token added)"
	}
	d.broadcast("fortitoken", fmt.Sprintf("ftk_activate_tokens[1187]:activate token %s, %s", sn, how))
	d.broadcast("forticldd", cldConnect(sn)...)
	d.f.afterFunc(d.f.o.ActivationDelay, func() {
		if mobile {
			d.finishProvision(vdom, sn, "activate")
			return
		}
		d.finishActivation(vdom, sn)
	})
}

func (d *Device) finishActivation(vdom, sn string) {
	d.mu.Lock()
	d.st.pending--
	t := d.st.findToken(vdom, sn)
	if t == nil {
		d.mu.Unlock()
		return
	}
	var cld, ftk []string
	switch {
	case d.st.fgdDown:
		t.Status = parse.StatusNotInFortiGuard
		cld = []string{"[311] fds_https_connect: connect to directregistration.fortinet.com:443 failed: Unable to resolve hostname"}
		ftk = []string{fmt.Sprintf("ftk_activate_resp[1342]:token %s activation error (token not exist in FortiGuard)", sn)}
	case t.Elsewhere || t.Seed:
		// FTK-200 one-time activation lock: FortiGuard hands a seed out
		// once; a token that already holds one gets this error (delete and
		// re-add clears the seed and starts over).
		t.Status = parse.StatusAlreadyActivated
		cld = []string{"[733] fds_https_recv: FTK activation response code=4"}
		ftk = []string{fmt.Sprintf("ftk_activate_resp[1351]:token %s already activated, and seed won't be returned", sn)}
	default:
		t.Status, t.Seed = parse.StatusActive, true
		cld = []string{"[733] fds_https_recv: FTK activation response code=0"}
		ftk = []string{fmt.Sprintf("ftk_activate_resp[1330]:token %s activated, seed received", sn)}
	}
	d.mu.Unlock()
	d.broadcast("forticldd", cld...)
	d.broadcast("fortitoken", ftk...)
}

// startProvision is `execute fortitoken-mobile provision|renew SN`, or
// binding a new mobile token to a user.
func (d *Device) startProvision(vdom, sn, verb string) {
	d.mu.Lock()
	if d.st.findToken(vdom, sn) == nil {
		d.mu.Unlock()
		return
	}
	d.st.attempts[sn]++
	d.st.pending++
	d.mu.Unlock()
	d.broadcast("fortitoken", fmt.Sprintf("ftm_provision_token[870]:%s token %s", verb, sn))
	d.f.afterFunc(d.f.o.ActivationDelay, func() { d.finishProvision(vdom, sn, verb) })
}

func (d *Device) finishProvision(vdom, sn, verb string) {
	d.mu.Lock()
	d.st.pending--
	t := d.st.findToken(vdom, sn)
	if t == nil {
		d.mu.Unlock()
		return
	}
	g := gen{d.rng}
	t.ActCode = g.actCode()
	t.ActExpire = time.Now().Add(72 * time.Hour).Unix()
	t.Status, t.Seed, t.RegID, t.OSVer = parse.StatusProvisioning, false, "", ""
	if t.License == "" {
		t.License = "EFTM" + g.pick(upperAlnum, 8)
	}
	to := ""
	for _, a := range d.st.accounts {
		if a.Token == sn && a.Email != "" {
			to = a.Email
			break
		}
	}
	server := d.st.email.Server
	code := t.ActCode
	ftm := d.ftmProvisionLines(g, t, to)
	d.mu.Unlock()
	d.broadcast("fortitoken", ftm...)
	mail := []string{fmt.Sprintf("alertmail_send_ftm_activation[812]:token %s, activation code: %s, to %q", sn, code, to)}
	if server == "" {
		mail = append(mail, "alertmail_smtp_connect[301]:no email server configured, message dropped")
	} else {
		mail = append(mail, fmt.Sprintf("alertmail_smtp_connect[301]:connect to %s ok", server),
			"alertmail_smtp_send[455]:message sent")
	}
	d.broadcast("alertmail", mail...)
}
