// Command floor is the scan floor of issue #8: N bare SSH handshakes plus
// one command each, at a given concurrency, against a simulated fleet. It
// prints the elapsed time; exit 1 when any device failed.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ftktui/ftktui/bench/scanbench"
)

func main() {
	hosts := flag.String("hosts", "", "hosts.txt (host:port a line)")
	kh := flag.String("known-hosts", "", "known_hosts file")
	user := flag.String("user", "admin", "login")
	pwFile := flag.String("password-file", "", "file holding the password")
	conc := flag.Int("concurrency", 32, "devices at once")
	cmd := flag.String("command", "get system status", "the one command")
	timeout := flag.Duration("timeout", 2*time.Minute, "per device")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *hosts, *kh, *user, *pwFile, *conc, *cmd, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "floor:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, hosts, kh, user, pwFile string, conc int, cmd string, timeout time.Duration) error {
	addrs, err := scanbench.ReadHosts(hosts)
	if err != nil {
		return err
	}
	pw, err := os.ReadFile(pwFile)
	if err != nil {
		return fmt.Errorf("password file: %w", err)
	}
	r, err := scanbench.Floor(ctx, scanbench.FloorOptions{Addrs: addrs, User: user, Password: strings.TrimSpace(string(pw)),
		KnownHosts: kh, Concurrency: conc, Command: cmd, Timeout: timeout})
	if err != nil {
		return err
	}
	fmt.Printf("floor devices=%d ok=%d failed=%d elapsed_ms=%d\n", len(addrs), r.OK, r.Failed, r.Elapsed.Milliseconds())
	if r.Failed > 0 {
		return fmt.Errorf("%d devices failed, first: %w", r.Failed, r.FirstErr)
	}
	return nil
}
