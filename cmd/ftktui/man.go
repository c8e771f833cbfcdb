package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/alecthomas/kong"
)

// manCmd is `ftktui man`: a man page in roff, generated from the kong
// model that --help and completion also use, so the three cannot drift.
// `ftktui man > ftktui.1 && man ./ftktui.1`.
type manCmd struct{}

// Run writes the man page to stdout.
func (manCmd) Run(kctx *kong.Context) error {
	return writeMan(os.Stdout, kctx.Model)
}

// roff escapes text for a roff body line.
func roff(s string) string {
	s = strings.ReplaceAll(s, `\`, `\e`)
	s = strings.ReplaceAll(s, "-", `\-`)
	var b strings.Builder
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, ".") || strings.HasPrefix(l, "'") {
			l = `\&` + l
		}
		b.WriteString(l + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func writeMan(w io.Writer, app *kong.Application) error {
	p := func(format string, a ...any) { fmt.Fprintf(w, format+"\n", a...) }
	p(`.TH FTKTUI 1 "" "ftktui %s" "User Commands"`, roff(version))
	p(".SH NAME")
	p(`ftktui \- fix FortiToken activation across a FortiGate fleet`)
	p(".SH SYNOPSIS")
	p(`.B ftktui
[\fIFLAGS\fR] [\fICOMMAND\fR]`)
	p(".SH DESCRIPTION")
	p("%s", roff(app.Help))
	p(".SH COMMON FLAGS")
	manFlags(w, app.Node.Flags)
	p(".SH COMMANDS")
	for _, n := range app.Node.Children {
		if n.Hidden {
			continue
		}
		var args []string
		for _, a := range n.Positional {
			args = append(args, strings.ToUpper(a.Name))
		}
		p(".SS %s", roff(strings.TrimSpace("ftktui "+n.Name+" "+strings.Join(args, " "))))
		p("%s", roff(n.Help))
		if n.Detail != "" {
			p(".PP\n%s", roff(n.Detail))
		}
		manFlags(w, n.Flags)
	}
	p(".SH ENVIRONMENT")
	p(".TP\n.B FTKTUI_INVENTORY\ninventory when \\fB\\-i\\fR is not given")
	p(".TP\n.B NO_COLOR\nno colours; severities keep distinct marks")
	p(".SH SEE ALSO")
	p("ssh(1), ssh-keyscan(1); the project README and SECURITY.md")
	return nil
}

func manFlags(w io.Writer, flags []*kong.Flag) {
	for _, f := range flags {
		if f.Hidden || f.Name == "help" {
			continue
		}
		name := `\-\-` + roff(f.Name)
		if f.Short != 0 {
			name = `\-` + string(f.Short) + ", " + name
		}
		if !f.IsBool() {
			name += "=" + roff(f.FormatPlaceHolder())
		}
		fmt.Fprintf(w, ".TP\n.B %s\n%s\n", name, roff(f.Help))
	}
}
