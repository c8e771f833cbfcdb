package main

import (
	"fmt"
	"github.com/ftktui/ftktui/tui"
	"os"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/ftktui/ftktui/config"
)

// applySettings loads the settings file into g and lays it under the flags:
// a flag or its environment variable wins, the file fills what they left
// unset. read_only can only be turned on (a shared jump host's setting is
// not undone by a flag).
func applySettings(kctx *kong.Context, g *Globals, args []string) error {
	cfg, err := config.Load(config.DefaultPath())
	if err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("settings file has mistakes:\n%v", err)}
	}
	g.cfg = cfg
	g.from = flagSources(kctx, args)
	if cfg.ReadOnly {
		g.ReadOnly = true
	}
	if g.AuditLog == "" {
		g.AuditLog = cfg.AuditLog
	}
	return nil
}

// flagSources tells, for each flag that has a value, whether it came from
// the command line ("flag") or its environment variable ("env NAME").
func flagSources(kctx *kong.Context, args []string) map[string]string {
	out := map[string]string{}
	for _, f := range kctx.Flags() {
		if onCommandLine(f, args) {
			out[f.Name] = "flag --" + f.Name
			continue
		}
		for _, env := range f.Tag.Envs {
			if v, ok := os.LookupEnv(env); ok && v != "" {
				out[f.Name] = "env " + env
				break
			}
		}
	}
	return out
}

func onCommandLine(f *kong.Flag, args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "--"+f.Name || strings.HasPrefix(a, "--"+f.Name+"=") {
			return true
		}
		if f.Short != 0 && len(a) >= 2 && a[0] == '-' && rune(a[1]) == f.Short { // -i FILE, -iFILE
			return true
		}
	}
	return false
}

// setBy reports whether the user set flag name (command line or env).
func (g *Globals) setBy(name string) bool { _, ok := g.from[name]; return ok }

// theme is the console theme from the settings file (auto by default).
func (g *Globals) theme() string {
	if g.cfg != nil && g.cfg.Theme != "" {
		return g.cfg.Theme
	}
	return tui.ThemeAuto
}
