package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"
	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// actionCommands are the token actions of fleet's registry as subcommands
// (`ftktui activate|readd|resend|renew`), each with its own flags value.
func actionCommands() []kong.Option {
	var opts []kong.Option
	for _, s := range fleet.TokenActionSpecs() {
		if s.Help != "" {
			opts = append(opts, kong.DynamicCommand(string(s.Action), s.Help, "", &actionCmd{}))
		}
	}
	return opts
}

// placeActionCommands moves the action subcommands (kong appends dynamic
// commands last) to right after `debug`, where help, the man page and the
// completions list them.
func placeActionCommands(k *kong.Kong) error {
	var acts, rest []*kong.Node
	for _, n := range k.Model.Children {
		if isActionCmd(n) {
			acts = append(acts, n)
		} else {
			rest = append(rest, n)
		}
	}
	at := slices.IndexFunc(rest, func(n *kong.Node) bool { return n.Name == "debug" }) + 1
	k.Model.Children = slices.Concat(rest[:at], acts, rest[at:])
	return nil
}

func isActionCmd(n *kong.Node) bool {
	if n.Type != kong.CommandNode || !n.Target.CanAddr() {
		return false
	}
	_, ok := n.Target.Addr().Interface().(*actionCmd)
	return ok
}

// actionCmd is one token action's subcommand (see actionCommands).
type actionCmd struct {
	Device   string `name:"device" required:"" placeholder:"NAME" predictor:"device" help:"The device holding the token."`
	Token    string `name:"token" required:"" placeholder:"SN" predictor:"token" help:"Token serial (FTK...)."`
	Yes      bool   `name:"yes" help:"Do not ask for confirmation (scripts)."`
	Force    bool   `name:"force" help:"Override the FortiManager / FortiGuard-unreachable guard rails."`
	DebugLog string `name:"debug-log" placeholder:"FILE" help:"Write the debug lines captured during the action (redacted) to FILE; they are not printed."`
}

// Run plans, confirms, runs and verifies one action. Exit 0 only when verified.
func (c *actionCmd) Run(ctx context.Context, g *Globals, kctx *kong.Context) error {
	// A closed stdout (`| head -1`) must not kill the process between the
	// mutation line and the disarm: writes fail with EPIPE instead.
	signal.Ignore(syscall.SIGPIPE)
	action := fleet.Action(strings.Fields(kctx.Command())[0])
	if !parse.ValidSerial(c.Token) {
		return usageErr("--token %q is not a FortiToken serial (FTK followed by 13 capitals or digits)", c.Token)
	}
	if !c.Yes && !isTerminal(os.Stdin) {
		return usageErr("%s needs confirmation: run it on a terminal or pass --yes", action)
	}
	inv, err := g.inventoryFor(c.Device)
	if err != nil {
		return err
	}
	debugLog, closeLog, err := c.openDebugLog()
	if err != nil {
		return err
	}
	defer closeLog()
	e, closeAudit, err := g.engine(inv)
	if err != nil {
		return err
	}
	defer closeAudit()

	req := fleet.ActionRequest{Action: action, Device: c.Device, Token: c.Token, Force: c.Force}
	plan, err := e.Plan(ctx, req)
	if err != nil {
		return &exitError{code: exitFindings, err: fmt.Errorf("plan %s %s on %s: %w", action, c.Token, c.Device, err)}
	}
	printPlan(os.Stdout, plan, inv.Path)
	if plan.Refused != "" {
		return &exitError{code: exitFindings, err: errSilent}
	}
	if !c.Yes && !confirm(os.Stdin, os.Stdout) {
		fmt.Fprintln(os.Stdout, "Cancelled; nothing was sent.")
		return &exitError{code: exitFindings, err: errSilent}
	}
	res := c.runWithProgress(ctx, e, plan, action, debugLog)
	result := resultLine(res)
	if res.DeviceState != "" {
		result += fmt.Sprintf("device state: %s\n", res.DeviceState)
	}
	// `activate … | head -1` closes stdout long before the result: the
	// result still reaches the admin, on stderr.
	if _, err := io.WriteString(os.Stdout, result); err != nil {
		fmt.Fprint(os.Stderr, result)
	}
	if !res.Verified {
		return &exitError{code: exitFindings, err: errSilent}
	}
	return nil
}

