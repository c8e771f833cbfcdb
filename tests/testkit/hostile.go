package testkit

import (
	"crypto/ed25519"
	"crypto/rand"
	"net"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"

	"github.com/ftktui/ftktui/internal/testnet"
)

// HostilePassword is the only password a HostileServer accepts.
const HostilePassword = "hostile-pw"

// ShellHandler plays the device side of one PTY shell. user is the login
// name (tests key per-connection behaviour on it); the handler returns when
// it is done and the channel is then closed.
type ShellHandler func(user string, ch ssh.Channel)

// HostileServer is a minimal x/crypto/ssh server that answers a shell with
// whatever its handler writes: fuzzed bytes, floods, huge lines, silence.
// It exists to drive device.Dial/Open/Run against output no simulator
// state would ever produce.
type HostileServer struct {
	ln         net.Listener
	cfg        *ssh.ServerConfig
	handler    ShellHandler
	KnownHosts string // a known_hosts file trusting this server at Addr
	wg         sync.WaitGroup
	mu         sync.Mutex
	conns      map[net.Conn]struct{}
}

// StartHostile starts the server on loopback until Close (or test cleanup
// when t is not nil).
func StartHostile(t testing.TB, dir string, h ShellHandler) *HostileServer {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := ssh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PasswordCallback: func(c ssh.ConnMetadata, pw []byte) (*ssh.Permissions, error) {
			if string(pw) == HostilePassword {
				return nil, nil
			}
			return nil, errAuth
		},
	}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &HostileServer{ln: ln, cfg: cfg, handler: h, conns: map[net.Conn]struct{}{}}
	s.KnownHosts = filepath.Join(dir, "known_hosts_hostile")
	AddKnownHost(t, s.KnownHosts, ln.Addr().String(), signer.PublicKey())
	s.wg.Add(1)
	go s.serve()
	t.Cleanup(s.Close)
	return s
}

type authErr struct{}

func (authErr) Error() string { return "denied" }

var errAuth error = authErr{}

// Port is the server's port.
func (s *HostileServer) Port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *HostileServer) serve() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.conns[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go s.handle(c)
	}
}

func (s *HostileServer) handle(c net.Conn) {
	defer s.wg.Done()
	defer func() {
		_ = c.Close()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
	sc, chans, reqs, err := ssh.NewServerConn(c, s.cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			_ = nc.Reject(ssh.UnknownChannelType, "no")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		testnet.AwaitShell(creqs, &s.wg, func(typ string) bool {
			return typ == "pty-req" || typ == "shell" || typ == "window-change"
		})
		s.handler(sc.User(), ch)
		_ = ch.Close()
	}
}

// Close stops accepting, drops every connection and waits for handlers.
func (s *HostileServer) Close() {
	_ = s.ln.Close()
	s.mu.Lock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// WriteFileT writes a file for a test, failing it on error.
func WriteFileT(t testing.TB, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}
