package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// loop is a miniature program: commands run in goroutines and their messages
// come back through a channel, while every Update must return before a
// deadline. Ticks are sent by the test.
type loop struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
	done chan struct{}
}

func newLoop(t *testing.T, m *Model) *loop {
	l := &loop{t: t, m: m, msgs: make(chan tea.Msg, 1024), done: make(chan struct{})}
	t.Cleanup(func() { close(l.done); _ = m.Close() })
	return l
}

func (l *loop) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if b, ok := msg.(tea.BatchMsg); ok {
			for _, c := range b {
				l.exec(c)
			}
			return
		}
		if _, ok := msg.(tickMsg); ok || msg == nil {
			return
		}
		select {
		case l.msgs <- msg:
		case <-l.done:
		}
	}()
}

// update runs one Update with a deadline: a blocked Update fails the test.
func (l *loop) update(msg tea.Msg) {
	l.t.Helper()
	res := make(chan tea.Cmd, 1)
	go func() {
		_, c := l.m.Update(msg)
		res <- c
	}()
	select {
	case c := <-res:
		l.exec(c)
	case <-time.After(3 * time.Second):
		l.t.Fatalf("Update(%T %v) blocked", msg, msg)
	}
}

// settle applies the messages that arrived so far.
func (l *loop) settle() {
	for {
		select {
		case msg := <-l.msgs:
			l.update(msg)
		default:
			return
		}
	}
}

func (l *loop) view() string {
	l.t.Helper()
	res := make(chan string, 1)
	go func() { res <- l.m.render() }()
	select {
	case v := <-res:
		return v
	case <-time.After(3 * time.Second):
		l.t.Fatal("View blocked")
	}
	return ""
}

func TestUpdateNeverBlocksOnABackendThatBlocksForever(t *testing.T) {
	fb := newFake()
	h := newHarness(t, fb, Options{})
	h.scanAll() // results are known, now every backend call hangs
	fb.mu.Lock()
	fb.blockAll = true
	fb.mu.Unlock()
	l := newLoop(t, h.m)
	l.update(keyMsg("j"))
	l.update(keyMsg("j"))
	l.update(keyMsg("j"))
	l.update(keyMsg("j")) // berlin-fw1
	if h.m.table.device != "berlin-fw1" {
		t.Fatalf("device = %s", h.m.table.device)
	}
	for _, k := range []string{"r", "R", "d", "tab", "tab", "enter", "a", "esc", "x", "e", "n", "?", "esc", "/", "b", "esc", "h", "j", "k"} {
		l.update(keyMsg(k))
		l.update(tickMsg{})
		l.settle()
		_ = l.view()
	}
	if !strings.Contains(l.view(), "scanning") {
		t.Fatalf("the hanging scan should show as in progress:\n%s", l.view())
	}
	// quit still works: no stream was registered, so it is immediate
	l.update(keyMsg("q"))
	deadline := time.After(3 * time.Second)
	for {
		select {
		case msg := <-l.msgs:
			if _, ok := msg.(quitReadyMsg); ok {
				return
			}
			l.update(msg)
		case <-deadline:
			t.Fatal("quit did not complete while the backend hangs")
		}
	}
}

func TestFloodAndHangingScanKeepKeysResponsive(t *testing.T) {
	fb := newFake()
	fb.flood = true
	h := newHarness(t, fb, Options{RingSize: 5000})
	h.scanAll()
	fb.mu.Lock()
	fb.hangScan["kyiv-fw1"] = true
	fb.mu.Unlock()
	l := newLoop(t, h.m)
	l.update(keyMsg("j")) // kyiv-fw1
	l.update(keyMsg("r")) // its scan hangs
	l.update(keyMsg("d")) // flooding stream
	deadline := time.Now().Add(5 * time.Second)
	for fb.stream("kyiv-fw1") == nil && time.Now().Before(deadline) {
		l.settle()
		time.Sleep(time.Millisecond)
	}
	for {
		if _, n := h.m.dbg.ringFor("kyiv-fw1").bounds(); n > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	var last int64
	for i := 0; i < 20; i++ {
		time.Sleep(2 * time.Millisecond)
		l.update(tickMsg{})
		l.settle()
		l.update(keyMsg("f")) // toggle follow: the pane answers
		v := l.view()
		if !strings.Contains(v, "flood line") {
			t.Fatalf("flood lines not shown:\n%s", v)
		}
		last = h.m.dbg.seen
	}
	if last == 0 {
		t.Fatal("no lines ingested")
	}
	first, total := h.m.dbg.ringFor("kyiv-fw1").bounds()
	if total-first > 5000 {
		t.Fatalf("ring not bounded: %d lines retained", total-first)
	}
	l.update(keyMsg("tab"))
	l.update(keyMsg("k")) // navigation still works in the fleet list
	if h.m.table.device != "dead-fw1" {
		t.Fatalf("k during flood → %s", h.m.table.device)
	}
	s := fb.stream("kyiv-fw1")
	l.update(keyMsg("q"))
	deadline = time.Now().Add(5 * time.Second)
	for !s.isClosed() && time.Now().Before(deadline) {
		l.settle()
		time.Sleep(time.Millisecond)
	}
	if !s.isClosed() {
		t.Fatal("q must disarm the flooding stream")
	}
}

func TestQuitDisarmsStreamsFirst(t *testing.T) {
	h := newHarness(t, newFake(), Options{})
	h.scanAll()
	s1 := openDebug(t, h, "paris-fw1")
	_, c := h.m.Update(keyMsg("q"))
	if s1.isClosed() {
		t.Fatal("Update must not close streams itself (that is I/O)")
	}
	msg := c()
	if _, ok := msg.(quitReadyMsg); !ok {
		t.Fatalf("quit command returned %T", msg)
	}
	if !s1.isClosed() {
		t.Fatal("stream still armed when quitting")
	}
	_, c = h.m.Update(msg)
	if _, ok := c().(tea.QuitMsg); !ok {
		t.Fatal("quit should end the program after disarming")
	}
}
