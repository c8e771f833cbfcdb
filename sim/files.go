package sim

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh/knownhosts"
)

// WriteFiles writes inventory.yaml, known_hosts and hosts.txt into dir.
func (f *Fleet) WriteFiles(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return fmt.Errorf("sim write files: %w", err)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		return fmt.Errorf("sim write files: %w", err)
	}
	kh := filepath.Join(abs, "known_hosts")
	var inv, khb, hosts strings.Builder
	fmt.Fprintf(&inv, "# simulated FortiGate fleet written by ftktui sim\ndefaults:\n  user: %s\n  password_env: FTKTUI_PASSWORD\n  known_hosts: %s\ndevices:\n",
		yamlQuote(f.o.User), yamlQuote(kh))
	for _, d := range f.devices {
		tags := make([]string, len(d.scen))
		for i, s := range d.scen {
			tags[i] = string(s)
		}
		fmt.Fprintf(&inv, "  - name: %s\n    host: %s\n    port: %d\n    tags: [%s]\n", yamlQuote(d.name), f.host, d.port, strings.Join(tags, ", "))
		khb.WriteString(knownhosts.Line([]string{knownhosts.Normalize(d.Addr())}, d.knownKey) + "\n")
		hosts.WriteString(d.Addr() + "\n")
	}
	for name, body := range map[string]string{"inventory.yaml": inv.String(), "known_hosts": khb.String(), "hosts.txt": hosts.String()} {
		if err := os.WriteFile(filepath.Join(abs, name), []byte(body), 0o600); err != nil {
			return fmt.Errorf("sim write %s: %w", name, err)
		}
	}
	return nil
}

// yamlQuote quotes s when plain YAML would misread it.
func yamlQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./", r))
	}) < 0 {
		return s
	}
	return strconv.Quote(s)
}
