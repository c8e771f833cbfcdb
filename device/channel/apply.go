package channel

import (
	"context"
	"strings"
)

// Wrap returns lines with the context lines scope sc needs on this unit
// around them (`config global` / `config vdom`+`edit X` … `end`; nothing
// on a single-VDOM unit): exactly what Apply sends.
func (c *Channel) Wrap(sc Scope, lines []string) []string {
	enter := c.enterLines(sc)
	out := append([]string(nil), enter...)
	out = append(out, lines...)
	if len(enter) > 0 {
		out = append(out, "end")
	}
	return out
}

// Apply runs a configuration block in scope sc from the top level, one
// line at a time (never pipelined: every line's answer is checked before
// the next is sent). On the first error it aborts the open edit, leaves
// every scope and returns the error with the outputs so far; a refused
// context line is an ErrPermission error naming the admin.
func (c *Channel) Apply(ctx context.Context, sc Scope, lines []string) (string, error) {
	c.op.Lock()
	defer c.op.Unlock()
	if err := c.toTop(ctx); err != nil {
		return "", err
	}
	wrapped := c.Wrap(sc, lines)
	enter := len(c.enterLines(sc))
	var all []string
	for i, l := range wrapped {
		if i == enter && enter > 0 {
			c.ctxName = c.contextName(sc)
		}
		out, err := c.run(ctx, l)
		if out != "" {
			all = append(all, out)
		}
		if err != nil {
			if i < enter && IsCLI(err) {
				err = c.contextError(sc, l, err)
			}
			c.unwind(ctx)
			return strings.Join(all, "\n"), err
		}
	}
	c.ctxName = ""
	return strings.Join(all, "\n"), nil
}

// unwind discards a half-made edit (`abort`) and returns to the top level.
func (c *Channel) unwind(ctx context.Context) {
	if c.broken != nil {
		return
	}
	if !sameScope(c.scope, c.base) && !sameScope(c.scope, c.ctxName) && c.scope != "vdom" {
		_, _ = c.run(ctx, "abort")
	}
	c.ctxName = "?"
	_ = c.toTop(ctx)
}

// Refused records in the transcript a line (or an operation) refused
// before anything was sent.
func (c *Channel) Refused(line string, err error) {
	c.op.Lock()
	c.record(line, "refused", err)
	c.op.Unlock()
}
