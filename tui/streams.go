package tui

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// streams tracks the running debug streams so that every exit path (q,
// signals, panic) can disarm them. Once closed, newly opened streams are
// closed right away instead of being registered.
type streams struct {
	mu     sync.Mutex
	m      map[string]DebugStream
	closed bool
	// closing holds the disarms closeAll started, closed when confirmed: a
	// quit that stops waiting (second ctrl+c) still reports the others.
	closing map[string]chan struct{}
}

func newStreams() *streams { return &streams{m: map[string]DebugStream{}} }

// add registers s for device; false means the registry is closed or the
// device already has a stream, and the caller must close s.
func (r *streams) add(device string, s DebugStream) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.m[device] != nil {
		return false
	}
	r.m[device] = s
	return true
}

// take unregisters and returns the device's stream (nil when none).
func (r *streams) take(device string) DebugStream {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.m[device]
	delete(r.m, device)
	return s
}

// dropIf unregisters s only if it is still the device's stream.
func (r *streams) dropIf(device string, s DebugStream) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.m[device] == s {
		delete(r.m, device)
	}
}

func (r *streams) has(device string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.m[device] != nil
}

func (r *streams) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.m)
}

// closeAll closes every stream concurrently and waits at most timeout; the
// registry refuses new streams afterwards.
func (r *streams) closeAll(timeout time.Duration) error {
	return r.closeSet(r.takeAll(), timeout)
}

// takeAll closes the registry and hands over every stream: from then on a
// pump that ends (its context cancelled) can no longer drop a stream from
// the set that quitting must disarm.
func (r *streams) takeAll() map[string]DebugStream {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	all := r.m
	r.m = map[string]DebugStream{}
	return all
}

// closeSet closes the given streams concurrently, at most timeout.
func (r *streams) closeSet(all map[string]DebugStream, timeout time.Duration) error {
	r.mu.Lock()
	if r.closing == nil {
		r.closing = map[string]chan struct{}{}
	}
	var unconfirmed []string
	for name, ch := range r.closing {
		select {
		case <-ch:
		default:
			unconfirmed = append(unconfirmed, name)
		}
	}
	dones := map[string]chan struct{}{}
	for name := range all {
		dones[name] = make(chan struct{})
		r.closing[name] = dones[name]
	}
	r.mu.Unlock()
	if len(all) == 0 {
		if len(unconfirmed) > 0 {
			return fmt.Errorf("disarm debug on %v not confirmed when the console quit: re-scan (DEBUG_LEFT_ON)", unconfirmed)
		}
		return nil
	}
	errc := make(chan error, len(all))
	for name, s := range all {
		go func() {
			defer close(dones[name])
			if err := s.Close(); err != nil {
				errc <- fmt.Errorf("disarm debug on %s: %w", name, err)
				return
			}
			errc <- nil
		}()
	}
	var errs []error
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for range all {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-deadline.C:
			return errors.Join(append(errs, fmt.Errorf("disarm debug: gave up after %s", timeout))...)
		}
	}
	return errors.Join(errs...)
}

// pump moves lines from a stream into the device ring until the stream ends
// or ctx is cancelled. It drains whatever the channel already holds before
// taking the ring lock, so a flood costs one lock per batch.
func pump(ctx context.Context, s DebugStream, rg *ring, done func()) {
	defer done()
	ch := s.Lines()
	batch := make([]parse.DebugLine, 0, 256)
	for {
		select {
		case <-ctx.Done():
			return
		case l, ok := <-ch:
			if !ok {
				return
			}
			batch = append(batch[:0], l)
		more:
			for len(batch) < cap(batch) {
				select {
				case l, ok := <-ch:
					if !ok {
						rg.appendMany(batch)
						return
					}
					batch = append(batch, l)
				default:
					break more
				}
			}
			rg.appendMany(batch)
		}
	}
}
