package device

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/parse"
	"github.com/ftktui/ftktui/sim"
)

// viaProxy routes tg through a TCP proxy the test can kill or refuse.
func viaProxy(t *testing.T, d *sim.Device, tg Target) (Target, *proxy) {
	t.Helper()
	p := newProxy(t, d.Addr())
	tg.Host, tg.Port = p.addr()
	tg.KnownHosts = filepath.Join(t.TempDir(), "kh")
	tg.AcceptNewHostKeys = true
	return tg, p
}

// waitLine waits for a line matching ok, failing the test after limit.
func waitLine(t *testing.T, ch <-chan parse.DebugLine, limit time.Duration, ok func(parse.DebugLine) bool) parse.DebugLine {
	t.Helper()
	deadline := time.After(limit)
	for {
		select {
		case l, open := <-ch:
			if !open {
				t.Fatal("debug stream ended early")
			}
			if ok(l) {
				return l
			}
		case <-deadline:
			t.Fatalf("no matching debug line within %s", limit)
		}
	}
}

func assertDisarmed(t *testing.T, d *sim.Device, resetsBefore int) {
	t.Helper()
	st := d.State()
	if !st.DebugClean() || st.ResetCount <= resetsBefore {
		t.Fatalf("device not disarmed: clean=%v resets=%d (before %d) levels=%v ftk=%v", st.DebugClean(), st.ResetCount, resetsBefore, st.DebugLevels, st.FortitokenDebug)
	}
}

func TestDebugCloseDisarms(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	ds, err := StartDebug(bg, tg, DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	st := d.State()
	if !st.DebugEnabled || st.DebugLevels["forticldd"] != 255 || !st.FortitokenDebug || !st.ConsoleTimestamp || st.DebugLevels["alertmail"] != -1 {
		t.Fatalf("not armed: %+v", st)
	}
	l := waitLine(t, ds.Lines(), 6*time.Second, func(l parse.DebugLine) bool { return l.Source != parse.SourceOther || l.Func != "" })
	if l.Time.IsZero() || l.Func == "" {
		t.Fatalf("line not parsed: %+v", l)
	}
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ { // Close from several goroutines at once
		wg.Add(1)
		go func() { defer wg.Done(); _ = ds.Close() }()
	}
	wg.Wait()
	if err := ds.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	assertDisarmed(t, d, 0)
	for range ds.Lines() { // drained and closed
	}
	if ds.Err() != nil {
		t.Fatalf("Err after clean Close: %v", ds.Err())
	}
}

func TestDebugCancelDisarms(t *testing.T) {
	_, d, tg := one(t, sim.MultiVDOM)
	ctx, cancel := context.WithCancel(bg)
	ds, err := StartDebug(ctx, tg, DebugOptions{Apps: []string{AppFortitoken}})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	cmds := d.State().Commands
	gi, ei := slices.Index(cmds, "config global"), slices.Index(cmds, "diagnose debug enable")
	if gi < 0 || ei < gi {
		t.Fatalf("multi-VDOM debug not armed under config global: %q", cmds)
	}
	cancel()
	select {
	case <-ds.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("stream did not end after cancel")
	}
	assertDisarmed(t, d, 0)
	_ = ds.Close()
}

func TestDebugReconnectsAfterDrop(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	ptg, p := viaProxy(t, d, tg)
	ds, err := StartDebug(bg, ptg, DebugOptions{Apps: []string{AppForticldd}, reconnectAttempts: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	p.kill()
	waitLine(t, ds.Lines(), 10*time.Second, func(l parse.DebugLine) bool { return strings.Contains(l.Message, "reconnected") })
	if p.accepted() < 2 {
		t.Fatalf("no reconnect: %d connections", p.accepted())
	}
	if st := d.State(); !st.DebugEnabled || st.DebugLevels["forticldd"] != 255 {
		t.Fatalf("not re-armed after reconnect: %+v", st)
	}
	waitLine(t, ds.Lines(), 6*time.Second, func(l parse.DebugLine) bool { return l.Source == parse.SourceForticldd || l.Func != "" })
	if err := ds.Close(); err != nil {
		t.Fatal(err)
	}
	assertDisarmed(t, d, 0)
}

func TestDebugGivesUpAndStillDisarms(t *testing.T) {
	_, d, tg := one(t, sim.Healthy)
	ptg, p := viaProxy(t, d, tg)
	ds, err := StartDebug(bg, ptg, DebugOptions{Apps: []string{AppForticldd, AppFortitoken}, reconnectAttempts: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	p.refuse(2) // both reconnects fail; the disarm connection gets through
	p.kill()
	select {
	case <-ds.Done():
	case <-time.After(15 * time.Second):
		t.Fatal("stream did not end")
	}
	if ds.Err() == nil {
		t.Fatal("Err is nil after giving up")
	}
	assertDisarmed(t, d, 0)
}

func TestDebugFloodDropsOldest(t *testing.T) {
	_, d, tg := one(t, sim.Healthy, sim.FaultDebugFlood)
	ds, err := StartDebug(bg, tg, DebugOptions{Buffer: 64})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for ds.Dropped() == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond) // a consumer that never reads
	}
	if ds.Dropped() == 0 {
		t.Fatal("nothing dropped under a flood with a stalled consumer")
	}
	start := time.Now()
	if err := ds.Close(); err != nil {
		t.Fatalf("Close under flood: %v", err)
	}
	if time.Since(start) > 2*tg.CommandTimeout {
		t.Fatalf("Close took %s", time.Since(start))
	}
	assertDisarmed(t, d, 0)
}

func TestDebugRedactsActivationCodes(t *testing.T) {
	_, d, tg := one(t, sim.MobilePending)
	ds, err := StartDebug(bg, tg, DebugOptions{Apps: []string{AppAlertmail, AppFortitoken}})
	if err != nil {
		t.Fatal(err)
	}
	defer ds.Close()
	var mob string
	for _, tk := range d.State().Tokens {
		if parse.TokenKind(tk.Serial) == parse.TokenKindMobile && len(tk.Users) > 0 {
			mob = tk.Serial
			break
		}
	}
	_, s := open(t, tg)
	sc, _ := Provision(mob)
	if _, err := s.Exec(bg, sc); err != nil {
		t.Fatal(err)
	}
	l := waitLine(t, ds.Lines(), 8*time.Second, func(l parse.DebugLine) bool { return l.Source == parse.SourceAlertmail })
	var code string
	deadline := time.Now().Add(5 * time.Second)
	for code == "" && time.Now().Before(deadline) {
		if tk, ok := d.State().Token(mob); ok {
			code = tk.ActivationCode
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code == "" {
		t.Fatal("no activation code on the device after provisioning")
	}
	lines := []parse.DebugLine{l}
	drain := time.After(1500 * time.Millisecond)
collect:
	for {
		select {
		case x := <-ds.Lines():
			lines = append(lines, x)
		case <-drain:
			break collect
		}
	}
	for _, x := range lines {
		if strings.Contains(x.Raw, code) || strings.Contains(x.Message, code) {
			t.Fatalf("activation code leaked in debug line %q", x.Raw)
		}
	}
}
