package device

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device/internal/wireshell"
	"github.com/ftktui/ftktui/parse"
)

// debugShell is a unit whose prompt shows an HA role, that prints debug
// output every few ms once armed, and whose debug duration lasts 30
// scaled minutes.
func debugShell(idle, minute time.Duration) *wireShell {
	return &wireShell{Prompt: fixedPrompt("FW-1(Primary) # "), Idle: idle, DebugEvery: 5 * time.Millisecond, Minute: minute,
		Cut: wireshell.RandomCuts(5), Output: func(cmd string) []string {
			if cmd == CmdSystemStatus {
				return statusLines("FW-1")
			}
			return nil
		}}
}

// collect reads the stream for d and returns what came, with arrival times.
func collect(ds *DebugStream, d time.Duration) (lines []parse.DebugLine, at []time.Time) {
	end := time.After(d)
	for {
		select {
		case l, ok := <-ds.Lines():
			if !ok {
				return
			}
			lines, at = append(lines, l), append(at, time.Now())
		case <-end:
			return
		}
	}
}

// TestDebugKeepaliveOutlivesIdleTimeout: a capture three times longer than
// the admin idle timeout keeps receiving lines to the end (FortiOS does not
// count output as activity; the invisible keystroke does), and neither the
// keystroke's echo nor the prompt the first line is glued to reaches a line.
func TestDebugKeepaliveOutlivesIdleTimeout(t *testing.T) {
	const idle = 400 * time.Millisecond
	w := debugShell(idle, time.Hour)
	tg := startWire(t, w)
	ds, err := StartDebug(context.Background(), tg, DebugOptions{Apps: []string{AppForticldd}, Keepalive: idle / 5})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	lines, at := collect(ds, 3*idle)
	if err := ds.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if w.TimedOut() {
		t.Fatal("the unit logged the capture out for inactivity")
	}
	if len(lines) < 50 || at[len(at)-1].Sub(t0) < 3*idle-100*time.Millisecond {
		t.Fatalf("%d lines, the last after %s: the capture did not last 3 idle timeouts", len(lines), at[len(at)-1].Sub(t0))
	}
	if ds.keepalives.Load() < 5 {
		t.Fatalf("%d keepalives in 3 idle timeouts", ds.keepalives.Load())
	}
	for i, l := range lines {
		if strings.ContainsAny(l.Raw, "\b\r") || strings.TrimSpace(l.Raw) == "" || strings.Contains(l.Raw, "FW-1(") || strings.HasPrefix(l.Raw, "ftktui:") {
			t.Fatalf("line %d %q: not a clean debug line", i, l.Raw)
		}
		if !strings.HasPrefix(l.Raw, "2026-12-02 14:00:00 [37] fds_queue_task: req-") || l.Source != parse.SourceForticldd {
			t.Fatalf("line %d %q (source %v) cut or mangled", i, l.Raw, l.Source)
		}
	}
	if cmds, _, strays, _ := w.Stats(); strays != 0 || !cmdsClean(cmds) {
		t.Fatalf("keepalive left input behind: strays %d, commands %q", strays, cmds)
	}
}

// cmdsClean: every command the unit received is one of ours, unchanged.
func cmdsClean(cmds []string) bool {
	for _, c := range cmds {
		if c != strings.TrimSpace(c) || strings.ContainsAny(c, "\b") {
			return false
		}
	}
	return true
}

// TestDebugDurationExpiryNoticeAndRearm: when the duration announced at
// arm time runs out the stream says so in a notice, re-arms, and lines
// come again.
func TestDebugDurationExpiryNoticeAndRearm(t *testing.T) {
	const minute = 15 * time.Millisecond // 30 "minutes" = 450 ms
	w := debugShell(0, minute)
	tg := startWire(t, w)
	ds, err := StartDebug(context.Background(), tg, DebugOptions{Apps: []string{AppForticldd}, MinuteLength: minute, Keepalive: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	lines, _ := collect(ds, 1200*time.Millisecond)
	if err := ds.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	expired, rearmed, after := -1, -1, 0
	for i, l := range lines {
		switch {
		case expired < 0 && l.Raw == "ftktui: debug duration of 30 min expired on wire — re-arm":
			expired = i
		case expired >= 0 && rearmed < 0 && strings.HasPrefix(l.Raw, "ftktui: re-armed debug on wire (on for 30 more minutes)"):
			rearmed = i
		case rearmed >= 0 && strings.Contains(l.Raw, "fds_queue_task"):
			after++
		}
	}
	if expired < 0 || rearmed < 0 || after < 10 {
		t.Fatalf("expiry notice at %d, re-arm notice at %d, %d lines after it; lines %q", expired, rearmed, after, rawOf(lines))
	}
	if ds.rearms.Load() < 1 {
		t.Fatal("no re-arm counted")
	}
	cmds, _, _, _ := w.Stats()
	if n := strings.Count(strings.Join(cmds, "\n"), "diagnose debug application forticldd 255"); n < 2 {
		t.Fatalf("arm line sent %d times, want a re-arm: %q", n, cmds)
	}
	if cmds[len(cmds)-1] == "exit" {
		cmds = cmds[:len(cmds)-1]
	}
	if last := cmds[len(cmds)-2:]; last[0] != "diagnose debug disable" || last[1] != "diagnose debug reset" {
		t.Fatalf("not disarmed at the end: %q", cmds)
	}
}

func rawOf(ls []parse.DebugLine) []string {
	var out []string
	for _, l := range ls {
		if !strings.Contains(l.Raw, "fds_queue_task") {
			out = append(out, l.Raw)
		}
	}
	return out
}

// The keepalive's echoed space, interleaved with streaming debug, never
// stays in front of a timestamped line; other lines keep their indent.
func TestDebugTextDropsInterleavedKeepaliveSpace(t *testing.T) {
	for in, want := range map[string]string{
		" 2026-12-02 14:00:00 [37] fds_queue_task: req-1":  "2026-12-02 14:00:00 [37] fds_queue_task: req-1",
		"  2026-12-02 14:00:00 [37] fds_queue_task: req-2": "2026-12-02 14:00:00 [37] fds_queue_task: req-2",
		"\b2026-12-02 14:00:00 [37] x":                     "2026-12-02 14:00:00 [37] x",
		"  Host: fortinet-ca2.fortinet.com":                "  Host: fortinet-ca2.fortinet.com",
	} {
		if got, ok := debugText(in, nil); !ok || got != want {
			t.Errorf("debugText(%q) = %q, want %q", in, got, want)
		}
	}
}
