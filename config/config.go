// Package config reads the settings file, $XDG_CONFIG_HOME/ftktui/config.yaml:
// defaults an admin sets once (inventory, concurrency, timeout, audit log,
// theme, read-only) and a defaults block applied under every inventory
// format. Every key is optional; an unknown key is an error with FILE:LINE.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/ftktui/ftktui/inventory"
)

// Themes the console accepts; auto follows the terminal's background.
var Themes = []string{"auto", "dark", "light"}

// MaxSize bounds the settings file: it is a few lines, and reading a huge
// file by mistake must not stall every command.
const MaxSize = 1 << 20

// Settings is what the settings file sets; zero values are "not set" (Lines
// tells which keys were present).
type Settings struct {
	Path        string // the file read; "" when there is none
	Inventory   string // absolute, or relative to the working directory as written
	Concurrency int
	Timeout     time.Duration
	AuditLog    string
	Theme       string
	ReadOnly    bool
	Defaults    inventory.Defaults
	Lines       map[string]int // key → line in Path, for every key present
}

// Has reports whether the file set key.
func (s *Settings) Has(key string) bool { _, ok := s.Lines[key]; return ok }

// Error lists every mistake in the settings file (CLI exit 2).
type Error struct {
	Problems []inventory.Problem
}

// Error is one FILE:LINE: message per line.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// DefaultPath is $XDG_CONFIG_HOME/ftktui/config.yaml, else
// ~/.config/ftktui/config.yaml (the XDG base directory default).
func DefaultPath() string {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) { // the spec says relative values are ignored
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "ftktui", "config.yaml")
}

// Load reads the settings file at path; a file that does not exist is no
// settings at all (every key is optional), not an error.
func Load(path string) (*Settings, error) {
	s := &Settings{Lines: map[string]int{}}
	if path == "" {
		return s, nil
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, &Error{[]inventory.Problem{{File: path, Message: fmt.Sprintf("cannot read settings: %v", err)}}}
	}
	defer f.Close()
	b := make([]byte, MaxSize+1)
	n, _ := readFull(f, b)
	if n > MaxSize {
		return nil, &Error{[]inventory.Problem{{File: path, Message: fmt.Sprintf("settings file larger than %d bytes", MaxSize)}}}
	}
	s.Path = path
	probs := s.parse(b[:n])
	if len(probs) > 0 {
		return nil, &Error{probs}
	}
	return s, nil
}

func readFull(f *os.File, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		m, err := f.Read(b[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

func (s *Settings) parse(b []byte) []inventory.Problem {
	var probs []inventory.Problem
	bad := func(line int, format string, args ...any) {
		probs = append(probs, inventory.Problem{File: s.Path, Line: line, Message: fmt.Sprintf(format, args...)})
	}
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
			bad(se.Token.Position.Line, "YAML syntax: %s", se.Message)
		} else {
			bad(0, "YAML syntax: %v", err)
		}
		return probs
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil // an empty file sets nothing
	}
	if len(f.Docs) > 1 {
		bad(0, "settings must be one YAML document")
		return probs
	}
	body := f.Docs[0].Body
	var mvs []*ast.MappingValueNode
	switch v := body.(type) {
	case *ast.MappingNode:
		mvs = v.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{v}
	case *ast.NullNode:
		return nil
	default:
		bad(line(body), "settings must be a mapping of keys (inventory, concurrency, timeout, audit_log, theme, read_only, defaults)")
		return probs
	}
	for _, mv := range mvs {
		key, ln := mv.Key.GetToken().Value, line(mv.Key)
		if first, dup := s.Lines[key]; dup {
			bad(ln, "duplicate key %q (first at line %d)", key, first)
			continue
		}
		s.Lines[key] = ln
		if key == "defaults" {
			d, p := inventory.ParseDefaults(s.Path, mv.Value)
			s.Defaults = d
			probs = append(probs, p...)
			continue
		}
		val, ok := scalar(mv.Value)
		if !ok {
			if _, known := keyHelp[key]; known {
				bad(ln, "%s must be a single value", key)
				continue
			}
		}
		s.set(key, val, ln, bad)
	}
	return probs
}

// set applies one scalar top-level key; bad records what is wrong with it.
func (s *Settings) set(key, val string, ln int, bad func(line int, format string, args ...any)) {
	switch key {
	case "inventory":
		s.Inventory = s.localPath(val)
	case "audit_log":
		s.AuditLog = s.localPath(val)
	case "concurrency":
		n, err := strconv.Atoi(val)
		if err != nil || n < 1 {
			bad(ln, "concurrency must be a whole number of at least 1, not %q", val)
		}
		s.Concurrency = n
	case "timeout":
		t, err := time.ParseDuration(val)
		if err != nil || t <= 0 {
			bad(ln, "bad duration %q for timeout (e.g. 2m, 90s)", val)
		}
		s.Timeout = t
	case "theme":
		if !oneOf(val, Themes) {
			bad(ln, "theme must be auto, dark or light, not %q", val)
		}
		s.Theme = val
	case "read_only":
		v, err := strconv.ParseBool(val)
		if err != nil {
			bad(ln, "read_only must be true or false, not %q", val)
		}
		s.ReadOnly = v
	default:
		bad(ln, "unknown key %q (known: inventory, concurrency, timeout, audit_log, theme, read_only, defaults)", key)
	}
}

// keyHelp names the top-level keys (the README documents them).
var keyHelp = map[string]string{
	"inventory":   "inventory used when neither -i nor $FTKTUI_INVENTORY is given",
	"concurrency": "scan: devices scanned at once",
	"timeout":     "scan: time limit for one device",
	"audit_log":   "audit log file",
	"theme":       "console colours: auto, dark or light",
	"read_only":   "true: no action can be sent, whatever the flags say",
	"defaults":    "settings under every inventory's own (user, password_env, known_hosts, ...)",
}

func oneOf(v string, set []string) bool {
	for _, s := range set {
		if v == s {
			return true
		}
	}
	return false
}

// localPath expands ~ and resolves a relative path against the settings
// file's directory, so it means the same from any working directory.
func (s *Settings) localPath(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, strings.TrimPrefix(p, "~"))
		}
	}
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(filepath.Dir(s.Path), p)
}

func line(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

func scalar(n ast.Node) (string, bool) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
			continue
		case *ast.TagNode:
			n = v.Value
			continue
		}
		break
	}
	if _, null := n.(*ast.NullNode); null || n == nil {
		return "", false
	}
	sn, ok := n.(ast.ScalarNode)
	if !ok {
		return "", false
	}
	if s, ok := sn.GetValue().(string); ok {
		return s, true
	}
	return sn.GetToken().Value, true
}
