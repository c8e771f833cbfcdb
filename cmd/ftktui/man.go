package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/alecthomas/kong"
)

// manCmd is `ftktui man`: the man page, generated from the same kong model
// as --help and the completions, so the three cannot disagree.
type manCmd struct{}

// Run writes ftktui(1) in roff to stdout (`ftktui man | man -l -`).
func (manCmd) Run(app *kong.Kong) error {
	w := bufio.NewWriter(os.Stdout)
	writeMan(w, app.Model)
	return w.Flush()
}

// roff escapes text for a roff line: backslashes, and a leading dot or
// apostrophe that roff would read as a request.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, ".") || strings.HasPrefix(line, "'") {
			line = `\&` + line
		}
		b.WriteString(line + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func writeMan(w *bufio.Writer, app *kong.Application) {
	fmt.Fprintf(w, ".TH FTKTUI 1 %q \"ftktui %s\" \"User Commands\"\n", time.Now().Format("2006-01-02"), version)
	fmt.Fprintln(w, ".SH NAME")
	fmt.Fprintln(w, `ftktui \- fix FortiToken activation across a FortiGate fleet`)
	fmt.Fprintln(w, ".SH SYNOPSIS")
	for _, n := range app.Leaves(true) {
		fmt.Fprintf(w, ".B ftktui %s\n", roff(n.Path()))
		if s := n.FlagSummary(true); s != "" {
			fmt.Fprintln(w, roff(s))
		}
		fmt.Fprintln(w, ".br")
	}
	fmt.Fprintln(w, ".SH DESCRIPTION")
	fmt.Fprintln(w, roff(app.Help))
	fmt.Fprintln(w, ".SH COMMANDS")
	for _, n := range app.Leaves(true) {
		fmt.Fprintf(w, ".SS %s\n", roff(n.Path()))
		fmt.Fprintln(w, roff(n.Help))
		for _, p := range n.Positional {
			fmt.Fprintf(w, ".TP\n.I %s\n%s\n", roff(p.Name), roff(p.Help))
		}
		for _, f := range n.Flags {
			writeFlag(w, f)
		}
	}
	fmt.Fprintln(w, ".SH GLOBAL OPTIONS")
	for _, f := range app.Flags {
		writeFlag(w, f)
	}
	fmt.Fprintln(w, ".SH EXIT STATUS")
	fmt.Fprintln(w, ".TP\n.B 0\nno finding of severity error; for an action: verified.")
	fmt.Fprintln(w, ".TP\n.B 1\nan error finding, an unreachable device, or an action refused, failed or not verified.")
	fmt.Fprintln(w, ".TP\n.B 2\nbad input: usage, inventory mistakes, no device selected, a missing password source, an action without \\-\\-yes and without a terminal.")
	fmt.Fprintln(w, ".SH ENVIRONMENT")
	fmt.Fprintln(w, ".TP\n.B FTKTUI_INVENTORY\nthe inventory when \\-i is not given (else ./inventory.yaml).")
	fmt.Fprintln(w, ".TP\n.B NO_COLOR\nno colour; severities stay distinguishable by glyph and word.")
	fmt.Fprintln(w, ".TP\n.B XDG_STATE_HOME, XDG_CACHE_HOME, XDG_CONFIG_HOME\nwhere the audit log, the completion cache and the settings live.")
	fmt.Fprintln(w, ".SH SEE ALSO")
	fmt.Fprintln(w, "The README and SECURITY.md of the ftktui repository.")
}

func writeFlag(w *bufio.Writer, f *kong.Flag) {
	if f.Hidden {
		return
	}
	name := "\\-\\-" + roff(f.Name)
	if f.Short != 0 {
		name = "\\-" + string(f.Short) + ", " + name
	}
	if !f.IsBool() {
		name += " " + roff(f.FormatPlaceHolder())
	}
	help := f.Help
	if f.HasDefault && f.Default != "" {
		help += " (default: " + f.Default + ")"
	}
	fmt.Fprintf(w, ".TP\n.B %s\n%s\n", name, roff(help))
}
