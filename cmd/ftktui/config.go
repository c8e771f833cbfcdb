package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"

	"github.com/ftktui/ftktui/config"
	"github.com/ftktui/ftktui/fleet"
)

// configCmd is `ftktui config`: the effective settings and their origin.
type configCmd struct{}

// setting is one row of `ftktui config`.
type setting struct{ key, value, from string }

// Run prints one row per setting: key, value, and flag / env / settings
// file:LINE / default.
func (configCmd) Run(_ context.Context, g *Globals) error {
	cfg := g.cfg
	if cfg == nil {
		cfg = &config.Settings{Lines: map[string]int{}}
	}
	path := config.DefaultPath()
	fileFrom := func(key string) string { return fmt.Sprintf("%s:%d", cfg.Path, cfg.Lines[key]) }
	pick := func(key, flag, flagVal, cfgVal, def string) setting {
		switch {
		case flag != "" && g.setBy(flag):
			return setting{key, flagVal, g.from[flag]}
		case cfg.Has(key):
			return setting{key, cfgVal, fileFrom(key)}
		}
		return setting{key, def, "default"}
	}
	rows := []setting{
		pick("inventory", "inventory", g.Inventory, cfg.Inventory, "inventory.yaml"),
		pick("concurrency", "", "", strconv.Itoa(cfg.Concurrency), "32"),
		pick("timeout", "", "", cfg.Timeout.String(), "2m0s"),
		pick("audit_log", "audit-log", g.AuditLog, cfg.AuditLog, fleet.DefaultAuditPath()),
		pick("theme", "", "", cfg.Theme, "auto"),
		pick("read_only", "read-only", "true", strconv.FormatBool(cfg.ReadOnly), "false"),
	}
	if cfg.ReadOnly && g.setBy("read-only") {
		rows[5].from += " (also " + fileFrom("read_only") + ")"
	}
	if _, ok := os.LookupEnv("NO_COLOR"); ok {
		rows[4] = setting{"theme", "no colour", "env NO_COLOR"}
	}
	for _, s := range cfg.Defaults.Settings() {
		rows = append(rows, setting{"defaults." + s.Key, s.Value, fileFrom("defaults")})
	}
	found := "not found: every key has its default"
	if cfg.Path != "" {
		found = "read"
	}
	fmt.Printf("settings file: %s (%s)\n\n", path, found)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "KEY\tVALUE\tFROM")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.key, dash(r.value), r.from)
	}
	return tw.Flush()
}
