package sim

import (
	"math/rand/v2"
	"net"
	"os"
	"sync"
	"time"
)

// wanConn puts a WAN between the client and a simulated device: every
// chunk, in each direction and from the first byte of the key exchange,
// is delivered one-way-delay later (RTT/2 ± jitter/2), in order, as TCP
// would. Bandwidth is not modelled; latency is what a scan pays for.
type wanConn struct {
	net.Conn
	delay func() time.Duration

	mu      sync.Mutex // guards out, closing, lastOut
	out     chan wanChunk
	closing bool
	lastOut time.Time

	in      chan wanChunk
	pending *wanChunk // received, not yet due (a read deadline interrupted the wait)
	rbuf    []byte
	rerr    error
	lastIn  time.Time // reader goroutine only

	dlMu     sync.Mutex
	deadline time.Time // read deadline (the sim only sets deadlines around the handshake)

	done      chan struct{}
	closeOnce sync.Once
	drained   chan struct{}
}

type wanChunk struct {
	b   []byte
	err error
	at  time.Time
}

// newWANConn wraps c; rtt and jitter are round-trip figures.
func newWANConn(c net.Conn, rtt, jitter time.Duration, r *rand.Rand) *wanConn {
	var mu sync.Mutex
	w := &wanConn{Conn: c, out: make(chan wanChunk, 256), in: make(chan wanChunk, 64),
		done: make(chan struct{}), drained: make(chan struct{})}
	w.delay = func() time.Duration {
		d := rtt / 2
		if jitter > 0 {
			mu.Lock()
			d += time.Duration(r.Int64N(int64(jitter))) - jitter/2
			mu.Unlock()
		}
		return max(d, 0)
	}
	go w.writer()
	go w.reader()
	return w
}

func (w *wanConn) writer() {
	defer close(w.drained)
	for ch := range w.out {
		if !w.wait(ch.at, nil) {
			continue
		}
		if _, err := w.Conn.Write(ch.b); err != nil {
			_ = w.Conn.Close()
		}
	}
	_ = w.Conn.Close()
}

func (w *wanConn) reader() {
	buf := make([]byte, 32<<10)
	for {
		n, err := w.Conn.Read(buf)
		at := time.Now().Add(w.delay())
		if at.Before(w.lastIn) {
			at = w.lastIn
		}
		w.lastIn = at
		ch := wanChunk{b: append([]byte(nil), buf[:n]...), err: err, at: at}
		select {
		case w.in <- ch:
		case <-w.done:
			return
		}
		if err != nil {
			return
		}
	}
}

// wait sleeps until at; false when the connection closed first.
func (w *wanConn) wait(at time.Time, deadline <-chan time.Time) bool {
	d := time.Until(at)
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-deadline:
		return false
	case <-w.done:
		return false
	}
}

// Write queues b for delivery one-way-delay from now.
func (w *wanConn) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closing {
		return 0, net.ErrClosed
	}
	at := time.Now().Add(w.delay())
	if at.Before(w.lastOut) {
		at = w.lastOut
	}
	w.lastOut = at
	select {
	case w.out <- wanChunk{b: append([]byte(nil), b...), at: at}:
		return len(b), nil
	case <-w.done:
		return 0, net.ErrClosed
	}
}

// Read returns bytes once their delay has passed.
func (w *wanConn) Read(p []byte) (int, error) {
	for len(w.rbuf) == 0 {
		if w.rerr != nil {
			return 0, w.rerr
		}
		var timeout <-chan time.Time
		w.dlMu.Lock()
		dl := w.deadline
		w.dlMu.Unlock()
		if !dl.IsZero() {
			t := time.NewTimer(time.Until(dl))
			timeout = t.C
			defer t.Stop()
		}
		if w.pending == nil {
			select {
			case ch := <-w.in:
				w.pending = &ch
			case <-timeout:
				return 0, os.ErrDeadlineExceeded
			case <-w.done:
				return 0, net.ErrClosed
			}
		}
		if !w.wait(w.pending.at, timeout) {
			if w.isClosed() {
				return 0, net.ErrClosed
			}
			return 0, os.ErrDeadlineExceeded
		}
		w.rbuf, w.rerr, w.pending = w.pending.b, w.pending.err, nil
	}
	n := copy(p, w.rbuf)
	w.rbuf = w.rbuf[n:]
	return n, nil
}

func (w *wanConn) isClosed() bool {
	select {
	case <-w.done:
		return true
	default:
		return false
	}
}

// SetDeadline sets the read deadline; writes never block on the WAN.
func (w *wanConn) SetDeadline(t time.Time) error { return w.SetReadDeadline(t) }

// SetReadDeadline bounds Read, as on a net.Conn.
func (w *wanConn) SetReadDeadline(t time.Time) error {
	w.dlMu.Lock()
	w.deadline = t
	w.dlMu.Unlock()
	return nil
}

// SetWriteDeadline is a no-op: Write only queues.
func (w *wanConn) SetWriteDeadline(time.Time) error { return nil }

// Close delivers what was written (a last "Timeout" must still arrive),
// bounded by one delay, then closes the connection.
func (w *wanConn) Close() error {
	w.closeOnce.Do(func() {
		w.mu.Lock()
		w.closing = true
		close(w.out)
		w.mu.Unlock()
		select {
		case <-w.drained:
		case <-time.After(time.Until(w.lastOutAt()) + 50*time.Millisecond):
		}
		close(w.done)
		_ = w.Conn.Close()
	})
	return nil
}

func (w *wanConn) lastOutAt() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lastOut
}
