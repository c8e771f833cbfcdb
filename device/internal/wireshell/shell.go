// Package wireshell is the hostile FortiOS shell the device and channel
// tests talk to, at the byte level and without the simulator: package
// device serves it over SSH and over pipes, package channel over pipes.
// Only tests import it.
package wireshell

import (
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"time"
)

// Shell is a FortiOS-like PTY shell for wire-level tests, written apart
// from the simulator because it must be exactly as hostile as a real unit
// at the byte level,
// whatever the simulator does: every write can be cut into pieces with
// gaps (every packet boundary), the pager's erase is written alone, the
// prompt can change form (HA role after a failover), and it counts what a
// correct client must never do (type ahead while a command runs, answer a
// pager twice).
type Shell struct {
	Prompt   func(n int) string        // the prompt after n commands
	Output   func(cmd string) []string // the answer to cmd (called before the prompt that follows it)
	PageRows int                       // lines per page; 0 = no pager
	Cut      func(b []byte) []int      // cut offsets of one write (nil = whole)
	Gap      time.Duration             // pause between the pieces of a write
	Banner   string                    // written before the first prompt
	// AwaitBannerKey makes the first prompt wait for the single `a` (no
	// Enter) that accepts the banner, as FortiOS's post-login banner does.
	AwaitBannerKey bool
	// Idle is the admin idle timeout: no input for this long and the shell
	// prints "Timeout" and closes (output does not count). 0 = never.
	Idle time.Duration
	// DebugEvery > 0 makes the shell a debug target: arm lines announce
	// "Debug messages will be on for 30 minutes." (a minute lasting
	// Minute), and once enabled a debug line is printed every DebugEvery
	// until the duration runs out; the first one lands on the prompt's line.
	DebugEvery time.Duration
	Minute     time.Duration

	wmu        sync.Mutex // one write at a time (debug output is asynchronous)
	mu         sync.Mutex
	lastInput  time.Time
	debugOn    bool
	armedUntil time.Time
	debugSeq   int
	timedOut   bool
	cmds       []string
	typedAhead int // bytes received while a command ran (not as a pager key)
	strays     int // lines received that are not a command of ours (a stray pager key)
	pagerKeys  int
}

// Stats is what the shell received: the command lines, the bytes typed
// ahead while a command ran, the stray lines and the pager keys.
func (w *Shell) Stats() (cmds []string, typedAhead, strays, keys int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.cmds...), w.typedAhead, w.strays, w.pagerKeys
}

// TimedOut reports that the idle timeout logged the admin out.
func (w *Shell) TimedOut() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.timedOut
}

// write sends b in the pieces w.Cut chooses.
func (w *Shell) write(ch io.Writer, b string) bool {
	w.wmu.Lock()
	defer w.wmu.Unlock()
	var cuts []int
	if w.Cut != nil {
		cuts = w.Cut([]byte(b))
	}
	prev := 0
	for _, c := range append(cuts, len(b)) {
		if c <= prev || c > len(b) {
			continue
		}
		if _, err := ch.Write([]byte(b[prev:c])); err != nil {
			return false
		}
		prev = c
		if w.Gap > 0 && c < len(b) {
			time.Sleep(w.Gap)
		}
	}
	return true
}

// ByteByByte cuts a write at every byte.
func ByteByByte(b []byte) []int {
	cuts := make([]int, len(b))
	for i := range cuts {
		cuts[i] = i + 1
	}
	return cuts
}

// RandomCuts cuts writes at random offsets (seeded, replayable).
func RandomCuts(seed uint64) func([]byte) []int {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var mu sync.Mutex
	return func(b []byte) []int {
		mu.Lock()
		defer mu.Unlock()
		var cuts []int
		for i := 1; i < len(b); i++ {
			if r.IntN(8) == 0 {
				cuts = append(cuts, i)
			}
		}
		return cuts
	}
}

// Serve plays the shell on one channel until it closes.
func (w *Shell) Serve(ch io.ReadWriter) {
	in := make(chan byte, 4096)
	stop := make(chan struct{})
	defer close(stop)
	w.mu.Lock()
	w.lastInput = time.Now()
	w.mu.Unlock()
	if w.Idle > 0 || w.DebugEvery > 0 {
		go w.background(ch, stop)
	}
	go w.readInput(ch, in)
	first := w.Banner + w.Prompt(0)
	if w.AwaitBannerKey {
		first = w.Banner
	}
	if !w.write(ch, first) {
		return
	}
	var line []byte
	n := 0
	banner := w.AwaitBannerKey
	for b := range in {
		if banner && b == 'a' {
			banner = false
			if !w.write(ch, "\r\n"+w.Prompt(0)) {
				return
			}
			continue
		}
		if b == '\b' || b == 0x7f {
			if len(line) > 0 {
				line = line[:len(line)-1]
				if !w.write(ch, "\b \b") {
					return
				}
			}
			continue
		}
		if b != '\r' && b != '\n' {
			line = append(line, b)
			if !w.write(ch, string(b)) {
				return
			}
			continue
		}
		cmd := string(line)
		line = line[:0]
		if !w.write(ch, "\r\r\n") {
			return
		}
		if strings.TrimSpace(cmd) == "" {
			if !w.write(ch, w.Prompt(n)) {
				return
			}
			continue
		}
		w.mu.Lock()
		if cmd != strings.TrimSpace(cmd) {
			w.strays++
		}
		w.cmds = append(w.cmds, cmd)
		w.mu.Unlock()
		if cmd == "exit" {
			return
		}
		n++
		if !w.answer(ch, in, w.answerTo(strings.TrimSpace(cmd))) {
			return
		}
		// Whatever arrived while the command ran was typed ahead.
		for k := len(in); k > 0; k-- {
			w.mu.Lock()
			w.typedAhead++
			w.mu.Unlock()
			line = append(line, <-in)
		}
		if !w.write(ch, "\r\n"+w.Prompt(n)) {
			return
		}
	}
}

