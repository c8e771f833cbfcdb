package inventory

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/ftktui/ftktui/parse"
)

// yamlLoader collects problems while walking the YAML tree.
type yamlLoader struct {
	file  string
	probs []Problem
	base  settings // the settings file's defaults, below the inventory's own
}

// bad records a problem. Every string argument is quoted bounded
// (parse.Bounded): a value from the file may be megabytes long.
func (l *yamlLoader) bad(line int, format string, args ...any) {
	l.probs = append(l.probs, Problem{File: l.file, Line: line, Message: fmt.Sprintf(format, parse.BoundArgs(args)...)})
}

func lineOf(n ast.Node) int {
	if n == nil || n.GetToken() == nil || n.GetToken().Position == nil {
		return 0
	}
	return n.GetToken().Position.Line
}

// unwrap removes anchors and tags, which carry no meaning here.
func unwrap(n ast.Node) ast.Node {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		default:
			return n
		}
	}
}

// pairs returns the key/value pairs of a mapping node, reporting duplicate keys.
func (l *yamlLoader) pairs(n ast.Node, what string) ([]*ast.MappingValueNode, bool) {
	n = unwrap(n)
	var mvs []*ast.MappingValueNode
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return nil, true
	case *ast.MappingNode:
		mvs = v.Values
	case *ast.MappingValueNode:
		mvs = []*ast.MappingValueNode{v}
	case *ast.AliasNode:
		l.bad(lineOf(n), "%s: YAML aliases are not supported; use groups", what)
		return nil, false
	default:
		l.bad(lineOf(n), "%s must be a mapping", what)
		return nil, false
	}
	seen := map[string]int{}
	for _, mv := range mvs {
		k := keyOf(mv)
		if first, dup := seen[k]; dup {
			l.bad(lineOf(mv.Key), "%s: duplicate key %q (first at line %d)", what, k, first)
		} else {
			seen[k] = lineOf(mv.Key)
		}
	}
	return mvs, true
}

func keyOf(mv *ast.MappingValueNode) string {
	if t := mv.Key.GetToken(); t != nil {
		return t.Value
	}
	return mv.Key.String()
}

// scalar returns the text of a scalar node; ok=false (with a problem) otherwise.
func (l *yamlLoader) scalar(n ast.Node, key string) (string, bool) {
	n = unwrap(n)
	switch v := n.(type) {
	case nil, *ast.NullNode:
		l.bad(lineOf(n), "%s: missing value", key)
		return "", false
	case ast.ScalarNode:
		if s, ok := v.GetValue().(string); ok {
			return s, true
		}
		return v.GetToken().Value, true
	default:
		l.bad(lineOf(n), "%s must be a single value", key)
		return "", false
	}
}

// list returns a list of strings; a single scalar counts as a one-item list.
func (l *yamlLoader) list(n ast.Node, key string) ([]string, bool) {
	n = unwrap(n)
	seq, ok := n.(*ast.SequenceNode)
	if !ok {
		s, ok := l.scalar(n, key)
		if !ok {
			return nil, false
		}
		return []string{s}, true
	}
	out := make([]string, 0, len(seq.Values))
	good := true
	for _, v := range seq.Values {
		s, ok := l.scalar(v, key)
		if !ok {
			good = false
			continue
		}
		out = append(out, s)
	}
	return out, good
}

func (l *yamlLoader) load(b []byte) (*Inventory, []Problem) {
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		line := 0
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
			line = se.Token.Position.Line
			l.bad(line, "YAML syntax: %s", se.Message)
		} else {
			l.bad(0, "YAML syntax: %v", err)
		}
		return nil, l.probs
	}
	inv := &Inventory{Path: l.file, Format: "yaml"}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		l.bad(0, "inventory must be one YAML document with a devices list")
		return nil, l.probs
	}
	top, ok := l.pairs(f.Docs[0].Body, "inventory")
	if !ok {
		return nil, l.probs
	}
	var defaults settings
	groups := map[string]settings{}
	var devNode ast.Node
	devLine := 0
	for _, mv := range top {
		switch k := keyOf(mv); k {
		case "defaults":
			defaults = l.settings(mv.Value, "defaults", nil)
		case "groups":
			l.groups(mv.Value, groups)
		case "devices":
			devNode, devLine = mv.Value, lineOf(mv.Key)
		default:
			l.bad(lineOf(mv.Key), "unknown key %q (expected defaults, groups, devices)", k)
		}
	}
	seq, isSeq := unwrap(devNode).(*ast.SequenceNode)
	switch {
	case devNode == nil && devLine == 0:
		l.bad(0, "no devices: the inventory needs a devices list")
	case !isSeq:
		if _, null := unwrap(devNode).(*ast.NullNode); !null && devNode != nil {
			l.bad(devLine, "devices must be a list")
		}
	default:
		inv.Devices = l.devices(seq, defaults, groups)
	}
	if len(l.probs) > 0 {
		return nil, l.probs
	}
	return inv, nil
}

