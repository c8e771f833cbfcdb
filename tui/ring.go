package tui

import (
	"sync"

	"github.com/ftktui/ftktui/parse"
)

// DefaultRingSize bounds the debug lines kept per device.
const DefaultRingSize = 10000

// ring is a bounded, mutex-protected buffer of debug lines addressed by an
// absolute sequence number, so the view can remember "line 123456" even after
// older lines were evicted. Writers are stream goroutines; the UI reads a
// window of it on render.
type ring struct {
	mu    sync.Mutex
	buf   []parse.DebugLine
	total int64 // lines ever appended; the newest has seq total-1
}

func newRing(size int) *ring {
	if size <= 0 {
		size = DefaultRingSize
	}
	return &ring{buf: make([]parse.DebugLine, size)}
}

// appendMany adds lines under one lock: ingest goroutines batch what the
// channel already holds to keep the lock rate low under floods.
func (r *ring) appendMany(lines []parse.DebugLine) {
	r.mu.Lock()
	for _, l := range lines {
		r.buf[r.total%int64(len(r.buf))] = l
		r.total++
	}
	r.mu.Unlock()
}

func (r *ring) add(l parse.DebugLine) {
	r.mu.Lock()
	r.buf[r.total%int64(len(r.buf))] = l
	r.total++
	r.mu.Unlock()
}

// bounds returns the oldest retained sequence number and the total.
func (r *ring) bounds() (first, total int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.firstLocked(), r.total
}

func (r *ring) firstLocked() int64 {
	if f := r.total - int64(len(r.buf)); f > 0 {
		return f
	}
	return 0
}

// window copies the lines with sequence numbers in [from, to), clamped to what
// is retained; it returns the first sequence number actually copied.
func (r *ring) window(from, to int64) ([]parse.DebugLine, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.firstLocked(); from < f {
		from = f
	}
	if to > r.total {
		to = r.total
	}
	if to <= from {
		return nil, from
	}
	out := make([]parse.DebugLine, 0, to-from)
	n := int64(len(r.buf))
	for s := from; s < to; s++ {
		out = append(out, r.buf[s%n])
	}
	return out, from
}

// tail copies the n lines ending at sequence to. When a flood has already
// evicted part of that window, it shows the newest n lines instead: a
// following pane must never go blank because it is behind the writer.
func (r *ring) tail(to int64, n int) []parse.DebugLine {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := r.firstLocked()
	if to > r.total || to-int64(n) < first {
		to = r.total
	}
	from := max(first, to-int64(n))
	out := make([]parse.DebugLine, 0, to-from)
	size := int64(len(r.buf))
	for s := from; s < to; s++ {
		out = append(out, r.buf[s%size])
	}
	return out
}

// page copies up to n lines starting at sequence from, moved forward to the
// oldest retained line if it was evicted; it returns the actual start.
func (r *ring) page(from int64, n int) ([]parse.DebugLine, int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	from = max(from, r.firstLocked())
	to := min(r.total, from+int64(n))
	out := make([]parse.DebugLine, 0, max(0, to-from))
	size := int64(len(r.buf))
	for s := from; s < to; s++ {
		out = append(out, r.buf[s%size])
	}
	return out, from
}