// readInput passes what the client types to in, one byte at a time, and
// notes the time of the last input (the idle timeout).
func (w *Shell) readInput(ch io.Reader, in chan<- byte) {
	defer close(in)
	buf := make([]byte, 512)
	for {
		n, err := ch.Read(buf)
		if n > 0 {
			w.mu.Lock()
			w.lastInput = time.Now()
			w.mu.Unlock()
		}
		for _, b := range buf[:n] {
			in <- b
		}
		if err != nil {
			return
		}
	}
}

// answer writes lines with the FortiOS pager: `--More-- ` alone, then,
// after the key, the erase alone, then the next page.
func (w *Shell) answer(ch io.Writer, in <-chan byte, lines []string) bool {
	rows := 0
	for i, l := range lines {
		if !w.write(ch, l+"\r\n") {
			return false
		}
		rows++
		if w.PageRows == 0 || rows < w.PageRows || i == len(lines)-1 {
			continue
		}
		rows = 0
		if !w.write(ch, "--More-- ") {
			return false
		}
		k, ok := <-in
		if !ok {
			return false
		}
		w.mu.Lock()
		w.pagerKeys++
		w.mu.Unlock()
		if !w.write(ch, "\r         \r") {
			return false
		}
		if k == 'q' {
			return true
		}
	}
	return true
}

// answerTo is the output of cmd: the debug commands when the shell is a
// debug target, else w.Output.
func (w *Shell) answerTo(cmd string) []string {
	if w.DebugEvery > 0 {
		w.mu.Lock()
		defer w.mu.Unlock()
		switch {
		case cmd == "diagnose debug application forticldd 255" || cmd == "diagnose fortitoken debug enable" ||
			cmd == "diagnose debug application alertmail -1":
			w.armedUntil = time.Now().Add(30 * w.Minute)
			return []string{"Debug messages will be on for 30 minutes."}
		case cmd == "diagnose debug enable":
			w.debugOn = true
			return nil
		case cmd == "diagnose debug disable":
			w.debugOn = false
			return nil
		case cmd == "diagnose debug reset":
			w.debugOn, w.armedUntil = false, time.Time{}
			return nil
		case strings.HasPrefix(cmd, "diagnose debug") || cmd == "config global" || cmd == "end":
			return nil
		}
	}
	if w.Output == nil {
		return nil
	}
	return w.Output(cmd)
}

// background prints debug lines and enforces the idle timeout.
func (w *Shell) background(ch io.Writer, stop <-chan struct{}) {
	tick := 5 * time.Millisecond
	if w.DebugEvery > 0 {
		tick = w.DebugEvery
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		w.mu.Lock()
		idle := w.Idle > 0 && time.Since(w.lastInput) > w.Idle
		emit := w.debugOn && time.Now().Before(w.armedUntil)
		if idle {
			w.timedOut = true
		}
		if emit {
			w.debugSeq++
		}
		seq := w.debugSeq
		w.mu.Unlock()
		if idle {
			_ = w.write(ch, "Timeout\r\nexit\r\n")
			if c, ok := ch.(io.Closer); ok {
				_ = c.Close()
			}
			return
		}
		if emit && !w.write(ch, fmt.Sprintf("2026-12-02 14:00:00 [37] fds_queue_task: req-%d is added to ftc\r\n", seq)) {
			return
		}
	}
}

// Conn is a Shell served over in-process pipes: what a client reads and
// writes, with every piece the shell writes arriving as one read (so each
// fragment cut is a real read boundary).
type Conn struct {
	Stdout io.Reader // the shell's output, as the client reads it
	Stdin  io.Writer // what the client types
	done   chan struct{}
	close  func()
}

// Pipe starts serving w over pipes until Close.
func (w *Shell) Pipe() *Conn {
	cr, sw := io.Pipe() // shell → client
	sr, cw := io.Pipe() // client → shell
	c := &Conn{Stdout: cr, Stdin: cw, done: make(chan struct{})}
	c.close = func() { _ = cw.Close(); _ = cr.Close() }
	go func() {
		defer close(c.done)
		w.Serve(struct {
			io.Reader
			io.Writer
		}{sr, sw})
		_ = sw.Close()
		_ = sr.Close()
	}()
	return c
}

// Close hangs up the client's side (the shell then stops serving).
func (c *Conn) Close() error { c.close(); return nil }

// Wait blocks until the shell has stopped serving.
func (c *Conn) Wait() { <-c.done }
