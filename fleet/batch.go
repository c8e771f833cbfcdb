package fleet

import (
	"context"
	"sync"

	"github.com/ftktui/ftktui/device"
)

// Batch plans and runs reqs with at most concurrency devices at once and at
// most one action per device at a time (a device's actions run in request
// order). Results are in request order; onResult (may be nil) is called as
// each finishes, from one goroutine at a time.
func (e *Engine) Batch(ctx context.Context, reqs []ActionRequest, concurrency int, onResult func(ActionResult)) []ActionResult {
	results := make([]ActionResult, len(reqs))
	if concurrency <= 0 {
		concurrency = e.concurrency()
	}
	byDevice := map[string][]int{}
	var order []string
	for i, r := range reqs {
		if _, ok := byDevice[r.Device]; !ok {
			order = append(order, r.Device)
		}
		byDevice[r.Device] = append(byDevice[r.Device], i)
	}
	var mu sync.Mutex
	report := func(i int, r ActionResult) {
		mu.Lock()
		defer mu.Unlock()
		results[i] = r
		if onResult != nil {
			onResult(r)
		}
	}
	sem := make(chan struct{}, concurrency)
	var wg sync.WaitGroup
	for _, dev := range order {
		idxs := byDevice[dev]
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				for _, i := range idxs {
					report(i, ActionResult{Request: reqs[i], Outcome: OutcomeFailed, Message: "not started: " + ctx.Err().Error()})
				}
				return
			}
			defer func() { <-sem }()
			for _, i := range idxs {
				report(i, e.plannedRun(ctx, reqs[i]))
			}
		}()
	}
	wg.Wait()
	return results
}

// plannedRun is Plan followed by Run, for callers that already confirmed.
func (e *Engine) plannedRun(ctx context.Context, req ActionRequest) ActionResult {
	if err := ctx.Err(); err != nil {
		return ActionResult{Request: req, Outcome: OutcomeFailed, Message: "not started: " + err.Error()}
	}
	p, err := e.Plan(ctx, req)
	if err != nil {
		res := ActionResult{Request: req, Outcome: OutcomeFailed, Message: "nothing sent: " + redact(err.Error())}
		_ = e.Audit.Write(AuditEntry{Device: req.Device, Action: string(req.Action), Token: req.Token, Outcome: OutcomeFailed, Error: res.Message})
		return res
	}
	return e.Run(ctx, p, nil)
}

// Debug starts a debug tail on a device; the caller must Close it (which
// disables and resets debug on the device). An action on the same device
// while it runs reuses it (see DebugTail).
func (e *Engine) Debug(ctx context.Context, name string, apps []string) (*DebugTail, error) {
	d, err := e.device(name)
	if err != nil {
		return nil, err
	}
	_ = e.Audit.Write(AuditEntry{Device: name, Action: "debug", Outcome: "start"})
	ds, err := e.startDebug(ctx, d, device.DebugOptions{Apps: apps,
		Transcript: e.transcript("debug", "", true)})
	if err != nil {
		return nil, err // device errors already name the device and the step
	}
	trackDebug(d, ds)
	if len(apps) == 0 {
		apps = []string{"forticldd", "fortitoken", "alertmail"} // device.DebugOptions: empty = all three
	}
	return newDebugTail(d, apps, ds), nil
}
