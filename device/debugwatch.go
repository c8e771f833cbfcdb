package device

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// DefaultDebugCheck is how often a running stream checks, on a separate
// short connection, that the levels it armed are still set: `diagnose
// debug reset` from any other session (another ftktui, an admin, the GUI)
// is device-wide and silently stops the capture.
const DefaultDebugCheck = 20 * time.Second

// armedApps maps an arm line to the `diagnose debug info` level it sets.
func armedApps(arm []string) []string {
	var apps []string
	for _, l := range arm {
		switch {
		case strings.HasPrefix(l, "diagnose debug application forticldd"):
			apps = append(apps, AppForticldd)
		case strings.HasPrefix(l, "diagnose debug application alertmail"):
			apps = append(apps, AppAlertmail)
		case l == "diagnose fortitoken debug enable":
			apps = append(apps, AppFortitoken)
		}
	}
	return apps
}

// Check reads `diagnose debug info` on a fresh connection and returns the
// applications this stream armed whose level is now 0 (reset by someone).
// A stream that saw this once reports it through ExternallyReset.
func (d *DebugStream) Check(ctx context.Context) ([]string, error) {
	ctx, cancel := context.WithTimeout(ctx, d.t.dialTimeout()+3*d.t.commandTimeout())
	defer cancel()
	cli, err := Dial(ctx, d.t)
	if err != nil {
		return nil, fmt.Errorf("check debug levels: %w", err)
	}
	defer cli.Close()
	s, err := cli.Open(ctx)
	if err != nil {
		return nil, fmt.Errorf("check debug levels: %w", err)
	}
	defer s.Close()
	di, err := s.DebugInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("check debug levels: %w", err)
	}
	var gone []string
	for _, a := range armedApps(d.arm) {
		if di.Levels[a] == 0 {
			gone = append(gone, a)
		}
	}
	if len(gone) > 0 && !d.closed.Load() {
		d.reset.Store(true)
	}
	return gone, nil
}

// ExternallyReset reports whether a check found the armed levels cleared
// by another session while the stream ran: lines after that are missing.
func (d *DebugStream) ExternallyReset() bool { return d.reset.Load() }

// startWatch runs the periodic check until the returned stop is called;
// stop waits for it, so nothing is emitted after it returns.
func (d *DebugStream) startWatch(ctx context.Context) (stop func()) {
	if d.checkEvery <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(d.checkEvery)
		defer t.Stop()
		told := false
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			gone, err := d.Check(ctx)
			if err != nil || ctx.Err() != nil {
				continue
			}
			if len(gone) > 0 && !told {
				told = true
				d.emit(notice("debug was reset on the device by another session (`diagnose debug reset` is device-wide): " +
					strings.Join(gone, ", ") + " no longer armed, this capture receives nothing more; close and reopen it"))
			}
			if len(gone) == 0 {
				told = false
			}
		}
	}()
	return func() { cancel(); wg.Wait() }
}
