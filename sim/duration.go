package sim

import (
	"fmt"
	"time"
)

// armDebug starts the global debug window if none runs and returns the
// message FortiOS prints when a daemon is armed: the minutes left, or
// "unlimited time" only with `diagnose debug duration 0` (d.mu held).
func (d *Device) armDebug() string {
	st := d.st
	st.debugExpired = false
	if st.duration == 0 {
		return "Debug messages will be on for unlimited time."
	}
	now := time.Now()
	if st.debugUntil.IsZero() {
		st.debugUntil = now.Add(d.minutes(st.duration))
		gen := st.debugGen
		d.f.afterFunc(st.debugUntil.Sub(now), func() { d.expireDebug(gen) })
	}
	left := st.debugUntil.Sub(now)
	mins := int((left + d.minutes(1) - 1) / d.minutes(1))
	return fmt.Sprintf("Debug messages will be on for %d minutes.", max(mins, 1))
}

// minutes converts device minutes to real time (Options.DebugDuration is
// the real length of 30 device minutes).
func (d *Device) minutes(n int) time.Duration {
	return time.Duration(n) * d.f.o.DebugDuration / 30
}

// expireDebug ends the debug window gen: the daemons stop printing and
// every session's debug output is switched off, as at the end of
// `diagnose debug duration`.
func (d *Device) expireDebug(gen int) {
	d.mu.Lock()
	st := d.st
	if st.debugGen != gen || st.debugUntil.IsZero() {
		d.mu.Unlock()
		return
	}
	st.debugUntil = time.Time{}
	st.debugGen++
	st.debugExpired = true
	st.debugExpiries++
	var on []*session
	for s := range d.sess {
		if s.dbgStop != nil {
			on = append(on, s)
		}
	}
	d.mu.Unlock()
	for _, s := range on {
		s.stopDebug()
	}
}

// endDebugWindow forgets the running window (reset, duration change; d.mu held).
func (st *devState) endDebugWindow() {
	st.debugUntil = time.Time{}
	st.debugGen++
}
