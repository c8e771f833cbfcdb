package device

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

// DefaultDebugKeepalive is how often a debug capture types an invisible
// keystroke: FortiOS does not count output as activity, so a capture would
// otherwise be logged out after the admin idle timeout (5 min by default;
// FORTIDEBUG uses 30 s).
const DefaultDebugKeepalive = 30 * time.Second

// debugKeepaliveKeys is space then backspace: it leaves the input line
// empty, and its echo (" \b \b" or " \b") disappears in parse.Clean.
const debugKeepaliveKeys = " \b"

// durationRe is what arming prints (fortios-wire.md §5): the remaining
// minutes of the global debug duration, or "unlimited time" with duration 0.
var durationRe = regexp.MustCompile(`Debug messages will be on for (\d+) minutes?`)

// armedMinutes reads the debug duration from an arm command's output
// (0: none printed or unlimited).
func armedMinutes(out string) int {
	m := durationRe.FindStringSubmatch(out)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// pump turns the shell's output into debug lines until ctx ends (nil) or
// the connection is lost (the error). Prompts and echoes interleave with
// the asynchronous lines and are dropped; a line without an end that grows
// past maxDebugLine is delivered cut. It keeps the admin session alive
// with invisible keystrokes and, when the debug duration the device
// announced at arm time runs out, says so and re-arms.
func (d *DebugStream) pump(ctx context.Context, s *Session) error {
	keep := time.NewTicker(d.keepaliveEvery())
	defer keep.Stop()
	expiry, stopExpiry := d.expiryTimer(s)
	defer func() { stopExpiry() }()
	for {
		chunk, lost := s.ch.Drain(maxDebugLine)
		for _, raw := range strings.Split(string(chunk), "\n") {
			if l, ok := debugText(raw, s.ch.Prompts()); ok {
				d.emit(parse.ParseDebugLine(parse.RedactDebug(l)))
			}
		}
		if lost != nil && len(chunk) == 0 {
			return lost
		}
		if lost != nil {
			continue // drain what is left first
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.ch.Readable():
		case <-keep.C:
			if err := d.keepalive(ctx, s); err != nil {
				return err
			}
		case <-expiry:
			stopExpiry()
			if err := d.expired(ctx, s); err != nil {
				return err
			}
			expiry, stopExpiry = d.expiryTimer(s)
		}
	}
}

func (d *DebugStream) keepaliveEvery() time.Duration {
	if d.keepaliveInterval > 0 {
		return d.keepaliveInterval
	}
	return DefaultDebugKeepalive
}

// expiryTimer fires when the duration announced on s runs out (never for
// an unlimited duration).
func (d *DebugStream) expiryTimer(s *Session) (<-chan time.Time, func()) {
	n := s.armedFor
	if n <= 0 {
		return nil, func() {}
	}
	minute := d.minute
	if minute <= 0 {
		minute = time.Minute
	}
	left := time.Until(s.armedAt.Add(time.Duration(n) * minute))
	t := time.NewTimer(max(left, 0))
	return t.C, func() { t.Stop() }
}

// keepalive types the invisible keystroke, unless a command holds the
// session (its own input is activity enough).
func (d *DebugStream) keepalive(ctx context.Context, s *Session) error {
	held, err := s.ch.TryDo(func(tx *channel.Tx) error { return tx.Keys(ctx, debugKeepaliveKeys) })
	if !held {
		return nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("debug keepalive: %w", err)
	}
	d.keepalives.Add(1)
	return nil
}

// expired reports the end of the debug duration and re-arms: after it the
// daemons stop printing although the stream looks healthy.
func (d *DebugStream) expired(ctx context.Context, s *Session) error {
	n := s.armedFor
	d.emit(notice(fmt.Sprintf("debug duration of %d min expired on %s — re-arm", n, d.t.label())))
	if err := d.rearm(ctx, s); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return fmt.Errorf("re-arming debug after its duration expired: %w", err)
	}
	d.rearms.Add(1)
	msg := "re-armed debug on " + d.t.label()
	if s.armedFor > 0 {
		msg += fmt.Sprintf(" (on for %d more minutes)", s.armedFor)
	}
	d.emit(notice(msg))
	return nil
}

// rearm resets debug and sends the arm lines again on the stream's
// session, which stays in `config global` on multi-VDOM units.
func (d *DebugStream) rearm(ctx context.Context, s *Session) error {
	return s.ch.Do(func(tx *channel.Tx) error {
		s.armedFor = 0
		if err := tx.EnterGlobal(ctx); err != nil {
			return err
		}
		for _, l := range append([]string{"diagnose debug reset"}, d.arm...) {
			if err := s.runAmid(ctx, tx, l); err != nil {
				return err
			}
		}
		return nil
	})
}

// debugText cleans one raw line and drops what is not debug output: a
// prompt of any form at the line start is cut off (debug output often
// continues right after it) and a line that is only a prompt, the echo of
// one of our commands or the keepalive's echo is dropped.
func debugText(raw string, pm *channel.PromptMatcher) (string, bool) {
	l := parse.Clean(raw)
	if len(l) > maxDebugLine {
		l = l[:maxDebugLine]
	}
	if pm != nil {
		if end, ok := pm.Leading(l); ok {
			rest := l[end:]
			// What follows a prompt is either an echoed command of ours or
			// debug text that started on the prompt line.
			if strings.HasPrefix(rest, "diagnose ") || strings.HasPrefix(rest, "config ") {
				return "", false
			}
			l = rest
		}
	}
	l = strings.TrimRight(l, " \t")
	// Typed input interleaves with streaming debug (fortios-wire.md §4): the
	// keepalive's space can land before a line whose backspace comes later.
	// A timestamped debug line never starts with a blank, so drop those.
	if t := strings.TrimLeft(l, " "); len(t) < len(l) && timestamped(t) {
		l = t
	}
	if strings.TrimSpace(l) == "" {
		return "", false
	}
	// A copy: a substring would keep the whole read chunk (up to MiBs from a
	// hostile device) alive for as long as the line sits in a buffer or ring.
	return strings.Clone(l), true
}

// timestamped reports a line that starts like "2025-12-10 " (FortiOS's
// `diagnose debug console timestamp enable` format).
func timestamped(l string) bool {
	if len(l) < 11 || l[4] != '-' || l[7] != '-' || l[10] != ' ' {
		return false
	}
	for _, i := range []int{0, 1, 2, 3, 5, 6, 8, 9} {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
}
