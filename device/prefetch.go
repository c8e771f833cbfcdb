package device

import "context"

// Prefetch pipelines read commands on a single-VDOM unit in one round trip
// (RunBatch) and keeps each successful output for the next read of the same
// command, so a scan's reads stop costing one round trip each. Failed lines
// are not kept: their read runs them again and reports the error itself.
// On multi-VDOM units it does nothing (the reads need context lines).
func (s *Session) Prefetch(ctx context.Context, cmds ...string) {
	if s.multiVDOM() || len(cmds) == 0 {
		return
	}
	outs, errs := s.RunBatch(ctx, cmds)
	s.op.Lock()
	defer s.op.Unlock()
	if s.prefetched == nil {
		s.prefetched = make(map[string]string, len(cmds))
	}
	for i, c := range cmds {
		if errs[i] == nil {
			s.prefetched[c] = outs[i]
		}
	}
}

// takePrefetched returns (and forgets) a prefetched output; s.op is held.
func (s *Session) takePrefetched(cmd string) (string, bool) {
	out, ok := s.prefetched[cmd]
	if ok {
		delete(s.prefetched, cmd)
	}
	return out, ok
}
