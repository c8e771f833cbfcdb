// Package testnet holds the loopback server plumbing that tests of several
// packages share (device's fake SSH and agent servers, tests/faults' TCP
// faults, tests/testkit's hostile SSH server). It imports nothing of ours, so
// device's own tests can use it without an import cycle.
package testnet

import (
	"net"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
)

// ServeAll accepts on ln until the test ends, running handle for each
// connection; cleanup closes the listener and every connection and waits
// for the handlers (handle may add its own goroutines to wg).
func ServeAll(t testing.TB, ln net.Listener, handle func(c net.Conn, wg *sync.WaitGroup)) {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); handle(c, &wg) }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
}

// AwaitShell answers a session channel's requests (ok decides each reply)
// on a goroutine counted in wg, and returns once the client has asked for
// the shell, or has stopped asking anything.
func AwaitShell(reqs <-chan *ssh.Request, wg *sync.WaitGroup, ok func(typ string) bool) {
	shell := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		started := false
		for r := range reqs {
			if r.WantReply {
				_ = r.Reply(ok(r.Type), nil)
			}
			if r.Type == "shell" && !started {
				started = true
				close(shell)
			}
		}
		if !started {
			close(shell)
		}
	}()
	<-shell
}
