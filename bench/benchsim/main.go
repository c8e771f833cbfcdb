// Command benchsim runs the simulated fleet the bench/ scripts scan: healthy
// devices with a fixed token count, a share of `slow` ones, optional latency
// and an authorized key for the parallel-ssh peer. It writes inventory.yaml,
// known_hosts, hosts.txt and password into -out, reports its start-up time
// and idle memory per device (issue #3), then serves until SIGINT/SIGTERM.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/ftktui/ftktui/bench/scanbench"
	"github.com/ftktui/ftktui/sim"
	"golang.org/x/crypto/ssh"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "benchsim:", err)
		os.Exit(1)
	}
}

func run() error {
	var o scanbench.FleetOptions
	flag.IntVar(&o.Devices, "devices", 1000, "number of simulated devices")
	flag.IntVar(&o.Tokens, "tokens", 20, "tokens per device")
	flag.IntVar(&o.SlowPct, "slow-pct", 0, "percentage of devices with the slow fault")
	flag.DurationVar(&o.Latency, "latency", 0, "sim latency added to every command answer")
	flag.Int64Var(&o.Seed, "seed", 1, "seed")
	slow := flag.Duration("slow-latency", 2*time.Second, "per-command latency of slow devices")
	out := flag.String("out", "", "directory for inventory.yaml, known_hosts, hosts.txt, password")
	authKey := flag.String("authorized-key", "", "public key file (OpenSSH format) the devices accept")
	cpuProfile := flag.String("cpuprofile", "", "write the simulator's CPU profile here (from ready to exit)")
	timing := flag.String("timing", "instant", "device clock: instant or real (FortiOS durations)")
	rtt := flag.Duration("rtt", 0, "WAN round trip inside the simulator, every byte each way")
	jitter := flag.Duration("jitter", 0, "round-trip jitter (with -rtt)")
	flag.Parse()
	if *out == "" {
		return fmt.Errorf("-out is required")
	}
	tm, err := sim.ParseTiming(*timing)
	if err != nil {
		return err
	}
	extra := sim.Options{SlowLatency: *slow, Timing: tm, RTT: *rtt, Jitter: *jitter}
	if *authKey != "" {
		b, err := os.ReadFile(*authKey)
		if err != nil {
			return fmt.Errorf("authorized key: %w", err)
		}
		k, _, _, _, err := ssh.ParseAuthorizedKey(b)
		if err != nil {
			return fmt.Errorf("authorized key %s: %w", *authKey, err)
		}
		extra.AuthorizedKeys = []ssh.PublicKey{k}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	t0 := time.Now()
	f, err := scanbench.StartFleet(ctx, o, extra)
	if err != nil {
		return err
	}
	startup := time.Since(t0)
	defer f.Close()
	runtime.GC()
	runtime.ReadMemStats(&m1)
	perDev := (float64(m1.HeapAlloc+m1.StackInuse) - float64(m0.HeapAlloc+m0.StackInuse)) / float64(o.Devices)

	if err := f.WriteFiles(*out); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "password"), []byte(f.Password()+"\n"), 0o600); err != nil {
		return fmt.Errorf("write password: %w", err)
	}
	fmt.Printf("devices=%d startup_ms=%d idle_bytes_per_device=%.0f\n", o.Devices, startup.Milliseconds(), perDev)
	// The ready file is written last: the scripts wait for it.
	if err := os.WriteFile(filepath.Join(*out, "ready"), nil, 0o600); err != nil {
		return fmt.Errorf("write ready: %w", err)
	}
	if *cpuProfile != "" {
		pf, err := os.Create(*cpuProfile)
		if err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer pf.Close()
		if err := pprof.StartCPUProfile(pf); err != nil {
			return fmt.Errorf("cpuprofile: %w", err)
		}
		defer pprof.StopCPUProfile()
	}
	<-ctx.Done()
	return nil
}