func (l *yamlLoader) groups(n ast.Node, into map[string]settings) {
	mvs, ok := l.pairs(n, "groups")
	if !ok {
		return
	}
	for _, mv := range mvs {
		name := keyOf(mv)
		into[name] = l.settings(mv.Value, "group "+strconv.Quote(name), nil)
	}
}

func (l *yamlLoader) devices(seq *ast.SequenceNode, defaults settings, groups map[string]settings) []Device {
	var out []Device
	names := map[string]int{}
	for _, item := range seq.Values {
		line := lineOf(item)
		if m, ok := unwrap(item).(*ast.MappingNode); ok && len(m.Values) > 0 {
			line = lineOf(m.Values[0].Key)
		}
		d := Device{User: DefaultUser, Port: DefaultPort, VDOM: parse.DefaultVDOM, Timeout: DefaultTimeout,
			KnownHosts: "~/.ssh/known_hosts", Line: line}
		l.base.apply(&d)
		defaults.apply(&d)
		var own settings
		extra := map[string]ast.Node{}
		own = l.settings(item, deviceLabel(item), extra)
		if v, ok := extra["name"]; ok {
			d.Name, _ = l.scalar(v, "name")
		}
		if v, ok := extra["host"]; ok {
			d.Host, _ = l.scalar(v, "host")
		}
		if v, ok := extra["groups"]; ok {
			d.Groups, _ = l.list(v, "groups")
		}
		if v, ok := extra["tags"]; ok {
			d.Tags, _ = l.list(v, "tags")
		}
		label := "device"
		if d.Name != "" {
			label = "device " + strconv.Quote(d.Name)
		}
		switch {
		case d.Name == "":
			l.bad(line, "device: missing name")
		case !deviceNameRe.MatchString(d.Name):
			l.bad(line, "device name %q: use letters, digits and . _ - : @ only", d.Name)
		default:
			if first, dup := names[d.Name]; dup {
				l.bad(line, "duplicate device name %q (first at line %d)", d.Name, first)
			} else {
				names[d.Name] = line
			}
		}
		if d.Host == "" {
			l.bad(line, "%s: missing host", label)
		} else if !hostRe.MatchString(d.Host) {
			l.bad(line, "%s: host %q is not a host name or address", label, d.Host)
		}
		for _, g := range d.Groups {
			gs, ok := groups[g]
			if !ok {
				l.bad(lineOf(extra["groups"]), "%s: unknown group %q", label, g)
				continue
			}
			gs.apply(&d)
		}
		own.apply(&d)
		d.KnownHosts = localPath(l.file, d.KnownHosts)
		ids := make([]string, len(d.IdentityFiles))
		for i, f := range d.IdentityFiles {
			ids[i] = localPath(l.file, f)
		}
		d.IdentityFiles = ids
		out = append(out, d)
	}
	return out
}

func loadYAML(path string, b []byte, base settings) (*Inventory, []Problem) {
	if p := yamlShape(path, b); p != nil {
		return nil, []Problem{*p}
	}
	l := &yamlLoader{file: path, base: base}
	inv, probs := l.load(b)
	return inv, capProblems(path, probs)
}

// deviceLabel names a device entry for messages about its settings, before
// the entry itself has been read: `device "paris-fw1"`, or just `device`.
func deviceLabel(item ast.Node) string {
	m, ok := unwrap(item).(*ast.MappingNode)
	if !ok {
		return "device"
	}
	for _, mv := range m.Values {
		if keyOf(mv) != "name" {
			continue
		}
		if v, ok := unwrap(mv.Value).(*ast.StringNode); ok && v.Value != "" {
			return "device " + strconv.Quote(v.Value)
		}
	}
	return "device"
}
