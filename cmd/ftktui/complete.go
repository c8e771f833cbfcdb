package main

import (
	"os"
	"slices"
	"sort"
	"strings"

	"github.com/alecthomas/kong"

	"github.com/ftktui/ftktui/inventory"
	"github.com/ftktui/ftktui/sim"
)

// filesMarker tells the shell scripts to complete file names themselves.
const filesMarker = "__files__"

// completeCmd is the hidden `ftktui __complete -- WORDS…` the completion
// scripts call: it prints the candidates for the last word, one a line.
type completeCmd struct {
	Words []string `arg:"" optional:"" passthrough:"" help:"The command line after 'ftktui', the word being completed last."`
}

// Run prints candidates; it never fails (a broken inventory completes nothing).
func (c *completeCmd) Run(app *kong.Kong) error {
	words := c.Words
	if len(words) > 0 && words[0] == "--" {
		words = words[1:] // the scripts' separator, kept by passthrough
	}
	for _, s := range complete(app.Model, words) {
		os.Stdout.WriteString(s + "\n")
	}
	return nil
}

// fileFlags take a path: the shell completes those.
var fileFlags = map[string]bool{"inventory": true, "audit-log": true, "debug-log": true, "out": true, "output": true}

// complete returns the candidates for the last of words (the word being
// typed; "" after a space) given the command line before it.
func complete(app *kong.Application, words []string) []string {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	node := app.Node
	var pending *kong.Flag // flag before cur that takes a value
	for i := 0; i < len(before); i++ {
		w := before[i]
		if w == "--" {
			break
		}
		if strings.HasPrefix(w, "-") {
			f := findFlag(node, w)
			if f != nil && !f.IsBool() && !strings.Contains(w, "=") {
				if i == len(before)-1 {
					pending = f
				}
				i++ // its value
			}
			continue
		}
		for _, ch := range node.Children {
			if ch.Type == kong.CommandNode && !ch.Hidden && ch.Name == w {
				node = ch
				break
			}
		}
	}
	if pending != nil {
		return filter(flagValues(pending, words), cur)
	}
	if strings.HasPrefix(cur, "-") {
		if k := strings.IndexByte(cur, '='); k > 0 {
			if f := findFlag(node, cur[:k]); f != nil {
				var out []string
				for _, v := range flagValues(f, words) {
					if v != filesMarker {
						out = append(out, cur[:k+1]+v)
					}
				}
				return filter(out, cur)
			}
		}
		var out []string
		for _, group := range node.AllFlags(true) {
			for _, f := range group {
				if f.Name != "help" || node == app.Node {
					out = append(out, "--"+f.Name)
				}
			}
		}
		return filter(out, cur)
	}
	var out []string
	for _, ch := range node.Children {
		if ch.Type == kong.CommandNode && !ch.Hidden {
			out = append(out, ch.Name)
		}
	}
	for _, p := range node.Positional {
		if e := p.EnumSlice(); len(e) > 0 && e[0] != "" {
			out = append(out, e...)
		}
	}
	return filter(out, cur)
}

func findFlag(node *kong.Node, w string) *kong.Flag {
	name := strings.TrimLeft(w, "-")
	if k := strings.IndexByte(name, '='); k >= 0 {
		name = name[:k]
	}
	short := !strings.HasPrefix(w, "--") && len(name) == 1
	for _, group := range node.AllFlags(false) {
		for _, f := range group {
			if (short && f.Short == rune(name[0])) || (!short && (f.Name == name || slices.Contains(f.Aliases, name))) {
				return f
			}
		}
	}
	return nil
}

// flagValues are the values worth offering for f.
func flagValues(f *kong.Flag, words []string) []string {
	if fileFlags[f.Name] {
		return []string{filesMarker}
	}
	if e := f.EnumSlice(); len(e) > 0 && e[0] != "" {
		return e
	}
	switch f.Name {
	case "device":
		if inv := completionInventory(words); inv != nil {
			names := make([]string, 0, len(inv.Devices))
			for _, d := range inv.Devices {
				names = append(names, d.Name)
			}
			return names
		}
	case "tag":
		if inv := completionInventory(words); inv != nil {
			set := map[string]bool{}
			for _, d := range inv.Devices {
				for _, t := range d.Tags {
					set[t] = true
				}
			}
			return sortedKeys(set)
		}
	case "token":
		return cachedSerials(inventoryArg(words), valueOf(words, "device"))
	case "scenario":
		var out []string
		for _, s := range append(sim.AllScenarios(), sim.ExtraScenarios()...) {
			out = append(out, string(s))
		}
		return out
	case "apps":
		return []string{"forticldd", "fortitoken", "alertmail", "forticldd,fortitoken", "forticldd,fortitoken,alertmail"}
	}
	return nil
}

// inventoryArg is the inventory the command line names (-i, --inventory),
// else $FTKTUI_INVENTORY, else ./inventory.yaml.
func inventoryArg(words []string) string {
	if v := valueOf(words, "inventory"); v != "" {
		return v
	}
	if v := os.Getenv("FTKTUI_INVENTORY"); v != "" {
		return v
	}
	return "inventory.yaml"
}

// valueOf finds --name VALUE, --name=VALUE (and -i for inventory).
func valueOf(words []string, name string) string {
	for i, w := range words {
		switch {
		case w == "--"+name || (name == "inventory" && w == "-i"):
			if i+1 < len(words)-1 { // not the word being typed
				return words[i+1]
			}
		case strings.HasPrefix(w, "--"+name+"="):
			return strings.TrimPrefix(w, "--"+name+"=")
		}
	}
	return ""
}

func completionInventory(words []string) *inventory.Inventory {
	inv, err := inventory.Load(inventoryArg(words), inventory.LoadOptions{Hosts: valueOf(words, "hosts")})
	if err != nil {
		return nil
	}
	return inv
}

func filter(cands []string, prefix string) []string {
	var out []string
	for _, c := range cands {
		if c == filesMarker {
			return []string{filesMarker}
		}
		if strings.HasPrefix(c, prefix) {
			out = append(out, c)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
