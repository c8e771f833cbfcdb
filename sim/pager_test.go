package sim

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// wireLog records a device's logical writes per session.
type wireLog struct {
	mu     sync.Mutex
	writes []string
	chunks []string
}

func recordWire(d *Device) *wireLog {
	w := &wireLog{}
	d.hooks.Store(&wireHooks{
		write: func(_ uint64, b []byte) { w.mu.Lock(); w.writes = append(w.writes, string(b)); w.mu.Unlock() },
		chunk: func(_ uint64, b []byte) { w.mu.Lock(); w.chunks = append(w.chunks, string(b)); w.mu.Unlock() },
	})
	return w
}

func (w *wireLog) snapshot() ([]string, []string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.writes...), append([]string(nil), w.chunks...)
}

// TestPager: "--More-- " after PTY rows − 2 rows, the erase "\r" + 9 blanks
// + "\r" written on its own after the space, q back to the prompt,
// `| grep` and `set output standard` unpaged (fortios-wire.md §1).
func TestPager(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{Paged}}}})
	d := f.Devices()[0]
	w := recordWire(d)
	m := openTerm(t, dial(t, f, d), 10)
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	m.send("diagnose fortitoken info\n")
	var all strings.Builder
	pages := 0
	for {
		got, which, err := m.waitAny(3*time.Second, morePrompt, p)
		if err != nil {
			t.Fatal(err)
		}
		if which == p {
			all.WriteString(got)
			break
		}
		pages++
		// 10 rows: 8 rows of output per page (the first page also has the echo line)
		n := strings.Count(got, "\r\n")
		if pages == 1 {
			n--
		}
		if n != 8 {
			t.Fatalf("page %d has %d lines for 10 rows: %q", pages, n, got)
		}
		all.WriteString(strings.TrimSuffix(got, morePrompt))
		m.send(" ")
		if e := m.readUntil(moreErase, 3*time.Second); e != "\r         \r" {
			t.Fatalf("erase sequence = %q", e)
		}
	}
	if pages < 6 {
		t.Errorf("60 tokens in %d pages at 10 rows", pages)
	}
	if n := strings.Count(all.String(), "FTK"); n != 60 {
		t.Errorf("tokens seen through the pager = %d, want 60", n)
	}
	writes, _ := w.snapshot()
	erases := 0
	for i, wr := range writes {
		if strings.Contains(wr, "\r         \r") {
			erases++
			if wr != moreErase {
				t.Errorf("erase not written on its own: %q", wr)
			}
			if i == 0 || !strings.HasSuffix(writes[i-1], morePrompt) {
				t.Errorf("erase does not follow the pager prompt")
			}
		}
	}
	if erases != pages {
		t.Errorf("%d erases for %d pages", erases, pages)
	}
	// a very tall terminal still pages on the paged scenario
	tall := openTerm(t, dial(t, f, d), 500)
	tall.readUntil(p, 5*time.Second)
	tall.send("diagnose fortitoken info\n")
	if got, err := tall.waitFor(morePrompt, 3*time.Second); err != nil || strings.Count(got, "\r\n") != 23 {
		t.Errorf("500-row terminal: err=%v lines=%d", err, strings.Count(got, "\r\n"))
	}
	// q aborts the rest
	m.send("show user fortitoken\n")
	m.readUntil(morePrompt, 3*time.Second)
	m.send("q")
	if got := m.readUntil(p, 3*time.Second); got != moreErase+"\r\n"+p {
		t.Errorf("after q: %q", got)
	}
	// grep output is never paged
	raw := m.run("show user fortitoken | grep edit", p)
	if strings.Contains(raw, "--More--") || strings.Count(raw, "edit \"FTK") != 60 {
		t.Errorf("grep output paged or incomplete")
	}
	// set output standard turns the pager off (global console setting)
	m.run("config system console", d.Hostname()+" (console) # ")
	m.run("set output standard", d.Hostname()+" (console) # ")
	m.run("end", p)
	if raw := m.run("diagnose fortitoken info", p); strings.Contains(raw, "--More--") {
		t.Errorf("paged with output standard")
	}
	if d.State().ConsoleOutput != "standard" {
		t.Errorf("console output = %q", d.State().ConsoleOutput)
	}
}

// TestPagerFollowsWindow: the page is counted in physical rows of the PTY
// width (a wrapped line counts twice), and follows window-change.
func TestPagerFollowsWindow(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}, Tokens: 40}}})
	d := f.Devices()[0]
	c := dial(t, f, d)
	s, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	// 20 columns: each 31-character token line takes 2 rows
	if err := s.RequestPty("vt100", 10, 20, nil); err != nil {
		t.Fatal(err)
	}
	in, _ := s.StdinPipe()
	b := &syncBuf{ch: make(chan []byte, 4096)}
	s.Stdout = b
	if err := s.Shell(); err != nil {
		t.Fatal(err)
	}
	m := &term{t: t, in: in, buf: b, sess: s, ended: make(chan struct{})}
	go func() { m.endErr = s.Wait(); close(m.ended) }()
	t.Cleanup(func() { _ = s.Close(); m.drainUntilEnded(10 * time.Second) })
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	m.send("diagnose fortitoken info\n")
	got := m.readUntil(morePrompt, 3*time.Second)
	// echo, header (1 row), then token lines of 2 rows each: 1 + 3×2 = 7 ≤ 8
	if n := strings.Count(got, "FTK"); n != 3 {
		t.Errorf("first page at 20 columns holds %d token lines, want 3: %q", n, got)
	}
	if err := s.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	// the request is handled apart from the data: wait until it landed
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		d.mu.Lock()
		applied := false
		for ss := range d.sess {
			applied = applied || ss.rows.Load() == 40
		}
		d.mu.Unlock()
		if applied {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("window-change never applied")
		}
	}
	m.send(" ")
	m.readUntil(moreErase, 3*time.Second)
	got = m.readUntil(morePrompt, 3*time.Second)
	if n := strings.Count(got, "\r\n"); n != 38 {
		t.Errorf("page after window-change to 40 rows: %d lines", n)
	}
	m.send("q")
	m.readUntil(p, 3*time.Second)
}

// TestPagerTakesTypedAhead: a line typed ahead while output is paged
// gives its first character to the pager (fortios-wire.md §4).
func TestPagerTakesTypedAhead(t *testing.T) {
	f := startFleet(t, Options{Specs: []DeviceSpec{{Scenarios: []Scenario{Healthy}}}})
	d := f.Devices()[0]
	m := openTerm(t, dial(t, f, d), 20) // 18 rows: get system status (21 lines) pages once
	p := d.Hostname() + " # "
	m.readUntil(p, 5*time.Second)
	m.send("get system status\nget system status\n")
	first := m.readUntil(morePrompt, 3*time.Second)
	if !strings.HasPrefix(first, "get system status\r\r\nget system status\r\n") {
		t.Errorf("typed-ahead line not echoed at once: %q", first)
	}
	m.readUntil(moreErase, 3*time.Second) // 'g' answered the pager
	m.readUntil(p, 3*time.Second)
	got := m.readUntil(p, 3*time.Second)
	if got != "et system status\r\r\nUnknown action 0\r\n\r\n"+p {
		t.Errorf("rest of the typed-ahead line: %q", got)
	}
	if cmds := d.State().Commands; len(cmds) != 2 || cmds[1] != "et system status" {
		t.Errorf("commands %q", cmds)
	}
}
