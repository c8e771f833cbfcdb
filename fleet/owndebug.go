package fleet

import (
	"net"
	"strconv"
	"sync"

	"github.com/ftktui/ftktui/inventory"
)

// ownDebug holds the debug streams this process opened, per device
// address, so a scan does not report our own capture as DEBUG_LEFT_ON.
// It is process-wide because the TUI may hold several engines.
var ownDebug = struct {
	mu sync.Mutex
	m  map[string][]DebugStream
}{m: map[string][]DebugStream{}}

func debugKey(d inventory.Device) string { return net.JoinHostPort(d.Host, strconv.Itoa(d.Port)) }

// trackDebug remembers ds for d; it counts until the stream has ended.
func trackDebug(d inventory.Device, ds DebugStream) {
	ownDebug.mu.Lock()
	defer ownDebug.mu.Unlock()
	k := debugKey(d)
	prune(k)
	ownDebug.m[k] = append(ownDebug.m[k], ds)
}

// debuggingNow reports whether one of our streams on d is still running.
func debuggingNow(d inventory.Device) bool {
	ownDebug.mu.Lock()
	defer ownDebug.mu.Unlock()
	return prune(debugKey(d))
}

// prune forgets the ended streams of k and reports whether any is live.
func prune(k string) bool {
	live := ownDebug.m[k][:0]
	for _, ds := range ownDebug.m[k] {
		select {
		case <-ds.Done():
		default:
			live = append(live, ds)
		}
	}
	if len(live) == 0 {
		delete(ownDebug.m, k)
		return false
	}
	ownDebug.m[k] = live
	return true
}
