// Package scanbench is the measuring harness of issue #8: the floor (bare
// SSH handshakes plus one command each), the command list the parallel-ssh
// peer sends, and the simulated fleets the benchmarks scan.
package scanbench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// FloorOptions describe one floor run: what any SSH scanner must at least
// do against the fleet (connect, authenticate, run one command, close).
type FloorOptions struct {
	Addrs       []string // host:port, one per device
	User        string
	Password    string
	KnownHosts  string // host keys are checked, as ftktui does
	Concurrency int
	Command     string        // default "get system status"
	Timeout     time.Duration // per device; default 2m
}

// FloorResult is what a floor run achieved.
type FloorResult struct {
	OK, Failed int
	Elapsed    time.Duration
	FirstErr   error
}

// Floor dials every address with at most Concurrency in flight, runs one
// command on each over an exec channel and closes. It returns when every
// device is done or ctx ends.
func Floor(ctx context.Context, o FloorOptions) (FloorResult, error) {
	if o.Concurrency < 1 {
		return FloorResult{}, errors.New("floor: concurrency must be at least 1")
	}
	if o.Command == "" {
		o.Command = "get system status"
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	hk, err := knownhosts.New(o.KnownHosts)
	if err != nil {
		return FloorResult{}, fmt.Errorf("floor: known_hosts %s: %w", o.KnownHosts, err)
	}
	cfg := &ssh.ClientConfig{
		User:            o.User,
		Auth:            []ssh.AuthMethod{ssh.Password(o.Password)},
		HostKeyCallback: hk,
		// Offer only what the device is known by, as OpenSSH and ftktui do.
		HostKeyAlgorithms: []string{ssh.KeyAlgoED25519},
		Timeout:           o.Timeout,
	}
	start := time.Now()
	var mu sync.Mutex
	var res FloorResult
	sem := make(chan struct{}, o.Concurrency)
	var wg sync.WaitGroup
	for _, a := range o.Addrs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return res, ctx.Err()
		}
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			defer func() { <-sem }()
			err := floorOne(ctx, addr, cfg, o.Command, o.Timeout)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				res.Failed++
				if res.FirstErr == nil {
					res.FirstErr = err
				}
				return
			}
			res.OK++
		}(a)
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	return res, nil
}

// floorOne is one bare handshake plus one command.
func floorOne(ctx context.Context, addr string, cfg *ssh.ClientConfig, cmd string, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("floor dial %s: %w", addr, err)
	}
	// Closing the socket is what unblocks a handshake or read on ctx end.
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	defer conn.Close()
	c, chans, reqs, err := ssh.NewClientConn(conn, addr, cfg)
	if err != nil {
		return fmt.Errorf("floor handshake %s: %w", addr, err)
	}
	cl := ssh.NewClient(c, chans, reqs)
	defer cl.Close()
	s, err := cl.NewSession()
	if err != nil {
		return fmt.Errorf("floor session %s: %w", addr, err)
	}
	defer s.Close()
	out, err := s.Output(cmd)
	if err != nil {
		return fmt.Errorf("floor %q on %s: %w", cmd, addr, err)
	}
	if len(out) == 0 {
		return fmt.Errorf("floor %q on %s: empty output", cmd, addr)
	}
	return nil
}

// ReadHosts reads a hosts.txt (one host:port a line, # comments).
func ReadHosts(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("hosts file: %w", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("hosts file %s: %w", path, err)
	}
	return out, nil
}
