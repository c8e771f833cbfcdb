package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// debugCmd is `ftktui debug`: a headless tail of one device's debug output.
type debugCmd struct {
	Device string        `name:"device" required:"" placeholder:"NAME" predictor:"device" help:"The device to tail."`
	Apps   string        `name:"apps" default:"forticldd,fortitoken,alertmail" help:"Applications to arm."`
	For    time.Duration `name:"for" help:"Stop after this long (default: until Ctrl-C)."`
}

// Run tails until Ctrl-C/SIGTERM/SIGHUP or --for; the device is always left
// with debug disabled and reset.
func (c *debugCmd) Run(ctx context.Context, g *Globals) error {
	// `ftktui debug … | head` closes stdout while debug is armed: SIGPIPE
	// would kill the process before it disarms; take EPIPE instead.
	signal.Ignore(syscall.SIGPIPE)
	apps, err := parseApps(c.Apps)
	if err != nil {
		return err
	}
	inv, err := g.inventoryFor(c.Device)
	if err != nil {
		return err
	}
	e, closeAudit, err := g.engine(inv)
	if err != nil {
		return err
	}
	defer closeAudit()
	if c.For > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.For)
		defer cancel()
	}
	stream, err := e.Debug(ctx, c.Device, apps)
	if err != nil {
		return fmt.Errorf("debug %s: %w", c.Device, err)
	}
	fmt.Fprintf(os.Stderr, "ftktui: debug armed on %s (%s); Ctrl-C stops and resets it\n", c.Device, strings.Join(apps, ", "))
	var outErr error
	for l := range stream.Lines() {
		if _, err := fmt.Fprintf(os.Stdout, "%-10s %s\n", l.Source, parse.DebugText(l.Raw)); err != nil {
			outErr = err
			break
		}
	}
	closeErr := stream.Close()
	if closeErr != nil {
		return fmt.Errorf("disarm debug on %s: %w", c.Device, closeErr)
	}
	fmt.Fprintf(os.Stderr, "ftktui: debug disabled and reset on %s\n", c.Device)
	if outErr != nil {
		return fmt.Errorf("debug %s: cannot write the lines (%w); stopped", c.Device, outErr)
	}
	if err := stream.Err(); err != nil && ctx.Err() == nil {
		return fmt.Errorf("debug %s: %w", c.Device, err)
	}
	return nil
}

var knownApps = map[string]bool{"forticldd": true, "fortitoken": true, "alertmail": true}

func parseApps(s string) ([]string, error) {
	var apps []string
	for _, a := range strings.Split(s, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !knownApps[a] {
			return nil, usageErr("--apps: unknown application %q (known: forticldd, fortitoken, alertmail)", a)
		}
		apps = append(apps, a)
	}
	if len(apps) == 0 {
		return nil, usageErr("--apps: no application given")
	}
	return apps, nil
}
