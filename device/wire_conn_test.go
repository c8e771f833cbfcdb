package device

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/device/internal/wireshell"
	"github.com/ftktui/ftktui/internal/testnet"
	"github.com/ftktui/ftktui/parse"
)

// startWire serves w over SSH on 127.0.0.1 and returns a Target for it.
func startWire(t *testing.T, w *wireShell) Target {
	t.Helper()
	signer, _, _ := newKey(t)
	cfg := &ssh.ServerConfig{PasswordCallback: func(ssh.ConnMetadata, []byte) (*ssh.Permissions, error) { return nil, nil }}
	cfg.AddHostKey(signer)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	testnet.ServeAll(t, ln, func(nc net.Conn, wg *sync.WaitGroup) { serveWireConn(nc, cfg, w, wg) })
	kh := filepath.Join(t.TempDir(), "known_hosts")
	if err := os.WriteFile(kh, []byte(knownhosts.Line([]string{knownhosts.Normalize(ln.Addr().String())}, signer.PublicKey())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := ln.Addr().(*net.TCPAddr)
	return Target{Name: "wire", Host: "127.0.0.1", Port: a.Port, User: "admin",
		Password:   func(context.Context) (string, error) { return "pw", nil },
		KnownHosts: kh, DialTimeout: 5 * time.Second, CommandTimeout: 5 * time.Second, Keepalive: time.Second}
}

func serveWireConn(nc net.Conn, cfg *ssh.ServerConfig, w *wireShell, wg *sync.WaitGroup) {
	defer nc.Close()
	sc, chans, reqs, err := ssh.NewServerConn(nc, cfg)
	if err != nil {
		return
	}
	defer sc.Close()
	wg.Add(1)
	go func() { defer wg.Done(); ssh.DiscardRequests(reqs) }()
	// One shell per connection; further channels are refused.
	nch, ok := <-chans
	if !ok {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for extra := range chans {
			_ = extra.Reject(ssh.Prohibited, "one shell per connection")
		}
	}()
	ch, creqs, err := nch.Accept()
	if err != nil {
		return
	}
	testnet.AwaitShell(creqs, wg, func(string) bool { return true })
	w.Serve(ch)
	_ = ch.Close()
}

// statusLines is a `get system status` answer for host.
func statusLines(host string) []string {
	return []string{"Version: FortiGate-91G v7.6.7,build3401,250101 (GA.F)", "Serial-Number: FG91GTK000000001",
		"Hostname: " + host, "Operation Mode: NAT", "Current virtual domain: root", "Max number of virtual domains: 10",
		"Virtual domains status: 1 in NAT mode, 0 in TP mode", "Virtual domain configuration: disable",
		"FIPS-CC mode: disable", "Current HA mode: a-p, primary", "System time: Wed Dec  2 14:00:00 2026"}
}

// tokenLines is a `show user fortitoken` answer with n tokens.
func tokenLines(n int) []string {
	out := []string{"config user fortitoken"}
	for i := 0; i < n; i++ {
		out = append(out, `    edit "FTK2000000`+pad6(i)+`"`, "    next")
	}
	return append(out, "end")
}

func pad6(i int) string {
	s := "000000" + strconv.Itoa(i)
	return s[len(s)-6:]
}

// pipeSession is a Session wired to w through in-process pipes (no SSH),
// for fast property tests over packet boundaries: each piece w writes is
// one read on the client side, so every cut is a real read boundary.
func pipeSession(t testing.TB, w *wireShell) *Session {
	pc := w.Pipe()
	tg := Target{Name: "pipe", CommandTimeout: 2 * time.Second}
	cfg := channelConfig(&Client{}, tg)
	cfg.Abort = nil // no connection under the pipes
	s := &Session{c: &Client{}, t: tg, ch: channel.New(pc.Stdout, pc.Stdin, pc, cfg)}
	t.Cleanup(func() { _ = pc.Close(); _ = s.Close(); pc.Wait() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.ch.Login(ctx); err != nil {
		t.Fatalf("login: %v", err)
	}
	return s
}

// idleSession is a Session on a shell that has already ended, for what
// needs no conversation (the lines a script would send).
func idleSession(t testing.TB, tg Target, st parse.SystemStatus) *Session {
	s := &Session{c: &Client{}, t: tg, ch: channel.New(strings.NewReader(""), io.Discard, closerFunc(func() error { return nil }), channelConfig(&Client{}, tg))}
	s.setStatus(st)
	t.Cleanup(func() { _ = s.Close() })
	return s
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }

// wireShell is the hostile byte-level shell the wire tests serve.
type wireShell = wireshell.Shell
