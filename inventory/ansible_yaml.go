package inventory

import (
	"errors"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// loadAnsibleYAML reads an Ansible YAML inventory: top-level groups (usually
// just `all:`), each with optional hosts:, children: and vars:.
func loadAnsibleYAML(path string, b []byte, base settings) (*Inventory, []Problem) {
	a := newAnsInv(path, FormatAnsibleYAML)
	l := &yamlLoader{file: path}
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil && se.Token.Position != nil {
			l.bad(se.Token.Position.Line, "YAML syntax: %s", se.Message)
		} else {
			l.bad(0, "YAML syntax: %v", err)
		}
		return nil, l.probs
	}
	if len(f.Docs) != 1 || f.Docs[0].Body == nil {
		l.bad(0, "an Ansible inventory must be one YAML document")
		return nil, l.probs
	}
	top, _ := l.pairs(f.Docs[0].Body, "inventory")
	for _, mv := range top {
		readAnsibleGroup(a, l, keyOf(mv), lineOf(mv.Key), mv.Value, 0)
	}
	a.probs = append(l.probs, a.probs...)
	if len(a.probs) > 0 {
		return nil, a.probs
	}
	return a.resolve(base)
}

// maxGroupNesting stops a hostile file from recursing without end.
const maxGroupNesting = 64

func readAnsibleGroup(a *ansInv, l *yamlLoader, name string, line int, n ast.Node, depth int) {
	if depth > maxGroupNesting {
		l.bad(line, "group %q: children nested deeper than %d", name, maxGroupNesting)
		return
	}
	a.group(name, line)
	what := "group " + name
	mvs, _ := l.pairs(n, what)
	for _, mv := range mvs {
		switch k := keyOf(mv); k {
		case "hosts":
			hosts, _ := l.pairs(mv.Value, what+": hosts")
			for _, h := range hosts {
				a.addHost(name, keyOf(h), lineOf(h.Key), ansibleVars(l, h.Value, "host "+keyOf(h)))
			}
		case "children":
			kids, _ := l.pairs(mv.Value, what+": children")
			for _, c := range kids {
				a.addChild(name, keyOf(c), lineOf(c.Key))
				readAnsibleGroup(a, l, keyOf(c), lineOf(c.Key), c.Value, depth+1)
			}
		case "vars":
			for k, v := range ansibleVars(l, mv.Value, what+": vars") {
				a.group(name, line).vars[k] = v
			}
		default:
			l.bad(lineOf(mv.Key), "%s: unknown key %q (want hosts, children, vars)", what, k)
		}
	}
}

// ansibleVars reads a mapping of variables; values that are lists or
// mappings are kept as non-scalar (an error only if ftktui reads that key).
func ansibleVars(l *yamlLoader, n ast.Node, what string) map[string]ansVar {
	out := map[string]ansVar{}
	mvs, _ := l.pairs(n, what)
	for _, mv := range mvs {
		v := unwrap(mv.Value)
		av := ansVar{line: lineOf(mv.Key), file: l.file}
		if tn, ok := mv.Value.(*ast.TagNode); ok && tn.Start != nil && tn.Start.Value == "!vault" {
			av.vault = true
		}
		if sn, ok := v.(ast.ScalarNode); ok {
			if _, null := v.(*ast.NullNode); !null {
				av.scalar = true
				if s, ok := sn.GetValue().(string); ok {
					av.val = s
				} else {
					av.val = sn.GetToken().Value
				}
			}
		}
		out[keyOf(mv)] = av
	}
	return out
}
