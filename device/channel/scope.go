package channel

import (
	"context"
	"errors"
	"fmt"

	"github.com/ftktui/ftktui/parse"
)

// Scope says where a command must run on a multi-VDOM unit.
type Scope int

// Scopes. On single-VDOM units every scope is the top level.
const (
	ScopeTop    Scope = iota // top level, no context commands
	ScopeVDOM                // config vdom / edit <Config.VDOM>: per-VDOM objects and commands
	ScopeGlobal              // config global: global settings, admins, diagnose debug
)

// String names the scope in errors ("top", "vdom", "global").
func (sc Scope) String() string {
	switch sc {
	case ScopeVDOM:
		return "vdom"
	case ScopeGlobal:
		return "global"
	}
	return "top"
}

// enterLines are the lines that enter sc from the top level.
func (c *Channel) enterLines(sc Scope) []string {
	if !c.multi {
		return nil
	}
	switch sc {
	case ScopeGlobal:
		return []string{"config global"}
	case ScopeVDOM:
		if c.base != "" {
			return nil // a VDOM admin is already in its only VDOM
		}
		return []string{"config vdom", "edit " + c.cfg.VDOM}
	}
	return nil
}

// contextName is the transcript's name of scope sc on this unit.
func (c *Channel) contextName(sc Scope) string {
	switch {
	case !c.multi:
		return ""
	case sc == ScopeGlobal:
		return "global"
	case sc == ScopeVDOM && c.base != "":
		return "" // the VDOM admin's login context is its top level
	case sc == ScopeVDOM:
		return c.cfg.VDOM
	}
	return ""
}

// toTop leaves any context (one `end` leaves both `config global` and a
// VDOM; a few more cope with a config scope left open by an error).
func (c *Channel) toTop(ctx context.Context) error {
	for i := 0; i < 4 && (!sameScope(c.scope, c.base) || c.ctxName != ""); i++ {
		if c.broken != nil {
			return Op(c.cfg.Label, "end", fmt.Errorf("session unusable after an earlier failure (%v): %w", c.broken, ErrConnLost))
		}
		if _, err := c.run(ctx, "end"); err != nil && !IsCLI(err) {
			return err
		}
		if sameScope(c.scope, c.base) {
			c.ctxName = ""
			return nil
		}
	}
	if !sameScope(c.scope, c.base) {
		return Op(c.cfg.Label, "end", fmt.Errorf("could not return to the top level (prompt still shows %q): %w", c.scope, ErrConnLost))
	}
	c.ctxName = ""
	return nil
}

// RunIn is RunBatch inside a scope: on a multi-VDOM unit the context
// lines (`config global`, or `config vdom` + `edit <Config.VDOM>`) run
// first, then the commands, one at a time; on a single-VDOM unit it is
// RunBatch. A refused context fails every command with ErrPermission and
// none of them is sent.
func (c *Channel) RunIn(ctx context.Context, sc Scope, cmds []string) ([]string, []error) {
	c.op.Lock()
	defer c.op.Unlock()
	return c.inScope(ctx, sc, cmds)
}

// inScope moves to scope sc (leaving another one first) and runs cmds.
func (c *Channel) inScope(ctx context.Context, sc Scope, cmds []string) ([]string, []error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	want := c.contextName(sc)
	var lines []string
	if c.ctxName != want || (want == "" && !sameScope(c.scope, c.base)) {
		if c.ctxName != "" || !sameScope(c.scope, c.base) {
			lines = append(lines, "end")
		}
		lines = append(lines, c.enterLines(sc)...)
	}
	pre := len(lines)
	lines = append(lines, cmds...)
	outs := make([]string, len(lines))
	errs := make([]error, len(lines))
	c.ctxName = want // transcript attribution for the lines below
	c.runBatch(ctx, lines, outs, errs, pre)
	fail := func(err error) ([]string, []error) {
		for i := range cmds {
			errs[pre+i] = err
		}
		return outs[pre:], errs[pre:]
	}
	for i := 0; i < pre; i++ {
		if errs[i] == nil || (lines[i] == "end" && IsCLI(errs[i])) {
			continue
		}
		c.ctxName = "?"
		if IsCLI(errs[i]) {
			_ = c.toTop(ctx)
			return fail(c.contextError(sc, lines[i], errs[i]))
		}
		return fail(errs[i])
	}
	if c.broken == nil && !c.inContext(sc) {
		c.ctxName = "?"
		_ = c.toTop(ctx)
		return fail(Op(c.cfg.Label, cmds[len(cmds)-1], fmt.Errorf("expected to be in %s context, prompt shows %q: %w", sc, c.scope, ErrConnLost)))
	}
	return outs[pre:], errs[pre:]
}

// inContext checks the last prompt against the context we think we are in.
func (c *Channel) inContext(sc Scope) bool {
	switch want := c.contextName(sc); want {
	case "":
		return sameScope(c.scope, c.base)
	default:
		return sameScope(c.scope, want)
	}
}

// contextError explains a refused context command: the classic case is a
// VDOM-only admin (netmiko #2833) or a read-only profile.
func (c *Channel) contextError(sc Scope, line string, err error) error {
	var cause error = err
	var ce *parse.CLIError
	if errors.As(err, &ce) {
		cause = ce // the bare CLI error: the wrapper repeats device and line
	}
	switch sc {
	case ScopeGlobal:
		return Op(c.cfg.Label, line, PermissionError(fmt.Sprintf(
			"admin %q cannot enter `config global` (a VDOM-only administrator lacks global access, needed for central-management, email-server, admins and debug)", c.cfg.User), cause))
	default:
		return Op(c.cfg.Label, line, PermissionError(fmt.Sprintf(
			"admin %q cannot enter VDOM %q (no access to that VDOM, or it does not exist)", c.cfg.User, c.cfg.VDOM), cause))
	}
}
