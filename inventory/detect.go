package inventory

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"path/filepath"
	"regexp"
	"strings"
)

// Inventory formats, as Inventory.Format names them.
const (
	FormatYAML        = "yaml"         // ftktui's own YAML (docs/spec.md §3)
	FormatSSHConfig   = "ssh_config"   // an OpenSSH client config
	FormatAnsibleINI  = "ansible-ini"  // an Ansible inventory, INI flavour
	FormatAnsibleYAML = "ansible-yaml" // an Ansible inventory, YAML flavour
	FormatCSV         = "csv"          // a CSV with a name,host,... header
)

var (
	ftkYAMLKey     = regexp.MustCompile(`(?m)^(defaults|groups|devices)\s*:`)
	ansibleYAMLKey = regexp.MustCompile(`(?m)^(all\s*:|\s+(hosts|children)\s*:)`)
	iniSection     = regexp.MustCompile(`(?m)^[ \t]*\[[A-Za-z0-9_.-]+(:[a-z]+)?\]?\s*([#;].*)?$`) // an unclosed [group is still INI, to say so
	iniHostVar     = regexp.MustCompile(`(?m)^\S+\s+ansible_[a-z_]+=`)
	utf8BOM        = []byte("\xef\xbb\xbf")
)

// detectHead is how much of a file DetectFormat reads.
const detectHead = 64 << 10

// DetectFormat tells which inventory format b is, from its content; the
// file name only breaks a tie for CSV, whose header says it all anyway.
// An ftktui YAML is the fallback, so a broken file gets YAML's errors.
func DetectFormat(path string, b []byte) string {
	b = bytes.TrimPrefix(b, utf8BOM)
	// The head says which format it is; scanning a 2 MiB file several
	// times with multi-line regexps was most of refusing a hostile one.
	if len(b) > detectHead {
		b = b[:detectHead]
		if i := bytes.LastIndexByte(b, '\n'); i > 0 {
			b = b[:i+1]
		}
	}
	switch {
	case ftkYAMLKey.Match(b):
		return FormatYAML
	case looksLikeCSV(b) || strings.EqualFold(filepath.Ext(path), ".csv"):
		return FormatCSV
	case iniSection.Match(b) || iniHostVar.Match(b):
		return FormatAnsibleINI
	case ansibleYAMLKey.Match(b):
		return FormatAnsibleYAML
	case looksLikeSSHConfig(b):
		return FormatSSHConfig
	}
	return FormatYAML
}

// looksLikeCSV: the first line that is not blank or a comment is a CSV
// record naming at least the name and host columns.
func looksLikeCSV(b []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if !strings.Contains(line, ",") {
			return false
		}
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			return false
		}
		var name, host bool
		for _, f := range rec {
			switch strings.ToLower(strings.TrimSpace(f)) {
			case "name":
				name = true
			case "host":
				host = true
			}
		}
		return name && host
	}
	return false
}

// loadByContent dispatches to the loader of b's format. base is the settings
// file's defaults block, applied under every format.
func loadByContent(path string, b []byte, o LoadOptions) (*Inventory, []Problem) {
	base := o.Defaults.s
	switch DetectFormat(path, b) {
	case FormatSSHConfig:
		return loadSSHConfig(path, b, o.Hosts, base)
	case FormatCSV:
		return loadCSV(path, b, base)
	case FormatAnsibleINI:
		return loadAnsibleINI(path, b, base)
	case FormatAnsibleYAML:
		return loadAnsibleYAML(path, b, base)
	}
	return loadYAML(path, b, base)
}
