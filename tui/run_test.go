package tui

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ftktui/ftktui/fleet"
)

// syncBuffer is an io.Writer safe for the program's writer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunQuitsOnContextEndAndDisarms(t *testing.T) {
	fb := newFake()
	in, inW := io.Pipe()
	defer inW.Close()
	out := &syncBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		errc <- RunWith(ctx, Options{Backend: fb, Inventory: "inv.yaml", NoColor: true, SaveDir: t.TempDir()}, RunOptions{Input: in, Output: out, Width: 140, Height: 40})
	}()
	waitFor(t, "the first frame", func() bool { return strings.Contains(out.String(), "inv.yaml") })
	waitFor(t, "the initial scan", func() bool { return strings.Contains(out.String(), "dead-fw1") })
	if _, err := inW.Write([]byte("d")); err != nil {
		t.Fatal(err)
	}
	var dev string
	select {
	case dev = <-fb.opened:
	case <-time.After(10 * time.Second):
		t.Fatal("d did not open a stream")
	}
	cancel() // what SIGTERM/SIGHUP do through signal.NotifyContext
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after the context ended")
	}
	if s := fb.stream(dev); s == nil || !s.isClosed() {
		t.Fatal("the debug stream was not disarmed on exit")
	}
}

// panicky panics inside a command after a debug stream is open.
type panicky struct {
	*fakeBackend
	boom chan struct{}
}

func (p panicky) Scan(ctx context.Context, names []string, progress func(fleet.Event)) []fleet.DeviceResult {
	<-p.boom
	panic("scan exploded")
}

func TestRunRestoresAndDisarmsAfterPanic(t *testing.T) {
	fb := newFake()
	pb := panicky{fakeBackend: fb, boom: make(chan struct{})}
	in, inW := io.Pipe()
	defer inW.Close()
	out := &syncBuffer{}
	errc := make(chan error, 1)
	go func() {
		errc <- RunWith(context.Background(), Options{Backend: pb, NoColor: true}, RunOptions{Input: in, Output: out, Width: 140, Height: 40})
	}()
	waitFor(t, "the first frame", func() bool { return strings.Contains(out.String(), "Fleet") })
	if _, err := inW.Write([]byte("d")); err != nil {
		t.Fatal(err)
	}
	var dev string
	select {
	case dev = <-fb.opened:
	case <-time.After(10 * time.Second):
		t.Fatal("d did not open a stream")
	}
	waitFor(t, "stream registration", func() bool { return strings.Contains(out.String(), "debug armed") })
	close(pb.boom)
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "panic") && !errors.Is(err, context.Canceled) {
			t.Fatalf("Run after a panic returned %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("Run did not return after a panic")
	}
	if s := fb.stream(dev); s == nil || !s.isClosed() {
		t.Fatal("the debug stream was not disarmed after the panic")
	}
}
