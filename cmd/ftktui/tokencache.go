package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"

	"github.com/ftktui/ftktui/fleet"
	"github.com/ftktui/ftktui/parse"
)

// tokenCache is what shell completion knows of token serials: those the
// last scan saw, per inventory and device. Serials only: no status, no
// secret, and only serials that pass parse.ValidSerial, so a hostile
// device cannot put text into an admin's command line.
type tokenCache struct {
	Inventories map[string]map[string][]string `json:"inventories"` // absolute inventory path → device → serials
}

// tokenCachePath is $XDG_CACHE_HOME/ftktui/tokens.json (~/.cache by default).
func tokenCachePath() string {
	dir := os.Getenv("XDG_CACHE_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".cache")
	}
	return filepath.Join(dir, "ftktui", "tokens.json")
}

func readTokenCache() tokenCache {
	var c tokenCache
	if p := tokenCachePath(); p != "" {
		if b, err := os.ReadFile(p); err == nil {
			_ = json.Unmarshal(b, &c)
		}
	}
	if c.Inventories == nil {
		c.Inventories = map[string]map[string][]string{}
	}
	return c
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// saveTokenCache records the serials of the reachable devices in results.
// It is a convenience: failing to write it is not an error for the scan.
func saveTokenCache(invPath string, results []fleet.DeviceResult) {
	p := tokenCachePath()
	if p == "" || invPath == "" {
		return
	}
	c := readTokenCache()
	inv := absPath(invPath)
	devs := c.Inventories[inv]
	if devs == nil {
		devs = map[string][]string{}
		c.Inventories[inv] = devs
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
		sort.Strings(sns)
		devs[r.Name] = sns
	}
	b, err := json.Marshal(c)
	if err != nil {
		return
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tokens-*.json")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		_ = os.Remove(tmp.Name())
	}
}

// cachedSerials are the serials cached for device (every device when "").
func cachedSerials(invPath, device string) []string {
	devs := readTokenCache().Inventories[absPath(invPath)]
	set := map[string]bool{}
	for name, sns := range devs {
		if device != "" && name != device {
			continue
		}
		for _, sn := range sns {
			if parse.ValidSerial(sn) {
				set[sn] = true
			}
		}
	}
	return sortedKeys(set)
}
