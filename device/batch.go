package device

import (
	"context"
	"errors"
	"fmt"
)

// RunBatch runs commands at the top level one at a time and returns each
// output and error; outs[i] and errs[i] belong to cmds[i]. Nothing is ever
// typed ahead: FortiOS echoes a typed-ahead line twice (raw at once, then
// behind the prompt when it reads it) and a paged command takes the first
// typed-ahead character as its pager key (fortios-wire.md §4), so with more
// than one command in flight output could be given to the wrong command.
func (s *Session) RunBatch(ctx context.Context, cmds []string) ([]string, []error) {
	s.op.Lock()
	defer s.op.Unlock()
	outs := make([]string, len(cmds))
	errs := make([]error, len(cmds))
	if err := s.toTop(ctx); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return outs, errs
	}
	s.runBatch(ctx, cmds, outs, errs, 0)
	return outs, errs
}

// errNotSent marks a command skipped because a context line before it failed.
var errNotSent = errors.New("not sent: the context line before it failed")

// runBatch fills outs/errs, one command in flight. The first pre lines are
// context lines (`end`, `config global`, `config vdom`, `edit VDOM`): when
// one fails (other than a refused `end`), nothing after it is sent, since
// it would run in the wrong scope.
func (s *Session) runBatch(ctx context.Context, cmds []string, outs []string, errs []error, pre int) {
	for i, c := range cmds {
		if s.broken != nil {
			errs[i] = opErr(s.t.label(), c, fmt.Errorf("session unusable after an earlier failure (%v): %w", s.broken, ErrConnLost))
			continue
		}
		outs[i], errs[i] = s.run(ctx, c)
		if i < pre && errs[i] != nil && !(c == "end" && isCLI(errs[i])) {
			for k := i + 1; k < len(cmds); k++ {
				errs[k] = opErr(s.t.label(), cmds[k], errNotSent)
			}
			return
		}
	}
}
