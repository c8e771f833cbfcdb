package inventory

import (
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// Defaults is a defaults block read from outside an inventory (the settings
// file's `defaults:`): the bottom of every inventory format's precedence
// chain. The zero value sets nothing.
type Defaults struct {
	s settings
}

// Setting is one key a Defaults block sets, with its value as text.
type Setting struct {
	Key, Value string
}

// ParseDefaults reads a defaults block (the same keys and rules as the YAML
// inventory's `defaults:`) from the YAML node n of file. Relative paths are
// resolved against file's directory now, so they do not move with the
// inventory that is loaded later.
func ParseDefaults(file string, n ast.Node) (Defaults, []Problem) {
	l := &yamlLoader{file: file}
	s := l.settings(n, "defaults", nil)
	if s.knownHosts != nil {
		kh := localPath(file, *s.knownHosts)
		s.knownHosts = &kh
	}
	for i, f := range s.identityFiles {
		s.identityFiles[i] = localPath(file, f)
	}
	return Defaults{s: s}, l.probs
}

// Settings lists what the block sets, in the documented key order.
func (d Defaults) Settings() []Setting {
	s := d.s
	var out []Setting
	add := func(k string, v *string) {
		if v != nil {
			out = append(out, Setting{k, *v})
		}
	}
	add("user", s.user)
	if s.port != nil {
		out = append(out, Setting{"port", strconv.Itoa(*s.port)})
	}
	add("password_env", s.passwordEnv)
	add("password_command", s.passwordCommand)
	add("known_hosts", s.knownHosts)
	if s.identityFiles != nil {
		out = append(out, Setting{"identity_file", strings.Join(s.identityFiles, ";")})
	}
	add("vdom", s.vdom)
	if s.timeout != nil {
		out = append(out, Setting{"timeout", s.timeout.String()})
	}
	add("jump", s.jump)
	if s.legacy != nil {
		out = append(out, Setting{"legacy_algorithms", strconv.FormatBool(*s.legacy)})
	}
	return out
}
