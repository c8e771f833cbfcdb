package device

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
	ScopeVDOM                // config vdom / edit <vdom>: tokens, users, execute fortitoken*
	ScopeGlobal              // config global: central-management, email-server, admins, debug
)

func (sc Scope) String() string {
	switch sc {
	case ScopeVDOM:
		return "vdom"
	case ScopeGlobal:
		return "global"
	}
	return "top"
}

// multiVDOM reports whether context commands are needed.
func (s *Session) multiVDOM() bool { return s.status.MultiVDOM() }

// enterLines are the lines that enter sc from the top level.
func (s *Session) enterLines(sc Scope) []string {
	if !s.multiVDOM() {
		return nil
	}
	switch sc {
	case ScopeGlobal:
		return []string{"config global"}
	case ScopeVDOM:
		if s.base != "" {
			return nil // a VDOM admin is already in its only VDOM
		}
		return []string{"config vdom", "edit " + s.t.vdom()}
	}
	return nil
}

func (s *Session) contextName(sc Scope) string {
	switch {
	case !s.multiVDOM():
		return ""
	case sc == ScopeGlobal:
		return "global"
	case sc == ScopeVDOM && s.base != "":
		return "" // the VDOM admin's login context is its top level
	case sc == ScopeVDOM:
		return s.t.vdom()
	}
	return ""
}

// toTop leaves any context (one `end` leaves both `config global` and a
// VDOM; a few more cope with a config scope left open by an error).
func (s *Session) toTop(ctx context.Context) error {
	for i := 0; i < 4 && (!sameScope(s.scope, s.base) || s.ctxName != ""); i++ {
		if s.broken != nil {
			return opErr(s.t.label(), "end", fmt.Errorf("session unusable after an earlier failure (%v): %w", s.broken, ErrConnLost))
		}
		if _, err := s.run(ctx, "end"); err != nil && !isCLI(err) {
			return err
		}
		if sameScope(s.scope, s.base) {
			s.ctxName = ""
			return nil
		}
	}
	if !sameScope(s.scope, s.base) {
		return opErr(s.t.label(), "end", fmt.Errorf("could not return to the top level (prompt still shows %q): %w", s.scope, ErrConnLost))
	}
	s.ctxName = ""
	return nil
}

// read runs one read command in scope. The context is kept for the next
// read in the same scope, so a run of reads in one scope costs one round
// trip each.
func (s *Session) read(ctx context.Context, sc Scope, cmd string) (string, error) {
	s.op.Lock()
	defer s.op.Unlock()
	outs, errs := s.inScope(ctx, sc, []string{cmd})
	return outs[0], errs[0]
}

// RunBatchIn is RunBatch inside a scope: on a multi-VDOM unit the context
// lines (`config global`, or `config vdom` + `edit <Target.VDOM>`) run
// first, then the commands, one at a time; on a single-VDOM unit it is
// RunBatch. A refused context fails every command with ErrPermission and
// none of them is sent.
func (s *Session) RunBatchIn(ctx context.Context, sc Scope, cmds []string) ([]string, []error) {
	s.op.Lock()
	defer s.op.Unlock()
	return s.inScope(ctx, sc, cmds)
}

// inScope moves to scope sc (leaving another one first) and runs cmds.
func (s *Session) inScope(ctx context.Context, sc Scope, cmds []string) ([]string, []error) {
	if len(cmds) == 0 {
		return nil, nil
	}
	want := s.contextName(sc)
	var lines []string
	if s.ctxName != want || (want == "" && !sameScope(s.scope, s.base)) {
		if s.ctxName != "" || !sameScope(s.scope, s.base) {
			lines = append(lines, "end")
		}
		lines = append(lines, s.enterLines(sc)...)
	}
	pre := len(lines)
	lines = append(lines, cmds...)
	outs := make([]string, len(lines))
	errs := make([]error, len(lines))
	s.ctxName = want // transcript attribution for the lines below
	s.runBatch(ctx, lines, outs, errs, pre)
	fail := func(err error) ([]string, []error) {
		for i := range cmds {
			errs[pre+i] = err
		}
		return outs[pre:], errs[pre:]
	}
	for i := 0; i < pre; i++ {
		if errs[i] == nil || (lines[i] == "end" && isCLI(errs[i])) {
			continue
		}
		s.ctxName = "?"
		if isCLI(errs[i]) {
			_ = s.toTop(ctx)
			return fail(s.contextError(sc, lines[i], errs[i]))
		}
		return fail(errs[i])
	}
	if s.broken == nil && !s.inContext(sc) {
		s.ctxName = "?"
		_ = s.toTop(ctx)
		return fail(opErr(s.t.label(), cmds[len(cmds)-1], fmt.Errorf("expected to be in %s context, prompt shows %q: %w", sc, s.scope, ErrConnLost)))
	}
	return outs[pre:], errs[pre:]
}

// inContext checks the last prompt against the context we think we are in.
func (s *Session) inContext(sc Scope) bool {
	switch want := s.contextName(sc); want {
	case "":
		return sameScope(s.scope, s.base)
	default:
		return sameScope(s.scope, want)
	}
}

// contextError explains a refused context command: the classic case is a
// VDOM-only admin (netmiko #2833) or a read-only profile.
func (s *Session) contextError(sc Scope, line string, err error) error {
	var cause error = err
	var ce *parse.CLIError
	if errors.As(err, &ce) {
		cause = ce // the bare CLI error: the wrapper repeats device and line
	}
	switch sc {
	case ScopeGlobal:
		return opErr(s.t.label(), line, permissionError(fmt.Sprintf(
			"admin %q cannot enter `config global` (a VDOM-only administrator lacks global access, needed for central-management, email-server, admins and debug)", s.t.User), cause))
	default:
		return opErr(s.t.label(), line, permissionError(fmt.Sprintf(
			"admin %q cannot enter VDOM %q (no access to that VDOM, or it does not exist)", s.t.User, s.t.vdom()), cause))
	}
}
