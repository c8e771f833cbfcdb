package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
	"github.com/posener/complete"
)

// completionCmd is `ftktui completion bash|zsh|fish`: it prints the script
// that makes the shell ask ftktui itself for completions (the posener/complete
// COMP_LINE protocol, answered by kongplete from the same CLI model as
// --help), so flags, commands, device names and token serials stay current.
type completionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"bash, zsh or fish."`
}

// Run prints the completion script for the shell.
func (c *completionCmd) Run() error {
	bin, err := os.Executable()
	if err != nil {
		bin = "ftktui"
	}
	q := fleet.ShellQuote(bin)
	switch c.Shell {
	case "bash":
		fmt.Printf("# ftktui completion for bash: eval \"$(ftktui completion bash)\" in ~/.bashrc\ncomplete -o default -C %s ftktui\n", q)
	case "zsh":
		fmt.Printf("# ftktui completion for zsh: eval \"$(ftktui completion zsh)\" in ~/.zshrc\nautoload -U +X bashcompinit && bashcompinit\ncomplete -o default -C %s ftktui\n", q)
	case "fish":
		fmt.Printf("# ftktui completion for fish: ftktui completion fish | source\ncomplete -c ftktui -f -a \"(env COMP_LINE=(commandline -cp) %s)\"\n", q)
	}
	return nil
}

// inventoryFromLine finds -i/--inventory (and --hosts) on a partial command
// line, else $FTKTUI_INVENTORY, else ./inventory.yaml.
func inventoryFromLine(words []string) (path, hosts string) {
	path = os.Getenv("FTKTUI_INVENTORY")
	for i, w := range words {
		next := ""
		if i+1 < len(words) {
			next = words[i+1]
		}
		switch {
		case w == "-i" || w == "--inventory":
			path = next
		case strings.HasPrefix(w, "--inventory="):
			path = strings.TrimPrefix(w, "--inventory=")
		case w == "--hosts":
			hosts = next
		case strings.HasPrefix(w, "--hosts="):
			hosts = strings.TrimPrefix(w, "--hosts=")
		}
	}
	if path == "" {
		path = "inventory.yaml"
	}
	return path, hosts
}

// predictDevices completes --device with the inventory's device names.
var predictDevices = complete.PredictFunc(func(a complete.Args) []string {
	path, hosts := inventoryFromLine(a.All)
	inv, err := fleet.LoadInventory(path, fleet.LoadOptions{Hosts: hosts})
	if err != nil {
		return nil
	}
	out := make([]string, 0, len(inv.Devices))
	for _, d := range inv.Devices {
		out = append(out, d.Name)
	}
	return out
})

// predictTokens completes --token with the serials the last scan of this
// inventory found (on the --device given, else on every device).
var predictTokens = complete.PredictFunc(func(a complete.Args) []string {
	path, _ := inventoryFromLine(a.All)
	cache := readTokenCache(path)
	dev := ""
	for i, w := range a.All {
		if w == "--device" && i+1 < len(a.All) {
			dev = a.All[i+1]
		} else if strings.HasPrefix(w, "--device=") {
			dev = strings.TrimPrefix(w, "--device=")
		}
	}
	var out []string
	for d, sns := range cache {
		if dev == "" || d == dev {
			out = append(out, sns...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
})

// tokenCachePath is where a scan leaves the serials it saw, per inventory,
// for completion: $XDG_CACHE_HOME/ftktui/tokens-<inventory path>.json.
func tokenCachePath(inventory string) string {
	abs, err := filepath.Abs(inventory)
	if err != nil {
		abs = inventory
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	name := strings.NewReplacer("/", "_", "\\", "_", ":", "_").Replace(abs)
	return filepath.Join(dir, "ftktui", "tokens-"+name+".json")
}

// writeTokenCache records the valid serials per device (best effort: a
// cache that cannot be written only costs completion). Invalid serials from
// a device are never offered to a shell.
func writeTokenCache(inventory string, results []fleet.DeviceResult) {
	p := tokenCachePath(inventory)
	if p == "" {
		return
	}
	cache := readTokenCache(inventory)
	if cache == nil {
		cache = map[string][]string{}
	}
	for _, r := range results {
		if !r.Reachable {
			continue
		}
		var sns []string
		for _, t := range r.Tokens {
			if parse.ValidSerial(t.Serial) {
				sns = append(sns, t.Serial)
			}
		}
		cache[r.Name] = sns
	}
	b, err := json.Marshal(cache)
	if err != nil {
		return
	}
	if os.MkdirAll(filepath.Dir(p), 0o700) != nil {
		return
	}
	tmp := p + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		_ = os.Rename(tmp, p)
	}
}

func readTokenCache(inventory string) map[string][]string {
	p := tokenCachePath(inventory)
	if p == "" {
		return nil
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil
	}
	var cache map[string][]string
	if json.Unmarshal(b, &cache) != nil {
		return nil
	}
	for d, sns := range cache { // the file is ours, but a shell must never get a hostile value
		cache[d] = slices.DeleteFunc(sns, func(s string) bool { return !parse.ValidSerial(s) })
	}
	return cache
}
