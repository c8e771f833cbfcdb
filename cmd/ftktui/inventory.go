package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/ftktui/ftktui/inventory"
)

// inventoryCmd is `ftktui inventory`: what a scan would touch, without
// connecting to anything.
type inventoryCmd struct {
	Tag  []string `name:"tag" placeholder:"T" help:"Only devices with this tag (repeatable)."`
	JSON bool     `name:"json" help:"Print JSON instead of a table."`
}

// inventoryDevice is one device of `ftktui inventory --json`.
type inventoryDevice struct {
	Name           string   `json:"name"`
	Host           string   `json:"host"`
	Port           int      `json:"port"`
	User           string   `json:"user"`
	PasswordSource string   `json:"password_source"`
	Tags           []string `json:"tags"`
	Groups         []string `json:"groups"`
	VDOM           string   `json:"vdom"`
	Jump           string   `json:"jump"`
	KnownHosts     string   `json:"known_hosts"`
	IdentityFiles  []string `json:"identity_files"`
	Timeout        string   `json:"timeout"`
	Line           int      `json:"line"`
}

// inventoryReport is the whole `ftktui inventory --json` document.
type inventoryReport struct {
	Inventory string            `json:"inventory"`
	Format    string            `json:"format"`
	Devices   []inventoryDevice `json:"devices"`
	Notes     []string          `json:"notes"`
}

// Run loads and prints; zero devices selected is a usage error (exit 2).
func (c *inventoryCmd) Run(_ context.Context, g *Globals) error {
	inv, err := g.loadInventory()
	if err != nil {
		return err
	}
	devs, err := inv.Select(nil, c.Tag)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if len(devs) == 0 {
		return usageErr("no device in %s matches --tag %s", inv.Path, strings.Join(c.Tag, ","))
	}
	rep := inventoryReport{Inventory: inv.Path, Format: inv.Format, Notes: inv.Notes}
	if rep.Notes == nil {
		rep.Notes = []string{}
	}
	for _, d := range devs {
		rep.Devices = append(rep.Devices, inventoryDevice{
			Name: d.Name, Host: d.Host, Port: d.Port, User: d.User, PasswordSource: passwordSource(d, g.AskPass),
			Tags: nonNil(d.Tags), Groups: nonNil(d.Groups), VDOM: d.VDOM, Jump: d.Jump, KnownHosts: d.KnownHosts,
			IdentityFiles: nonNil(d.IdentityFiles), Timeout: d.Timeout.String(), Line: d.Line,
		})
	}
	if c.JSON {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return writeInventoryTable(os.Stdout, rep)
}

func writeInventoryTable(w io.Writer, rep inventoryReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tHOST\tPORT\tUSER\tPASSWORD\tTAGS\tVDOM\tJUMP")
	for _, d := range rep.Devices {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", d.Name, d.Host, d.Port, d.User, d.PasswordSource,
			dash(strings.Join(d.Tags, ",")), d.VDOM, dash(d.Jump))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\n%d device(s) from %s (%s)\n", len(rep.Devices), rep.Inventory, rep.Format)
	return err
}

// passwordSource names where a device's password would come from, never
// the password: a password_command is shown by its program only, since
// its arguments may be anything the admin typed.
func passwordSource(d inventory.Device, askPass bool) string {
	switch {
	case d.PasswordEnv != "":
		return "env " + d.PasswordEnv
	case d.PasswordCommand != "":
		prog := strings.Fields(d.PasswordCommand)
		if len(prog) == 0 {
			return "command"
		}
		return "command " + prog[0] + "…"
	case askPass:
		return "--ask-pass"
	}
	return "none (keys/agent)"
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
