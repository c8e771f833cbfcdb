package device

import (
	"context"
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/device/channel"
	"github.com/ftktui/ftktui/parse"
)

// Script is a validated mutating command sequence. Build it with the
// constructors (which validate every identifier); Lines shows exactly what
// Exec will send on a given session.
type Script struct {
	Name  string
	Scope Scope
	Lines []string
}

func badSerial(sn string) error {
	return fmt.Errorf("token serial %s (want FTK followed by 13 capitals/digits): %w", parse.Quote(sn), ErrInvalidInput)
}

func serialScript(name, sn string, lines ...string) (Script, error) {
	if !parse.ValidSerial(sn) {
		return Script{}, badSerial(sn)
	}
	return Script{Name: name, Scope: ScopeVDOM, Lines: lines}, nil
}

// Activate is `execute fortitoken activate SN` (FortiGuard activation of a
// hardware token; the result shows later in `diagnose fortitoken info`).
func Activate(sn string) (Script, error) {
	return serialScript("activate "+sn, sn, "execute fortitoken activate "+sn)
}

// DeleteToken removes the token object (it must not be referenced).
func DeleteToken(sn string) (Script, error) {
	return serialScript("delete "+sn, sn, "config user fortitoken", "delete "+sn, "end")
}

// AddToken re-adds the token object; FortiOS starts its activation itself.
func AddToken(sn string) (Script, error) {
	return serialScript("add "+sn, sn, "config user fortitoken", "edit "+sn, "next", "end")
}

// Provision is `execute fortitoken-mobile provision SN` (resend activation).
func Provision(sn string) (Script, error) {
	return serialScript("provision "+sn, sn, "execute fortitoken-mobile provision "+sn)
}

// Renew is `execute fortitoken-mobile renew SN`.
func Renew(sn string) (Script, error) {
	return serialScript("renew "+sn, sn, "execute fortitoken-mobile renew "+sn)
}

// accountTable returns the config table and scope for an account kind:
// users are per VDOM, admins global.
func accountTable(a parse.Account) (string, Scope, error) {
	if !parse.ValidName(a.Name) {
		return "", 0, fmt.Errorf("account name %s: %w", parse.Quote(a.Name), ErrInvalidInput)
	}
	switch a.Kind {
	case parse.AccountUser:
		return "config user local", ScopeVDOM, nil
	case parse.AccountAdmin:
		return "config system admin", ScopeGlobal, nil
	}
	return "", 0, fmt.Errorf("account kind %s (want user or admin): %w", parse.Quote(a.Kind), ErrInvalidInput)
}

// Bind gives account a the token sn (docs/spec.md §6).
func Bind(a parse.Account, sn string) (Script, error) {
	table, sc, err := accountTable(a)
	if err != nil {
		return Script{}, err
	}
	if !parse.ValidSerial(sn) {
		return Script{}, badSerial(sn)
	}
	return Script{Name: fmt.Sprintf("bind %s %s to %s", a.Kind, a.Name, sn), Scope: sc, Lines: []string{
		table, `edit "` + a.Name + `"`, "set two-factor fortitoken", "set fortitoken " + sn, "next", "end"}}, nil
}

// Unbind removes the token from account a (`set two-factor disable`).
func Unbind(a parse.Account) (Script, error) {
	table, sc, err := accountTable(a)
	if err != nil {
		return Script{}, err
	}
	return Script{Name: fmt.Sprintf("unbind %s %s", a.Kind, a.Name), Scope: sc, Lines: []string{
		table, `edit "` + a.Name + `"`, "set two-factor disable", "next", "end"}}, nil
}

// Lines returns exactly what Exec sends, with the VDOM wrapping this unit
// needs (`config global` / `config vdom`+`edit X` … `end`; nothing on a
// single-VDOM unit).
func (s *Session) Lines(sc Script) []string { return s.ch.Wrap(sc.Scope, sc.Lines) }

// validScript re-checks a Script built by hand rather than by a constructor.
func validScript(sc Script) error {
	if len(sc.Lines) == 0 {
		return fmt.Errorf("script %q has no lines: %w", sc.Name, ErrInvalidInput)
	}
	for _, l := range sc.Lines {
		if err := channel.CheckLine(l); err != nil {
			return err
		}
		if strings.ContainsAny(l, "|;") {
			return fmt.Errorf("line %s: %w", parse.Quote(l), ErrInvalidInput)
		}
	}
	return nil
}

// Exec runs a mutating script one line at a time (never pipelined: every
// line's answer is checked before the next is sent). On the first CLI error
// it aborts the open edit, leaves every scope and returns the error. A
// read-only admin is refused before anything is sent.
func (s *Session) Exec(ctx context.Context, sc Script) (string, error) {
	if err := validScript(sc); err != nil {
		return "", opErr(s.t.label(), sc.Name, err)
	}
	if s.ch.ReadOnly() {
		err := channel.PermissionError(fmt.Sprintf("admin %q has a read-only profile (`$` prompt) and cannot %s", s.t.User, sc.Name), nil)
		s.ch.Refused(sc.Name, err)
		return "", opErr(s.t.label(), sc.Name, err)
	}
	return s.ch.Apply(ctx, sc.Scope, sc.Lines)
}
