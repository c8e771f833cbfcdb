package device

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/ftktui/ftktui/internal/testnet"
	"github.com/ftktui/ftktui/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// startFleet runs a simulated fleet for the test and writes a known_hosts
// with every device's published key.
func startFleet(t *testing.T, o sim.Options) (*sim.Fleet, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	f, err := sim.Start(ctx, o)
	if err != nil {
		cancel()
		t.Fatalf("sim.Start: %v", err)
	}
	t.Cleanup(func() { _ = f.Close(); cancel() })
	kh := filepath.Join(t.TempDir(), "known_hosts")
	var lines []byte
	for _, d := range f.Devices() {
		if k := d.KnownHostKey(); k != nil {
			lines = append(lines, knownhosts.Line([]string{knownhosts.Normalize(d.Addr())}, k)+"\n"...)
		}
	}
	if err := os.WriteFile(kh, lines, 0o600); err != nil {
		t.Fatal(err)
	}
	return f, kh
}

func one(t *testing.T, scen ...sim.Scenario) (*sim.Fleet, *sim.Device, Target) {
	t.Helper()
	f, kh := startFleet(t, sim.Options{Specs: []sim.DeviceSpec{{Name: "dev1", Hostname: "FGT-T1", Scenarios: scen}}, Seed: 7})
	d := f.Devices()[0]
	return f, d, targetFor(f, d, kh)
}

func targetFor(f *sim.Fleet, d *sim.Device, kh string) Target {
	host, port, _ := net.SplitHostPort(d.Addr())
	p, _ := strconv.Atoi(port)
	pw := f.Password()
	return Target{Name: d.Name(), Host: host, Port: p, User: f.User(),
		Password:   func(context.Context) (string, error) { return pw, nil },
		KnownHosts: kh, DialTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second, Keepalive: time.Second}
}

func open(t *testing.T, tg Target) (*Client, *Session) {
	t.Helper()
	ctx := context.Background()
	c, err := Dial(ctx, tg)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	s, err := c.Open(ctx)
	if err != nil {
		_ = c.Close()
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close(); _ = c.Close() })
	return c, s
}

// newKey returns a fresh ed25519 signer and its OpenSSH PEM encoding.
func newKey(t *testing.T) (ssh.Signer, ed25519.PrivateKey, []byte) {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	blk, err := ssh.MarshalPrivateKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	return s, priv, pem.EncodeToMemory(blk)
}

// serveAgent serves kr on a unix socket in a temp dir and points
// SSH_AUTH_SOCK at it.
func serveAgent(t *testing.T, kr agent.Agent) {
	t.Helper()
	dir, err := os.MkdirTemp("", "ag")
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "a.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	testnet.ServeAll(t, ln, func(c net.Conn, _ *sync.WaitGroup) { _ = agent.ServeAgent(kr, c) })
	t.Setenv("SSH_AUTH_SOCK", sock)
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
}

// proxy forwards TCP to target until frozen (stops moving bytes both ways
// without closing: a dead peer) or closed.
type proxy struct {
	ln      net.Listener
	target  string
	mu      sync.Mutex
	frozen  bool
	refuseN int
	count   int
	conns   []net.Conn
	wg      sync.WaitGroup
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	t.Cleanup(p.close)
	return p
}

func (p *proxy) addr() (string, int) {
	a := p.ln.Addr().(*net.TCPAddr)
	return a.IP.String(), a.Port
}

func (p *proxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.count++
		refuse := p.refuseN > 0
		if refuse {
			p.refuseN--
		}
		p.mu.Unlock()
		if refuse {
			_ = c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			_ = c.Close()
			continue
		}
		p.mu.Lock()
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		p.wg.Add(2)
		go p.pipe(c, u)
		go p.pipe(u, c)
	}
}

func (p *proxy) pipe(dst, src net.Conn) {
	defer p.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		p.mu.Lock()
		frozen := p.frozen
		p.mu.Unlock()
		if n > 0 && !frozen {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			if err != io.EOF {
				return
			}
			_ = dst.Close()
			return
		}
	}
}

// kill closes the connections made so far; new ones are still accepted.
func (p *proxy) kill() {
	p.mu.Lock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.conns = nil
	p.mu.Unlock()
}

// refuse makes the next n connections close right after accept.
func (p *proxy) refuse(n int) {
	p.mu.Lock()
	p.refuseN = n
	p.mu.Unlock()
}

func (p *proxy) accepted() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.count
}

func (p *proxy) freeze() {
	p.mu.Lock()
	p.frozen = true
	p.mu.Unlock()
}

func (p *proxy) close() {
	_ = p.ln.Close()
	p.mu.Lock()
	for _, c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// jumpServer is a minimal OpenSSH-like bastion: password auth and
// direct-tcpip forwarding only.
type jumpServer struct {
	ln     net.Listener
	signer ssh.Signer
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []net.Conn
	dialed []string
}

func newJumpServer(t *testing.T, password string) *jumpServer {
	t.Helper()
	signer, _, _ := newKey(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	j := &jumpServer{ln: ln, signer: signer}
	cfg := &ssh.ServerConfig{PasswordCallback: func(c ssh.ConnMetadata, p []byte) (*ssh.Permissions, error) {
		if string(p) == password {
			return nil, nil
		}
		return nil, io.EOF
	}}
	cfg.AddHostKey(signer)
	j.wg.Add(1)
	go func() {
		defer j.wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			j.track(nc)
			j.wg.Add(1)
			go func() { defer j.wg.Done(); j.serve(nc, cfg) }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		j.mu.Lock()
		for _, c := range j.conns {
			_ = c.Close()
		}
		j.mu.Unlock()
		j.wg.Wait()
	})
	return j
}

func (j *jumpServer) track(c net.Conn) {
	j.mu.Lock()
	j.conns = append(j.conns, c)
	j.mu.Unlock()
}

func (j *jumpServer) serve(nc net.Conn, cfg *ssh.ServerConfig) {
	_, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		return
	}
	j.wg.Add(1)
	go func() { defer j.wg.Done(); ssh.DiscardRequests(reqs) }()
	for nch := range chans {
		if nch.ChannelType() != "direct-tcpip" {
			_ = nch.Reject(ssh.UnknownChannelType, "only direct-tcpip")
			continue
		}
		var req struct {
			Host     string
			Port     uint32
			OrigHost string
			OrigPort uint32
		}
		if err := ssh.Unmarshal(nch.ExtraData(), &req); err != nil {
			_ = nch.Reject(ssh.ConnectionFailed, "bad request")
			continue
		}
		addr := net.JoinHostPort(req.Host, strconv.Itoa(int(req.Port)))
		up, err := net.Dial("tcp", addr)
		if err != nil {
			_ = nch.Reject(ssh.ConnectionFailed, err.Error())
			continue
		}
		j.track(up)
		j.mu.Lock()
		j.dialed = append(j.dialed, addr)
		j.mu.Unlock()
		ch, creqs, err := nch.Accept()
		if err != nil {
			_ = up.Close()
			continue
		}
		j.wg.Add(3)
		go func() { defer j.wg.Done(); ssh.DiscardRequests(creqs) }()
		go func() { defer j.wg.Done(); _, _ = io.Copy(ch, up); _ = ch.Close() }()
		go func() { defer j.wg.Done(); _, _ = io.Copy(up, ch); _ = up.Close() }()
	}
}
