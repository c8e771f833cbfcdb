package channel

import (
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeShell plays a FortiOS shell over in-process pipes, at the byte level
// and without SSH: every write can be cut into pieces (each one a read on
// the channel's side), the pager's erase is written alone, the prompt
// follows the scope (`config global`, `config vdom`, `edit X`, `end`) and
// can change its HA role between commands.
type fakeShell struct {
	host     string
	role     func(n int) string // HA role after n commands ("" = none)
	banner   string             // written before the first prompt, answered by `a`
	answer   func(cmd string) []string
	pageRows int                  // lines per page; 0 = no pager
	cut      func(b []byte) []int // cut offsets of one write (nil = whole)
	silent   string               // a command never answered (a hung unit)

	mu        sync.Mutex
	scope     []string // scope groups the prompt shows
	cmds      []string
	keys      []byte // everything received that was not part of a command line
	pagerKeys int
	ahead     int // bytes received while a command ran (not as a pager key)
}

func (f *fakeShell) prompt(n int) string {
	p := f.host
	if f.role != nil && f.role(n) != "" {
		p += "(" + f.role(n) + ")"
	}
	for _, s := range f.scope {
		p += " (" + s + ")"
	}
	return p + " # "
}

func (f *fakeShell) write(w io.Writer, s string) bool {
	var cuts []int
	if f.cut != nil {
		cuts = f.cut([]byte(s))
	}
	prev := 0
	for _, c := range append(cuts, len(s)) {
		if c <= prev || c > len(s) {
			continue
		}
		if _, err := io.WriteString(w, s[prev:c]); err != nil {
			return false
		}
		prev = c
	}
	return true
}

// scopeAfter moves the prompt's scope as FortiOS does.
func (f *fakeShell) scopeAfter(cmd string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case cmd == "end":
		f.scope = nil
	case cmd == "config global":
		f.scope = []string{"global"}
	case cmd == "config vdom":
		f.scope = []string{"vdom"}
	case strings.HasPrefix(cmd, "edit ") && len(f.scope) == 1 && f.scope[0] == "vdom":
		f.scope = []string{strings.TrimPrefix(cmd, "edit ")}
	}
}

// serve plays the shell until the channel's side closes.
func (f *fakeShell) serve(rw io.ReadWriter) {
	in := make(chan byte, 4096)
	go func() {
		defer close(in)
		buf := make([]byte, 512)
		for {
			n, err := rw.Read(buf)
			for _, b := range buf[:n] {
				in <- b
			}
			if err != nil {
				return
			}
		}
	}()
	first := f.prompt(0)
	if f.banner != "" {
		first = f.banner
	}
	if !f.write(rw, first) {
		return
	}
	var line []byte
	n := 0
	banner := f.banner != "" // the banner waits for a single `a`
	for b := range in {
		if banner && b == 'a' {
			banner = false
			f.mu.Lock()
			f.keys = append(f.keys, b)
			f.mu.Unlock()
			if !f.write(rw, "\r\n"+f.prompt(0)) {
				return
			}
			continue
		}
		if b != '\r' && b != '\n' {
			line = append(line, b)
			if !f.write(rw, string(b)) {
				return
			}
			continue
		}
		cmd := string(line)
		line = line[:0]
		if !f.write(rw, "\r\r\n") || cmd == "exit" {
			return
		}
		f.mu.Lock()
		f.cmds = append(f.cmds, cmd)
		f.mu.Unlock()
		if cmd == f.silent {
			continue
		}
		n++
		if !f.page(rw, in, f.answer(cmd)) {
			return
		}
		f.scopeAfter(cmd)
		for k := len(in); k > 0; k-- {
			f.mu.Lock()
			f.ahead++
			f.mu.Unlock()
			line = append(line, <-in)
		}
		if !f.write(rw, "\r\n"+f.prompt(n)) {
			return
		}
	}
}

// page writes lines with the FortiOS pager: `--More-- ` alone, then, after
// the key, the erase alone, then the next page.
func (f *fakeShell) page(w io.Writer, in <-chan byte, lines []string) bool {
	rows := 0
	for i, l := range lines {
		if !f.write(w, l+"\r\n") {
			return false
		}
		rows++
		if f.pageRows == 0 || rows < f.pageRows || i == len(lines)-1 {
			continue
		}
		rows = 0
		if !f.write(w, "--More-- ") {
			return false
		}
		k, ok := <-in
		if !ok {
			return false
		}
		f.mu.Lock()
		f.pagerKeys++
		f.keys = append(f.keys, k)
		f.mu.Unlock()
		if !f.write(w, "\r         \r") {
			return false
		}
	}
	return true
}

func (f *fakeShell) sent() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.cmds...)
}

// randomCuts cuts writes at random offsets (seeded, replayable).
func randomCuts(seed uint64) func([]byte) []int {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var mu sync.Mutex
	return func(b []byte) []int {
		mu.Lock()
		defer mu.Unlock()
		var cuts []int
		for i := 1; i < len(b); i++ {
			if r.IntN(6) == 0 {
				cuts = append(cuts, i)
			}
		}
		return cuts
	}
}

type closerFunc func() error

func (c closerFunc) Close() error { return c() }

// start wires a Channel to f through pipes and returns it unlogged.
func start(t *testing.T, f *fakeShell, cfg Config) *Channel {
	t.Helper()
	cr, sw := io.Pipe() // shell → channel
	sr, cw := io.Pipe() // channel → shell
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.serve(struct {
			io.Reader
			io.Writer
		}{sr, sw})
		_ = sw.Close()
		_ = sr.Close()
	}()
	shell := closerFunc(func() error { _ = cw.Close(); _ = cr.Close(); return nil })
	if cfg.Label == "" {
		cfg.Label = "fake"
	}
	if cfg.CommandTimeout == 0 {
		cfg.CommandTimeout = 2 * time.Second
	}
	c := New(cr, cw, shell, cfg)
	t.Cleanup(func() { _ = shell.Close(); _ = c.Close(); <-done })
	return c
}