// openDebugLog opens --debug-log (nil writer when not given).
func (c *actionCmd) openDebugLog() (io.Writer, func(), error) {
	if c.DebugLog == "" {
		return nil, func() {}, nil
	}
	f, err := os.OpenFile(c.DebugLog, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, nil, usageErr("--debug-log: %v", err)
	}
	return f, func() { _ = f.Close() }, nil
}

// runWithProgress runs the plan, writing the capture to debugLog (may be
// nil) and a progress line to a terminal's stderr.
func (c *actionCmd) runWithProgress(ctx context.Context, e *fleet.Engine, plan *fleet.Plan, action fleet.Action, debugLog io.Writer) fleet.ActionResult {
	// The capture goes to --debug-log only: one action can produce
	// thousands of lines. A terminal gets one progress line, rewritten.
	var captured int
	tty := isTerminal(os.Stderr)
	progress := func(final bool) {
		if !tty {
			return
		}
		where := ""
		if c.DebugLog != "" {
			where = " → " + c.DebugLog
		}
		fmt.Fprintf(os.Stderr, "\r\x1b[K%s %s on %s: debug armed, %d lines captured%s", action, c.Token, c.Device, captured, where)
		if final {
			fmt.Fprintln(os.Stderr)
		}
	}
	progress(false)
	res := e.Run(ctx, plan, func(l parse.DebugLine) {
		captured++
		if debugLog != nil {
			fmt.Fprintln(debugLog, parse.DebugText(l.Raw))
		}
		if captured%50 == 1 {
			progress(false)
		}
	})
	progress(true)
	return res
}

// resultLine is the one line that says what happened to the request.
func resultLine(res fleet.ActionResult) string {
	r := res.Request
	if res.Outcome == fleet.OutcomeUnknown {
		return fmt.Sprintf("%s %s on %s: %s\n", r.Action, r.Token, r.Device, res.Message)
	}
	return fmt.Sprintf("%s %s on %s: %s — %s\n", r.Action, r.Token, r.Device, res.Outcome, res.Message)
}

// printPlan shows the exact lines that will be sent, the warnings, or the refusal.
// A refusal names the rule book's alternative as a validated, shell-quoted
// command line.
func printPlan(w io.Writer, p *fleet.Plan, inventory string) {
	r := p.Request
	fmt.Fprintf(w, "Plan: %s %s on %s\n", r.Action, r.Token, r.Device)
	if p.Refused != "" {
		// Scripts and a second admin racing this one read this line: say
		// that nothing went out, as every other refusal does.
		fmt.Fprintf(w, "Refused, nothing sent: %s\n", p.Refused)
		if p.Advice != "" {
			fmt.Fprintf(w, "Advice: %s\n", p.Advice)
		}
		if cl := fleet.CommandLine(p.Suggest, inventory, r.Device, r.Token); cl != "" {
			fmt.Fprintf(w, "Instead: %s\n", cl)
		}
		return
	}
	for _, wn := range p.Warnings {
		fmt.Fprintf(w, "Warning: %s\n", wn)
	}
	if len(p.DebugArm) > 0 {
		fmt.Fprintln(w, "Debug capture, on its own session, armed first:")
		for _, l := range p.DebugArm {
			fmt.Fprintf(w, "    %s\n", l)
		}
	}
	fmt.Fprintln(w, "Lines to send:")
	for _, l := range p.Lines {
		fmt.Fprintf(w, "    %s\n", parse.Redact(l))
	}
	if len(p.DebugDisarm) > 0 {
		fmt.Fprintf(w, "Then, whatever happens: %s\n", strings.Join(p.DebugDisarm, "; "))
	}
}

// confirm asks y/N; anything but y/yes is No.
func confirm(in io.Reader, out io.Writer) bool {
	fmt.Fprint(out, "Send these lines? [y/N] ")
	line, _ := bufio.NewReader(in).ReadString('\n')
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true
	}
	return false
}
