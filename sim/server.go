package sim

import (
	"errors"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/ssh"
)

// acceptLoop is the only goroutine an idle device owns.
func (d *Device) acceptLoop() {
	defer d.f.wg.Done()
	for {
		c, err := d.ln.Accept()
		if errors.Is(err, net.ErrClosed) {
			return
		}
		if err != nil {
			// e.g. EMFILE under a connection storm: back off, keep serving.
			select {
			case <-d.f.done:
				return
			case <-time.After(20 * time.Millisecond):
			}
			continue
		}
		if o := d.f.o; o.RTT > 0 || o.Jitter > 0 {
			d.mu.Lock()
			seed := d.rng.Uint64()
			d.mu.Unlock()
			c = newWANConn(c, o.RTT, o.Jitter, rand.New(rand.NewPCG(seed, uint64(d.idx))))
		}
		if !d.f.track(c) {
			_ = c.Close()
			return
		}
		go d.serveConn(c)
	}
}

// serveConn runs the SSH handshake and the channels of one connection.
func (d *Device) serveConn(c net.Conn) {
	defer d.f.wg.Done()
	defer d.f.untrack(c)
	defer func() { _ = c.Close() }()
	_ = c.SetDeadline(time.Now().Add(15 * time.Second))
	sc, chans, reqs, err := ssh.NewServerConn(c, d.cfg)
	if err != nil {
		return
	}
	_ = c.SetDeadline(time.Time{})
	d.mu.Lock()
	d.st.conns++
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		d.st.conns--
		d.mu.Unlock()
	}()
	closed := make(chan struct{})
	defer close(closed)
	d.f.goTracked(func() { ssh.DiscardRequests(reqs) })
	for nch := range chans {
		if nch.ChannelType() != "session" {
			_ = nch.Reject(ssh.UnknownChannelType, "only session channels")
			continue
		}
		ch, creqs, err := nch.Accept()
		if err != nil {
			continue
		}
		n := d.nsess.Add(1)
		s := &session{d: d, conn: sc, ch: ch, closed: closed, id: n, frag: d.fragRand(n), pingOpt: defaultPingOptions()}
		s.rows.Store(24)
		s.cols.Store(80)
		d.f.goTracked(func() { s.serveRequests(creqs) })
	}
	_ = sc.Close()
}

// ptyReq is the payload of a "pty-req" request (RFC 4254 6.2).
type ptyReq struct {
	Term          string
	Cols, Rows    uint32
	Width, Height uint32
	Modes         string
}

// winReq is the payload of a "window-change" request.
type winReq struct {
	Cols, Rows    uint32
	Width, Height uint32
}

// serveRequests answers channel requests and starts the shell or exec.
func (s *session) serveRequests(reqs <-chan *ssh.Request) {
	started := false
	for r := range reqs {
		ok := false
		switch r.Type {
		case "pty-req":
			var p ptyReq
			if ssh.Unmarshal(r.Payload, &p) == nil {
				s.pty = true
				s.setSize(p.Cols, p.Rows)
				ok = true
			}
		case "window-change":
			var w winReq
			if ssh.Unmarshal(r.Payload, &w) == nil {
				s.setSize(w.Cols, w.Rows)
				ok = true
			}
		case "env":
			ok = true
		case "shell", "exec":
			if started {
				break
			}
			var cmd string
			if r.Type == "exec" {
				var p struct{ Cmd string }
				if ssh.Unmarshal(r.Payload, &p) != nil {
					break
				}
				cmd = p.Cmd
			}
			started, ok = true, true
			// Reply before running: a short exec could otherwise close the
			// channel before the client hears that the request succeeded.
			if r.WantReply {
				_ = r.Reply(true, nil)
			}
			exec := r.Type == "exec"
			if !s.d.f.goTracked(func() { s.run(exec, cmd) }) {
				_ = s.ch.Close()
			}
			continue
		}
		if r.WantReply {
			_ = r.Reply(ok, nil)
		}
	}
	if !started {
		_ = s.ch.Close()
	}
}

// setSize applies a pty-req or window-change: the pager follows it. A zero
// size keeps the default (80x24); a huge one (tools ask for 9999999 rows to
// avoid the pager) is kept, bounded to fit.
func (s *session) setSize(c, r uint32) {
	const most = 1 << 30
	if r > 0 {
		s.rows.Store(int32(min(r, most)))
	}
	if c > 0 {
		s.cols.Store(int32(min(c, most)))
	}
}

// session is one shell or exec channel.
type session struct {
	d      *Device
	conn   ssh.Conn
	ch     ssh.Channel
	in     *inq            // shell input; nil for exec
	closed <-chan struct{} // connection gone
	id     uint64          // n-th session of the device (seeds fragmenting)
	frag   *rand.Rand      // fragment mode's RNG (nil = off), used under wmu
	pty    bool
	rows   atomic.Int32
	cols   atomic.Int32
	exec   bool

	scopes  []*scope
	dbgStop chan struct{} // non-nil while `diagnose debug enable` is in force
	dbgQ    chan string   // burst lines for this session, guarded by d.mu for send
	wmu     sync.Mutex    // serialises writes: command output vs debug lines
	held    []byte        // output held back while more typed-ahead input waits (guarded by wmu)
	done    chan struct{} // session ended
	pingOpt pingOptions   // `execute ping-options`, per CLI session
}
