package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Timing is the simulated device's clock.
type Timing string

// Timings. Real durations are what FortiOS takes (shared/reference
// fortios-wire.md §3, §4): `execute ping` sends repeat-count packets
// interval apart (defaults 5 and 1 s) and waits timeout (2 s) for a lost
// one; `diagnose debug reset` was seen taking over 1.5 s on a 40F. The
// other figures are plausible small-unit costs, not measurements:
//
//	get system status, diagnose debug info     60 ms
//	diagnose fortitoken info                   200 ms + 2 ms per token
//	show user fortitoken / local, system admin 120 ms + 1 ms per line
//	show full-configuration …                  400 ms + 2 ms per line
//	diagnose test application forticldd 7      300 ms
//	a DNS name that does not resolve           1 s before "Unable to resolve hostname."
//	anything else                              20 ms
const (
	TimingInstant Timing = "instant"
	TimingReal    Timing = "real"
)

// ParseTiming reads --timing.
func ParseTiming(s string) (Timing, error) {
	switch Timing(s) {
	case "", TimingInstant:
		return TimingInstant, nil
	case TimingReal:
		return TimingReal, nil
	}
	return "", fmt.Errorf("timing %q: want instant or real", s)
}

// Real-timing costs (see the table above).
const (
	realDebugReset    = 1500 * time.Millisecond
	realStatus        = 60 * time.Millisecond
	realTokenInfo     = 200 * time.Millisecond
	realShow          = 120 * time.Millisecond
	realShowFull      = 400 * time.Millisecond
	realCloudTest     = 300 * time.Millisecond
	realDNSFailure    = time.Second
	realDefault       = 20 * time.Millisecond
	realPerLine       = time.Millisecond
	realPerLineFull   = 2 * time.Millisecond
	realPerTokenInfo  = 2 * time.Millisecond
	realPingReplyTime = 30 * time.Millisecond // a FortiGuard reply over the Internet
)

func (s *session) realTiming() bool { return s.d.f.o.Timing == TimingReal }

// cost is how long the device thinks before answering words with res
// under real timing (pings account for themselves).
func (s *session) cost(words []string, res result) time.Duration {
	if !s.realTiming() || len(words) == 0 {
		return 0
	}
	line := strings.ToLower(strings.Join(words, " "))
	n := time.Duration(len(res.lines))
	switch {
	case strings.HasPrefix(line, "exec") && strings.Contains(line, " ping"):
		return 0
	case strings.HasPrefix(line, "diag") && strings.Contains(line, "debug reset"):
		return realDebugReset
	case strings.HasPrefix(line, "diag") && strings.Contains(line, "fortitoken info"):
		return realTokenInfo + n*realPerTokenInfo
	case strings.HasPrefix(line, "diag") && strings.Contains(line, "forticldd 7"):
		return realCloudTest
	case strings.HasPrefix(line, "get") && strings.Contains(line, "status"),
		strings.HasPrefix(line, "diag") && strings.Contains(line, "debug info"):
		return realStatus
	case strings.HasPrefix(line, "sh") && strings.Contains(line, "full-configuration"):
		return realShowFull + n*realPerLineFull
	case strings.HasPrefix(line, "sh"):
		return realShow + n*realPerLine
	}
	return realDefault
}

// pingOptions are `execute ping-options`, per CLI session as on FortiOS
// (whether they outlive the session is unverified; a client must set what
// it needs and reset afterwards).
type pingOptions struct {
	count    int
	timeout  int // seconds
	interval int // seconds
	adaptive bool
	dataSize int
}

func defaultPingOptions() pingOptions {
	return pingOptions{count: 5, timeout: 2, interval: 1, dataSize: 56}
}

// duration of one `execute ping` under real timing: replies come back
// after rtt; a lost packet costs the timeout; adaptive-ping sends the next
// packet as soon as the reply is in.
func (o pingOptions) duration(replies bool, rtt time.Duration) time.Duration {
	iv := time.Duration(o.interval) * time.Second
	if !replies {
		return time.Duration(o.count-1)*iv + time.Duration(o.timeout)*time.Second
	}
	if o.adaptive {
		return time.Duration(o.count) * rtt
	}
	return time.Duration(o.count-1)*iv + rtt
}

// cmdPingOptions is `execute ping-options …`.
func (s *session) cmdPingOptions(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	opt, ok := match(args[0], "adaptive-ping", "data-size", "df-bit", "interface", "interval", "pattern",
		"repeat-count", "reset", "source", "timeout", "tos", "ttl", "use-sdwan", "validate-reply", "view-settings")
	if !ok {
		return parseErr(args[0])
	}
	o := &s.pingOpt
	switch opt {
	case "reset":
		*o = defaultPingOptions()
		return result{}
	case "view-settings":
		ad := "disable"
		if o.adaptive {
			ad = "enable"
		}
		return out("Ping Options:",
			fmt.Sprintf("   Repeat Count: %d", o.count), fmt.Sprintf("   Data Size: %d", o.dataSize),
			fmt.Sprintf("   Timeout: %d", o.timeout), fmt.Sprintf("   Interval: %d", o.interval),
			"   TTL: 64", "   TOS: 0", "   DF bit: unset", "   Source Address: auto", "   Pattern: ",
			"   Pattern Size in Bytes: 0", "   Validate Reply: no", "   Adaptive Ping: "+ad)
	}
	if len(args) < 2 {
		return incomplete()
	}
	v := args[1]
	num := func(lo, hi int, dst *int) result {
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return valueErr(v)
		}
		*dst = n
		return result{}
	}
	switch opt {
	case "repeat-count":
		return num(1, 2147483647, &o.count)
	case "timeout":
		return num(1, 2147483647, &o.timeout)
	case "interval":
		return num(1, 2147483647, &o.interval)
	case "data-size":
		return num(0, 65507, &o.dataSize)
	case "adaptive-ping":
		switch v {
		case "enable":
			o.adaptive = true
		case "disable":
			o.adaptive = false
		default:
			return valueErr(v)
		}
	}
	return result{}
}
