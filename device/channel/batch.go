package channel

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
func (c *Channel) RunBatch(ctx context.Context, cmds []string) ([]string, []error) {
	c.op.Lock()
	defer c.op.Unlock()
	outs := make([]string, len(cmds))
	errs := make([]error, len(cmds))
	if err := c.toTop(ctx); err != nil {
		for i := range errs {
			errs[i] = err
		}
		return outs, errs
	}
	c.runBatch(ctx, cmds, outs, errs, 0)
	return outs, errs
}

// errNotSent marks a command skipped because a context line before it failed.
var errNotSent = errors.New("not sent: the context line before it failed")

// runBatch fills outs/errs, one command in flight. The first pre lines are
// context lines (`end`, `config global`, `config vdom`, `edit VDOM`): when
// one fails (other than a refused `end`), nothing after it is sent, since
// it would run in the wrong scope.
func (c *Channel) runBatch(ctx context.Context, cmds []string, outs []string, errs []error, pre int) {
	for i, cmd := range cmds {
		if c.broken != nil {
			errs[i] = Op(c.cfg.Label, cmd, fmt.Errorf("session unusable after an earlier failure (%v): %w", c.broken, ErrConnLost))
			continue
		}
		outs[i], errs[i] = c.run(ctx, cmd)
		if i < pre && errs[i] != nil && !(cmd == "end" && IsCLI(errs[i])) {
			for k := i + 1; k < len(cmds); k++ {
				errs[k] = Op(c.cfg.Label, cmds[k], errNotSent)
			}
			return
		}
	}
}
