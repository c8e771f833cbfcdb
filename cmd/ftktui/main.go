// Command ftktui is a terminal console for fixing FortiToken activation across
// a FortiGate fleet, and the same engine headless for scripts.
//
// This file only declares the command line; each subcommand lives in its own
// file and hands the real work to the tui, fleet and sim packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/ftktui/ftktui/config"
)

// Exit codes shared by every subcommand (docs/spec.md §2).
const (
	exitOK       = 0
	exitFindings = 1 // an error finding, an unreachable device, an unverified action
	exitUsage    = 2 // bad flags, bad inventory, refused without a terminal
)

// exitError carries the exit code a failure maps to.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func usageErr(format string, a ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, a...)}
}

// Globals are the flags every subcommand accepts (docs/spec.md §2 "Common flags").
type Globals struct {
	Inventory         string `short:"i" name:"inventory" env:"FTKTUI_INVENTORY" placeholder:"FILE" help:"Inventory: ftktui YAML, OpenSSH client config, Ansible inventory (INI/YAML) or CSV, recognised by content (default: settings file, else ./inventory.yaml)."`
	Hosts             string `name:"hosts" placeholder:"PATTERN" help:"With an OpenSSH config inventory: the Host entries to use (e.g. 'fgt-*')."`
	ReadOnly          bool   `name:"read-only" help:"Send no action to any device; action keys show why they are disabled."`
	AcceptNewHostKeys bool   `name:"accept-new-host-keys" help:"Trust-on-first-use: append unknown host keys to known_hosts. A changed key is always refused."`
	AuditLog          string `name:"audit-log" placeholder:"FILE" help:"Audit log (JSON lines; default $XDG_STATE_HOME/ftktui/audit.jsonl)."`
	AskPass           bool   `name:"ask-pass" help:"Prompt once for the SSH password (masked) before anything connects."`

	cfg  *config.Settings  // the settings file (applySettings)
	from map[string]string // flag name → where its value came from
}

// CLI is the whole command line.
type CLI struct {
	Globals
	VersionFlag versionFlag `name:"version" help:"Print version, commit and Go version, then exit."`

	Console consoleCmd `cmd:"" default:"withargs" hidden:"" help:"The TUI over an inventory (the default command)."`
	Demo    demoCmd    `cmd:"" help:"Run the TUI on a built-in simulated fleet (every scenario)."`
	Scan    scanCmd    `cmd:"" help:"Headless KB steps 1-3 on every device; table, json, jsonl, csv or prom."`
	Debug   debugCmd   `cmd:"" help:"Tail forticldd/fortitoken/alertmail debug of one device to stdout."`
	// The token actions (activate, readd, resend, renew) follow debug:
	// one subcommand per row of fleet's action registry (actionCommands).
	Sim     simCmd       `cmd:"" help:"Run the simulated FortiGate fleet standalone (for ssh, scripts, benchmarks)."`
	Invent  inventoryCmd `cmd:"" name:"inventory" help:"Print the devices an inventory resolves to, without connecting."`
	Config  configCmd    `cmd:"" help:"Print the effective settings and where each came from."`
	Version versionCmd   `cmd:"" help:"Print version, commit and Go version."`

	Completion completionCmd `cmd:"" help:"Print a shell completion script (bash, zsh, fish): commands, flags, device names, tags and token serials."`
	Man        manCmd        `cmd:"" help:"Print the man page (roff): ftktui man | man -l -"`
	Complete   completeCmd   `cmd:"" name:"__complete" hidden:"" help:"Completion candidates for the completion scripts."`
}

func main() {
	os.Exit(run(os.Args[1:]))
}

// exitNow ends the process from inside kong (--help, --version); tests
// replace it.
var exitNow = os.Exit

// run parses args and runs the chosen subcommand, returning the exit code.
func run(args []string) int {
	var cli CLI
	parser, err := newParser(&cli)
	if err != nil {
		fmt.Fprintln(os.Stderr, "ftktui:", err)
		return exitUsage
	}
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "ftktui: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if kctx.Command() != "version" {
		if err := applySettings(kctx, &cli.Globals, args); err != nil {
			return exitCodeOf(err)
		}
	}
	kctx.BindTo(ctx, (*context.Context)(nil))
	return exitCodeOf(kctx.Run(&cli.Globals))
}

// exitCodeOf prints err (unless already explained) and maps it to an exit code.
func exitCodeOf(err error) int {
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err != errSilent {
			fmt.Fprintf(os.Stderr, "ftktui: %v\n", ee.err)
		}
		return ee.code
	}
	fmt.Fprintf(os.Stderr, "ftktui: %v\n", err)
	return exitFindings
}

// newParser builds the one kong model that parses, prints --help, the man
// page and the completions.
func newParser(cli *CLI) (*kong.Kong, error) {
	opts := append(actionCommands(), kong.PostBuild(placeActionCommands))
	return kong.New(cli, append(opts,
		kong.Name("ftktui"),
		kong.Description("Fix FortiToken activation across a FortiGate fleet.\n\nRun 'ftktui demo' to try it on a simulated fleet.\n\n"+exitCodesHelp),
		kong.Help(helpPrinter),
		kong.UsageOnError(),
		kong.Exit(func(code int) {
			// --help exits 0; kong's own errors are usage errors.
			if code != 0 {
				code = exitUsage
			}
			exitNow(code)
		}),
	)...)
}

// errSilent marks an exit code whose explanation was already printed.
var errSilent = errors.New("")
