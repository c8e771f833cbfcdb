// Package inventory reads the devices ftktui works on: its own YAML
// (docs/spec.md §3), an OpenSSH client config, an Ansible inventory (INI or YAML) or
// a CSV, detected by content, with the settings file's defaults underneath;
// it resolves password sources (never a password in a file) and the
// --device/--tag selection. It knows nothing of SSH: fleet turns a Device
// into what package device dials.
package inventory

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Inventory defaults applied when neither defaults, groups nor the device set a value.
const (
	DefaultUser    = "admin"
	DefaultPort    = 22
	DefaultTimeout = 20 * time.Second
)

// Inventory is a parsed inventory file: the devices with every setting resolved.
type Inventory struct {
	Path    string   // the file it was loaded from
	Format  string   // one of the Format* names (DetectFormat)
	Devices []Device // in file order
	Notes   []string // things the user should know that are not errors (skipped hosts, ignored columns)

	askPass  func() (string, error)
	passOnce sync.Once
	pass     string
	passErr  error
	cmdCache sync.Map // password_command → *cmdSecret, so 1000 devices run it once
}

// LoadOptions tune Load.
type LoadOptions struct {
	Hosts   string                 // ssh_config: Host pattern picking the entries (default "*")
	AskPass func() (string, error) // --ask-pass: asked once, lazily, for devices without a password source
	// Defaults come from the settings file: applied under every format,
	// below the inventory's own defaults, groups and devices.
	Defaults Defaults
}

// Device is one device with defaults and groups applied. It holds the
// name of the password source, never a password.
type Device struct {
	Name             string
	Host             string
	Port             int
	User             string
	PasswordEnv      string
	PasswordCommand  string
	IdentityFiles    []string
	KnownHosts       string
	VDOM             string
	Timeout          time.Duration
	Jump             string // user@host:port
	LegacyAlgorithms bool
	Groups           []string
	Tags             []string
	Line             int // line of the device in the inventory file
}

// String names the device for logs: never a password (there is none to show).
func (d Device) String() string {
	return fmt.Sprintf("%s (%s@%s:%d)", d.Name, d.User, d.Host, d.Port)
}

// HasTag reports whether the device carries tag t.
func (d Device) HasTag(t string) bool {
	for _, x := range d.Tags {
		if x == t {
			return true
		}
	}
	return false
}

// Device returns the device named name.
func (inv *Inventory) Device(name string) (Device, bool) {
	for _, d := range inv.Devices {
		if d.Name == name {
			return d, true
		}
	}
	return Device{}, false
}

// ErrNoDevices means a selection matched no device: an input error, never an
// empty success.
var ErrNoDevices = errors.New("no device selected")

// Select returns the devices named in names (all when empty) that match the
// tags (see matchTags: repeated tags = any, "a+b" = all). An unknown name,
// or a selection that matches nothing, is an error (ErrNoDevices) so a typo
// never silently scans nothing.
func (inv *Inventory) Select(names, tags []string) ([]Device, error) {
	var out []Device
	if len(names) == 0 {
		out = append(out, inv.Devices...)
	} else {
		for _, n := range names {
			d, ok := inv.Device(n)
			if !ok {
				return nil, fmt.Errorf("device %q is not in %s", n, inv.Path)
			}
			out = append(out, d)
		}
	}
	if len(tags) == 0 {
		if len(out) == 0 {
			return nil, fmt.Errorf("%w: the inventory %s has no devices", ErrNoDevices, inv.Path)
		}
		return out, nil
	}
	kept := out[:0]
	for _, d := range out {
		if matchTags(d, tags) {
			kept = append(kept, d)
		}
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("%w: no device in %s has any of the tags %s (repeated --tag = any of them; --tag a+b = all of a and b)",
			ErrNoDevices, inv.Path, strings.Join(tags, ", "))
	}
	return kept, nil
}

// matchTags is the --tag rule: repeated tags select devices having ANY of
// them (what admins expect: --tag paris --tag lyon); within one value,
// "a+b" requires ALL of a and b.
func matchTags(d Device, tags []string) bool {
	for _, t := range tags {
		all := true
		for _, part := range strings.Split(t, "+") {
			if part = strings.TrimSpace(part); part != "" && !d.HasTag(part) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// Problem is one mistake in an inventory file.
type Problem struct {
	File    string
	Line    int
	Message string
}

// String is the FILE:LINE: message form.
func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Message)
}

// InventoryError lists every mistake found in an inventory (CLI exit 2).
type InventoryError struct {
	Problems []Problem
}

// Error lists every problem, one per line.
func (e *InventoryError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads an inventory: the YAML format of docs/spec.md §3, an OpenSSH
// client config, an Ansible inventory (INI or YAML) or a CSV, detected by
// content (DetectFormat). Every problem found is reported at once in an
// *InventoryError.
func Load(path string, o LoadOptions) (*Inventory, error) {
	b, prob := readInventory(path)
	if prob != nil {
		return nil, &InventoryError{Problems: []Problem{*prob}}
	}
	inv, probs := loadByContent(path, b, o)
	if len(probs) > 0 {
		// In file order, as an editor would walk them.
		sort.SliceStable(probs, func(i, j int) bool { return probs[i].Line < probs[j].Line })
		return nil, &InventoryError{Problems: probs}
	}
	inv.askPass = o.AskPass
	return inv, nil
}

var sshHostLine = regexp.MustCompile(`(?im)^\s*(host|match)(\s+|\s*=\s*)\S`)

// looksLikeSSHConfig: an ssh_config has Host/Match lines and no YAML top-level keys.
func looksLikeSSHConfig(b []byte) bool {
	if !sshHostLine.Match(b) {
		return false
	}
	return !ftkYAMLKey.Match(b)
}

// expandHome expands a leading "~/" (or a lone "~") to the home directory.
func expandHome(p string) string {
	if p != "~" && !strings.HasPrefix(p, "~/") {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return p
	}
	return filepath.Join(home, strings.TrimPrefix(p, "~"))
}

// localPath expands ~ and resolves a relative path against the inventory
// file's directory, so an inventory works from any working directory.
func localPath(inventory, p string) string {
	p = expandHome(p)
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(inventory), p)
}

var (
	deviceNameRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$`)
	vdomNameRe   = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,30}$`)
	envNameRe    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	hostRe       = regexp.MustCompile(`^[A-Za-z0-9._:%\[\]-]+$`)
)
