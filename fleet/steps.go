package fleet

import (
	"sync"
	"time"
)

// StepTiming is one step of a device scan in `scan --json`: when it
// started (from the start of the device's scan) and how long it took.
// Steps on parallel CLI sessions overlap.
type StepTiming struct {
	Name       string `json:"name"`
	StartMS    int64  `json:"start_ms"`
	DurationMS int64  `json:"duration_ms"`
}

// stepClock records step timings from several goroutines.
type stepClock struct {
	start time.Time
	mu    sync.Mutex
	steps []StepTiming
}

func newStepClock() *stepClock { return &stepClock{start: time.Now()} }

// time runs f as the step name and records it.
func (c *stepClock) time(name string, f func()) {
	t0 := time.Now()
	f()
	c.add(name, t0)
}

func (c *stepClock) add(name string, t0 time.Time) {
	if c == nil {
		return
	}
	st := StepTiming{Name: name, StartMS: t0.Sub(c.start).Milliseconds(), DurationMS: time.Since(t0).Milliseconds()}
	c.mu.Lock()
	c.steps = append(c.steps, st)
	c.mu.Unlock()
}

// sorted returns the steps in start order.
func (c *stepClock) sorted() []StepTiming {
	if c == nil {
		return []StepTiming{}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	out := append(make([]StepTiming, 0, len(c.steps)), c.steps...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].StartMS < out[j-1].StartMS; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
