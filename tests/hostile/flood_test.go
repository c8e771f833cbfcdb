package hostile

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ftktui/ftktui/device"
	"github.com/ftktui/ftktui/tests/testkit"
	"golang.org/x/crypto/ssh"
)

// floodLimit is the heap growth a single hostile session may cause: the
// per-command output cap (device.MaxOutput) plus working copies.
const floodLimit = 3*device.MaxOutput + 16<<20

// debugFloodLimit is the bound for a flooding debug stream nobody reads.
const debugFloodLimit = 8 * device.MaxOutput

// flood writes chunk until the client goes away or n bytes were sent.
func flood(w ssh.Channel, chunk []byte, n int64) bool {
	var sent int64
	for sent < n {
		k, err := w.Write(chunk)
		if err != nil {
			return false
		}
		sent += int64(k)
	}
	return true
}

// A device that answers one command with an endless stream — one huge line
// or endless short lines, never a prompt — cannot exhaust memory: Run
// fails with a typed error and the heap stays bounded.
func TestFloodedOutputBounded(t *testing.T) {
	total := int64(96 << 20)
	if *testkit.Long {
		total = 1 << 30
	}
	cases := []struct {
		name  string
		chunk []byte
	}{
		{"huge line", bytes.Repeat([]byte("A"), 256<<10)},
		{"endless lines", bytes.Repeat([]byte("FTK2000000000001  0  new\r\n"), 8<<10)},
		{"prompt-like noise", bytes.Repeat([]byte("FGT-HOSTILE #x\r\n--More-- "), 8<<10)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
				return flood(w, c.chunk, total) && false
			}))
			ctx := context.Background()
			sess := openHostile(t, s, 4*time.Second)
			hw := watchHeap()
			start := time.Now()
			out, err := sess.Run(ctx, "diagnose fortitoken info")
			grew := hw.growth()
			if err == nil {
				t.Fatalf("a never-ending answer was accepted (%d bytes)", len(out))
			}
			if !errors.Is(err, device.ErrOutputTooLarge) && !errors.Is(err, device.ErrTimeout) && !errors.Is(err, device.ErrConnLost) {
				t.Errorf("untyped error for a flood: %v", err)
			}
			if el := time.Since(start); el > 15*time.Second {
				t.Errorf("Run took %s against a flood", el)
			}
			if grew > floodLimit {
				t.Errorf("heap grew by %d MiB during the flood (limit %d MiB)", grew>>20, floodLimit>>20)
			}
			t.Logf("%s: %v after %s, heap +%d MiB", c.name, err, time.Since(start).Round(time.Millisecond), grew>>20)
		})
	}
}

// A debug stream whose device floods huge debug lines while the consumer
// reads nothing: memory stays bounded by the channel buffer times the line
// cap (4,096 × 8 KiB), not by the lines' original size, and Close still
// disarms.
func TestDebugFloodBounded(t *testing.T) {
	var armed, disarmed, paused atomic.Bool
	var wmu sync.Mutex // x/crypto channels take one writer at a time
	write := func(w ssh.Channel, b []byte) error {
		wmu.Lock()
		defer wmu.Unlock()
		_, err := w.Write(b)
		return err
	}
	line := append(bytes.Repeat([]byte("x"), 1<<20), "\r\n"...) // 1 MiB lines, 128 times the line cap
	s := testkit.StartHostile(t, t.TempDir(), scripted(true, func(w ssh.Channel, cmd string) bool {
		switch {
		case cmd == "diagnose debug enable":
			armed.Store(true)
			if err := write(w, []byte(cmd+"\r\n"+prompt)); err != nil {
				return false
			}
			// Flood until the client disables debug (the reader below
			// stops us by closing) or goes away.
			go func() {
				for !disarmed.Load() {
					if paused.Load() {
						time.Sleep(10 * time.Millisecond)
						continue
					}
					if err := write(w, line); err != nil {
						return
					}
				}
			}()
			return true
		case cmd == "diagnose debug disable":
			disarmed.Store(true)
		case cmd == "diagnose debug reset" && disarmed.Load():
			time.Sleep(50 * time.Millisecond) // let the flood writer notice
		}
		return write(w, []byte(cmd+"\r\n"+prompt)) == nil
	}))
	hw := watchHeap()
	// The default buffer, as the TUI and `ftktui debug` use it (4,096 lines).
	ds, err := device.StartDebug(context.Background(), hostileTarget(s, "admin", 3*time.Second), device.DebugOptions{})
	if err != nil {
		t.Fatal(err)
	}
	hold := 1500 * time.Millisecond
	if *testkit.Long {
		hold = 15 * time.Second
	}
	// Nobody reads: the stream must drop lines, not grow. With -long, after
	// a warm-up third (buffers filling), the last third may not need more
	// memory than the middle one.
	time.Sleep(hold / 3)
	warm := hw.split()
	time.Sleep(hold / 3)
	first := max(hw.split(), warm)
	time.Sleep(hold / 3)
	grew := hw.growth()
	if *testkit.Long && grew > first+16<<20 {
		t.Errorf("heap keeps growing under a debug flood: peak +%d MiB in the middle third, +%d MiB in the last", first>>20, grew>>20)
	}
	grew = max(grew, first)
	if !armed.Load() {
		t.Fatal("debug was never enabled")
	}
	// What does one queued line keep alive? Pause the flood, let the
	// stream take in what is in flight, then compare the heap with the
	// queue full and drained. A cut line must not pin its original size.
	paused.Store(true)
	queued := settledQueue(ds, 500*time.Millisecond, 10*time.Second)
	full := testkit.Heap()
	for range queued {
		<-ds.Lines()
	}
	drained := testkit.Heap()
	if queued == 0 {
		t.Fatal("no debug line was queued: the flood never reached the stream")
	}
	if full > drained {
		if per := (full - drained) / uint64(queued); per > 4*8<<10 {
			t.Errorf("each queued debug line keeps %d KiB alive (%d lines, %d MiB); a line is cut at 8 KiB, so a hostile device with long lines multiplies memory by the buffer size (4,096)",
				per>>10, queued, (full-drained)>>20)
		}
	}
	done := make(chan error, 1)
	go func() { done <- ds.Close() }()
	select {
	case err := <-done:
		if err != nil && !strings.Contains(err.Error(), "disarm") {
			t.Logf("Close: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Close hung against a flooding device")
	}
	if !disarmed.Load() {
		t.Error("debug disable never reached the flooding device")
	}
	// The stream's own bound is looser than one command's: the shell
	// buffer (MaxOutput), the chunk being split and its string copy, and
	// queued lines that still reference that copy (see SECURITY.md limits).
	if limit := uint64(debugFloodLimit); grew > limit {
		t.Errorf("heap grew by %d MiB under a debug flood (limit %d MiB)", grew>>20, limit>>20)
	}
	t.Logf("debug flood: heap +%d MiB, %d lines dropped", grew>>20, ds.Dropped())
}

// settledQueue waits until the stream's queue has not grown for quiet (the
// paused flood's last write, possibly still in the SSH window or the shell
// buffer under a loaded machine, has been cut into queued lines), at most
// limit, and returns its length. Measuring before that counts raw bytes
// still in flight as memory the queued lines keep.
func settledQueue(ds *device.DebugStream, quiet, limit time.Duration) int {
	n, since := len(ds.Lines()), time.Now()
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if m := len(ds.Lines()); m != n {
			n, since = m, time.Now()
		} else if time.Since(since) >= quiet {
			break
		}
	}
	return n
}
