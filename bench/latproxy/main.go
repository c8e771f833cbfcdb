// Command latproxy puts a simulated round-trip time in front of a fleet
// written by bench/benchsim: one loopback TCP proxy per device that delays
// every chunk by half the RTT in each direction without serialising them
// (bytes sent back to back arrive back to back, RTT later), as a WAN link
// does. It writes a copy of the fleet files pointing at the proxies into
// -out, then runs until SIGINT/SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/ftktui/ftktui/bench/scanbench"
)

func main() {
	in := flag.String("in", "", "fleet directory written by benchsim")
	out := flag.String("out", "", "directory for the proxied fleet files")
	rtt := flag.Duration("rtt", 50*time.Millisecond, "round-trip time to add")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *in, *out, *rtt); err != nil {
		fmt.Fprintln(os.Stderr, "latproxy:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, in, out string, rtt time.Duration) error {
	if in == "" || out == "" {
		return errors.New("-in and -out are required")
	}
	addrs, err := scanbench.ReadHosts(filepath.Join(in, "hosts.txt"))
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	var pairs []string // old, new for strings.Replacer
	for _, a := range addrs {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listen: %w", err)
		}
		context.AfterFunc(ctx, func() { _ = ln.Close() })
		wg.Add(1)
		go func() { defer wg.Done(); serve(ctx, ln, a, rtt/2) }()
		_, oldPort, _ := net.SplitHostPort(a)
		_, newPort, _ := net.SplitHostPort(ln.Addr().String())
		pairs = append(pairs, "127.0.0.1:"+oldPort+"\n", "127.0.0.1:"+newPort+"\n",
			"[127.0.0.1]:"+oldPort+" ", "[127.0.0.1]:"+newPort+" ",
			"port: "+oldPort+"\n", "port: "+newPort+"\n")
	}
	if err := rewrite(in, out, strings.NewReplacer(pairs...)); err != nil {
		return err
	}
	fmt.Printf("proxies=%d rtt=%s\n", len(addrs), rtt)
	if err := os.WriteFile(filepath.Join(out, "ready"), nil, 0o600); err != nil {
		return fmt.Errorf("write ready: %w", err)
	}
	<-ctx.Done()
	return nil
}

// rewrite copies the fleet files with every device address replaced.
func rewrite(in, out string, r *strings.Replacer) error {
	if err := os.MkdirAll(out, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", out, err)
	}
	for _, name := range []string{"hosts.txt", "known_hosts", "inventory.yaml", "password"} {
		b, err := os.ReadFile(filepath.Join(in, name))
		if err != nil {
			return fmt.Errorf("read fleet file: %w", err)
		}
		s := string(b)
		if name == "inventory.yaml" {
			s = strings.ReplaceAll(s, filepath.Join(in, "known_hosts"), filepath.Join(out, "known_hosts"))
		}
		if err := os.WriteFile(filepath.Join(out, name), []byte(r.Replace(s)), 0o600); err != nil {
			return fmt.Errorf("write fleet file: %w", err)
		}
	}
	return nil
}

func serve(ctx context.Context, ln net.Listener, upstream string, oneWay time.Duration) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		wg.Add(1)
		go func() { defer wg.Done(); proxy(ctx, c, upstream, oneWay) }()
	}
}

func proxy(ctx context.Context, c net.Conn, upstream string, oneWay time.Duration) {
	defer c.Close()
	var d net.Dialer
	u, err := d.DialContext(ctx, "tcp", upstream)
	if err != nil {
		return
	}
	defer u.Close()
	stop := context.AfterFunc(ctx, func() { _ = c.Close(); _ = u.Close() })
	defer stop()
	done := make(chan struct{}, 2)
	go func() { delayed(c, u, oneWay); done <- struct{}{} }()
	go func() { delayed(u, c, oneWay); done <- struct{}{} }()
	<-done
	// One side ended: close both so the other copy ends too.
	_ = c.Close()
	_ = u.Close()
	<-done
}

type chunk struct {
	due time.Time
	b   []byte
}

// delayed copies src to dst, each chunk delivered oneWay after it was read.
func delayed(src, dst net.Conn, oneWay time.Duration) {
	q := make(chan chunk, 1024)
	go func() {
		defer close(q)
		for {
			buf := make([]byte, 32<<10)
			n, err := src.Read(buf)
			if n > 0 {
				q <- chunk{due: time.Now().Add(oneWay), b: buf[:n]}
			}
			if err != nil {
				return
			}
		}
	}()
	for ch := range q {
		time.Sleep(time.Until(ch.due))
		if _, err := dst.Write(ch.b); err != nil {
			_ = src.Close() // unblocks the reader, which then closes q
			for range q {   // drain so the reader can finish
			}
			return
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		_ = tc.CloseWrite()
	}
}
