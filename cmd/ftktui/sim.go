package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/ftktui/ftktui/sim"
)

// simCmd is `ftktui sim`: the simulated fleet, standalone.
type simCmd struct {
	Devices  int           `name:"devices" default:"12" help:"Number of simulated devices."`
	Listen   string        `name:"listen" default:"127.0.0.1:0" help:"Loopback address; port 0 = any free port per device, else consecutive ports from PORT."`
	Out      string        `name:"out" placeholder:"DIR" help:"Write inventory.yaml, known_hosts and hosts.txt here."`
	Scenario []string      `name:"scenario" placeholder:"NAME" help:"Only these scenarios, cycled over the devices (repeatable)."`
	Seed     int64         `name:"seed" default:"1" help:"Seed for serials, hostnames and tokens."`
	Latency  time.Duration `name:"latency" help:"Extra delay before every command answer (round-trip realism)."`
	Fragment bool          `name:"fragment" help:"Cut every write into several packets at random offsets with 0-3 ms gaps (as TCP delivers a real unit's output)."`
	FragSeed int64         `name:"fragment-seed" placeholder:"N" help:"Seed of --fragment's cuts, to replay a run (0 = random; printed at start)."`
	Idle     time.Duration `name:"idle-timeout" help:"Admin idle timeout: a shell with no input this long prints Timeout and closes (0 = 5m, negative = never)."`
	DebugDur time.Duration `name:"debug-duration" help:"Real length of the default 30-minute debug window (0 = 30m)."`
	MaxSess  int           `name:"max-sessions" help:"Admin sessions each device allows at once (0 = unlimited)."`
	Timing   string        `name:"timing" default:"instant" enum:"instant,real" help:"Device clock: instant answers, or FortiOS's real durations (execute ping = repeat-count x interval, ping-options honoured, debug reset 1.5 s)."`
	RTT      time.Duration `name:"rtt" help:"WAN round trip applied to every byte each way, key exchange included (e.g. 100ms)."`
	Jitter   time.Duration `name:"jitter" help:"Vary the round trip by up to this much (with --rtt)."`
}

// Run starts the fleet, writes the files, prints the password and addresses,
// and runs until interrupted.
func (c *simCmd) Run(ctx context.Context) error {
	if c.Devices < 1 {
		return usageErr("--devices must be at least 1")
	}
	if err := loopbackOnly(c.Listen); err != nil {
		return err
	}
	scens, err := parseScenarios(c.Scenario)
	if err != nil {
		return err
	}
	if c.FragSeed != 0 && !c.Fragment {
		return usageErr("--fragment-seed needs --fragment")
	}
	timing, err := sim.ParseTiming(c.Timing)
	if err != nil {
		return usageErr("--timing: %v", err)
	}
	if c.RTT < 0 || c.Jitter < 0 {
		return usageErr("--rtt and --jitter must not be negative")
	}
	f, err := sim.Start(ctx, sim.Options{Devices: c.Devices, Listen: c.Listen, Scenarios: scens, Seed: c.Seed, Latency: c.Latency,
		Fragment: c.Fragment, FragmentSeed: c.FragSeed, IdleTimeout: c.Idle, DebugDuration: c.DebugDur, MaxSessions: c.MaxSess,
		Timing: timing, RTT: c.RTT, Jitter: c.Jitter})
	if err != nil {
		return fmt.Errorf("start simulator: %w", err)
	}
	defer f.Close()
	if c.Out != "" {
		if err := os.MkdirAll(c.Out, 0o700); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := f.WriteFiles(c.Out); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
	}
	fmt.Printf("FTKTUI_PASSWORD=%s\n", f.Password())
	if seed := f.FragmentSeed(); seed != 0 {
		fmt.Fprintf(os.Stderr, "ftktui sim: fragment mode, seed %d (--fragment-seed %d replays it)\n", seed, seed)
	}
	for _, d := range f.Devices() {
		fmt.Printf("%s %s %v\n", d.Addr(), d.Name(), d.Scenarios())
	}
	if c.Out != "" {
		fmt.Printf("wrote %s/inventory.yaml, known_hosts, hosts.txt\n", c.Out)
	}
	<-ctx.Done()
	fmt.Fprintln(os.Stderr, "ftktui sim: stopping")
	return nil
}

// loopbackOnly refuses to serve the simulator anywhere but loopback: it takes
// any password from anyone and must never look like a real firewall on a LAN.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErr("--listen %q: %v", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return usageErr("--listen %q: the simulator only listens on loopback (127.0.0.0/8 or ::1)", addr)
	}
	return nil
}

func parseScenarios(names []string) ([]sim.Scenario, error) {
	var out []sim.Scenario
	for _, n := range names {
		s, err := sim.ParseScenario(n)
		if err != nil {
			return nil, usageErr("--scenario: %v", err)
		}
		out = append(out, s)
	}
	return out, nil
}
