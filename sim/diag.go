package sim

import (
	"fmt"
	"hash/fnv"
	"net"
	"strconv"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

func (s *session) cmdDiagnose(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	w, ok := match(args[0], "debug", "fortitoken", "test", "sys", "hardware")
	if !ok {
		return parseErr(args[0])
	}
	args = args[1:]
	switch w {
	case "debug":
		return s.diagDebug(args)
	case "fortitoken":
		if len(args) == 0 {
			return incomplete()
		}
		sub, ok := match(args[0], "info", "debug", "test")
		if !ok {
			return parseErr(args[0])
		}
		if sub == "info" {
			sn := ""
			if len(args) > 1 {
				sn = args[1]
			}
			return s.tokenInfo(sn)
		}
		if sub == "debug" {
			if len(args) < 2 {
				return incomplete()
			}
			v, ok := match(args[1], "enable", "disable")
			if !ok {
				return parseErr(args[1])
			}
			s.d.mu.Lock()
			defer s.d.mu.Unlock()
			s.d.st.ftkDebug = v == "enable"
			if v == "enable" {
				return out(s.d.armDebug())
			}
			return result{}
		}
		return incomplete()
	case "test":
		if len(args) < 2 {
			return incomplete()
		}
		if _, ok := match(args[0], "application"); !ok {
			return parseErr(args[0])
		}
		if args[1] != "forticldd" {
			return parseErr(args[1])
		}
		n := 0
		if len(args) > 2 {
			n, _ = strconv.Atoi(args[2])
		}
		return s.cloudTest(n)
	}
	return parseErr(args[0])
}

var debugApps = []string{"forticldd", "fortitoken", "alertmail", "fnbamd", "authd", "httpsd", "miglogd", "update"}

func (s *session) diagDebug(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	w, ok := match(args[0], "info", "enable", "disable", "reset", "console", "duration", "application", "report", "crashlog")
	if !ok {
		return parseErr(args[0])
	}
	d := s.d
	switch w {
	case "enable":
		s.startDebug()
	case "disable":
		s.stopDebug()
	case "reset":
		d.mu.Lock()
		d.st.resets++
		d.st.levels = map[string]int{}
		d.st.ftkDebug, d.st.timestamp = false, false
		d.st.endDebugWindow()
		d.st.debugExpired = false
		d.mu.Unlock()
	case "info":
		return s.debugInfo()
	case "console":
		if len(args) < 3 {
			return incomplete()
		}
		k, ok := match(args[1], "timestamp", "no-user-log-msg")
		if !ok {
			return parseErr(args[1])
		}
		v, ok := match(args[2], "enable", "disable")
		if !ok {
			return parseErr(args[2])
		}
		if k == "timestamp" {
			d.mu.Lock()
			d.st.timestamp = v == "enable"
			d.mu.Unlock()
		}
	case "duration":
		if len(args) < 2 {
			return incomplete()
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 0 {
			return valueErr(args[1])
		}
		d.mu.Lock()
		d.st.duration = n
		d.st.endDebugWindow()
		d.mu.Unlock()
	case "application":
		if len(args) < 2 {
			return incomplete()
		}
		app, ok := match(args[1], debugApps...)
		if !ok {
			return parseErr(args[1])
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		if len(args) < 3 {
			return out(fmt.Sprintf("%s debug level is %d (0x%x)", app, d.st.levels[app], uint32(d.st.levels[app])))
		}
		n, err := strconv.ParseInt(args[2], 0, 64)
		if err != nil || n < -1 || n > 0xffffffff {
			return valueErr(args[2])
		}
		lvl := int(int32(uint32(n)))
		if lvl == 0 {
			delete(d.st.levels, app)
			return result{}
		}
		d.st.levels[app] = lvl
		return out(d.armDebug())
	}
	return result{}
}

func (s *session) debugInfo() result {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	onoff := func(b bool) string {
		if b {
			return "enable"
		}
		return "disable"
	}
	l := []string{
		"debug output:           " + onoff(s.dbgStop != nil),
		"console timestamp:      " + onoff(d.st.timestamp),
		"console no user log message:    disable",
	}
	for _, app := range debugApps {
		if v, ok := d.st.levels[app]; ok && v != 0 {
			l = append(l, fmt.Sprintf("%s debug level:  %d (0x%x)", app, v, uint32(v)))
		}
	}
	if d.st.ftkDebug {
		l = append(l, "fortitoken debug level:  1 (0x1)")
	}
	return out(append(l, "CLI debug level:        3")...)
}

// tokenInfo is `diagnose fortitoken info [SN]`.
func (s *session) tokenInfo(sn string) result {
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.st
	vdom := s.curVDOM()
	l := []string{"FORTITOKEN        DRIFT  STATUS"}
	act, global := 0, 0
	for _, t := range st.tokens {
		activated := t.Status == parse.StatusActive || t.Status == parse.StatusProvisioned
		if activated {
			global++
		}
		if vdom != "" && t.VDOM != vdom {
			continue
		}
		if activated {
			act++
		}
		if sn == "" || t.Serial == sn {
			l = append(l, fmt.Sprintf("%-16s  %-5d  %s", t.Serial, t.Drift, t.diagStatus()))
		}
	}
	server := parse.ServerReachable
	if st.fgdDown {
		server = parse.ServerUnreachable
	}
	l = append(l, "", fmt.Sprintf("Total activated token: %d", act), fmt.Sprintf("Total global activated token: %d", global),
		"", "Token server status: "+server)
	return result{lines: l, token: true}
}

// cloudTest is `diagnose test application forticldd N`.
func (s *session) cloudTest(n int) result {
	d := s.d
	d.mu.Lock()
	down := d.st.fgdDown
	serial := d.st.serial
	d.mu.Unlock()
	if n != 7 {
		return out("forticldd test usage:", "1. Show daemon status", "2. Show account info", "3. Show FortiCloud log status",
			"7. Show FortiToken activation status", "13. Show auto firmware-upgrade status")
	}
	state, ip := "connected", "173.243.140.16:443"
	if down {
		state, ip = "unreachable (DNS resolution failed)", "0.0.0.0:0"
	}
	return out(
		"Debug zone info:",
		"    Domain: global",
		"    FortiGate serial: "+serial,
		"    Server: directregistration.fortinet.com",
		"    Server IP: "+ip,
		"    Server status: "+state,
		"    FTK activation queue: 0",
		"    Poll interval: 60s")
}

func (s *session) cmdExecute(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	w, ok := match(args[0], "ping", "ping-options", "fortitoken", "fortitoken-mobile", "date", "time")
	if !ok {
		return parseErr(args[0])
	}
	args = args[1:]
	if w == "ping-options" {
		return s.cmdPingOptions(args)
	}
	if w == "ping" {
		if len(args) == 0 {
			return incomplete()
		}
		return s.ping(args[0])
	}
	if w == "date" || w == "time" {
		return result{}
	}
	if s.d.st.multiVDOM && s.curVDOM() == "" {
		return parseErr(w)
	}
	if s.d.st.readonly {
		return permDenied()
	}
	if len(args) == 0 {
		return incomplete()
	}
	vdom := s.curVDOM()
	if w == "fortitoken" {
		sub, ok := match(args[0], "activate", "sync", "import")
		if !ok {
			return parseErr(args[0])
		}
		if sub != "activate" {
			return incomplete()
		}
		if len(args) < 2 {
			return incomplete()
		}
		for _, sn := range args[1:] {
			if !parse.ValidSerial(sn) {
				return valueErr(sn)
			}
		}
		for _, sn := range args[1:] {
			s.d.startActivation(vdom, sn, true)
		}
		return result{}
	}
	sub, ok := match(args[0], "provision", "renew", "poll", "import")
	if !ok {
		return parseErr(args[0])
	}
	if sub == "poll" {
		s.d.broadcast("fortitoken", "ftm_cfg_poll_token_states[405]:Poll token status!")
		return result{}
	}
	if sub == "import" || len(args) < 2 {
		return incomplete()
	}
	if !parse.ValidSerial(args[1]) || parse.TokenKind(args[1]) != parse.TokenKindMobile {
		return valueErr(args[1])
	}
	s.d.mu.Lock()
	t := s.d.st.findToken(vdom, args[1])
	s.d.mu.Unlock()
	if t == nil {
		return notFound()
	}
	s.d.startProvision(vdom, args[1], sub)
	return result{}
}

var fdsAddrs = map[string]string{
	"fds1.fortinet.com":               "96.45.33.89",
	"directregistration.fortinet.com": "173.243.140.16",
	"globalftm.fortinet.net":          "173.243.138.1",
	"notification.fortinet.net":       "208.91.114.151",
	"fortinet-notifications.com":      "208.91.114.151",
	"service.fortiguard.net":          "173.243.140.6",
}

// ping is `execute ping HOST`; names resolve unless FortiGuard is down.
// It honours the session's ping-options (count) and, under real timing,
// takes as long as FortiOS does.
func (s *session) ping(host string) result {
	d := s.d
	d.mu.Lock()
	down := d.st.fgdDown
	base := 18 + d.rng.Float64()*20
	d.mu.Unlock()
	o := s.pingOpt
	real := s.realTiming()
	addr := host
	if ip := net.ParseIP(host); ip == nil {
		if down {
			r := out("Unable to resolve hostname.")
			if real {
				r.delay = realDNSFailure
			}
			return r
		}
		if a, ok := fdsAddrs[host]; ok {
			addr = a
		} else {
			h := fnv.New32a()
			_, _ = h.Write([]byte(host))
			addr = fmt.Sprintf("198.51.100.%d", h.Sum32()%250+1)
		}
	}
	l := []string{fmt.Sprintf("PING %s (%s): %d data bytes", host, addr, o.dataSize)}
	if down {
		r := out(append(l, "", fmt.Sprintf("--- %s ping statistics ---", host),
			fmt.Sprintf("%d packets transmitted, 0 packets received, 100%% packet loss", o.count))...)
		if real {
			r.delay = o.duration(false, 0)
		}
		return r
	}
	lo, hi := base, base
	sum := 0.0
	for i := 0; i < o.count; i++ {
		t := base + float64(i%3)*0.3
		lo, hi, sum = min(lo, t), max(hi, t), sum+t
		l = append(l, fmt.Sprintf("%d bytes from %s: icmp_seq=%d ttl=53 time=%.1f ms", o.dataSize+8, addr, i, t))
	}
	r := out(append(l, "", fmt.Sprintf("--- %s ping statistics ---", host),
		fmt.Sprintf("%d packets transmitted, %d packets received, 0%% packet loss", o.count, o.count),
		fmt.Sprintf("round-trip min/avg/max = %.1f/%.1f/%.1f ms", lo, sum/float64(o.count), hi))...)
	if real {
		r.delay = o.duration(true, realPingReplyTime)
	}
	return r
}

// garbageLines replaces output for the garbage fault: random bytes and
// broken lines, never a prompt.
func garbageLines(r interface{ IntN(int) int }, n int) []string {
	const junk = "\x00\x07\x1b[2J\x1b[?25l#$@%&*()[]{}<>~^\x7f\xff\xfe"
	l := make([]string, 0, n)
	for i := 0; i < n; i++ {
		var b strings.Builder
		for j := r.IntN(60); j > 0; j-- {
			if r.IntN(4) == 0 {
				b.WriteByte(junk[r.IntN(len(junk))])
			} else {
				b.WriteByte(byte('!' + r.IntN(90)))
			}
		}
		l = append(l, b.String())
	}
	return l
}
