package inventory

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// maxVarsFile bounds one group_vars/host_vars file: they hold a few
// variables, and a mistaken path must not be read whole.
const maxVarsFile = 1 << 20

// readVarsDirs merges group_vars/ and host_vars/ next to the inventory file
// into the groups and hosts, as Ansible does: a file's variables beat the
// inventory file's for the same group or host (group_vars/NAME[.yml|.yaml|
// .json] or every file in group_vars/NAME/). Vault-encrypted files are
// skipped with a note: ftktui never decrypts anything.
func (a *ansInv) readVarsDirs(inv *[]string) {
	dir := filepath.Dir(a.file)
	a.group("all", 0)
	a.group("ungrouped", 0)
	for _, name := range sortedKeys(a.groups) {
		for _, f := range varsFiles(filepath.Join(dir, "group_vars"), name) {
			a.mergeVarsFile(f, a.groups[name].vars, inv)
		}
	}
	for _, name := range a.hostOrder {
		for _, f := range varsFiles(filepath.Join(dir, "host_vars"), name) {
			a.mergeVarsFile(f, a.hosts[name].vars, inv)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// varsFiles lists the files Ansible would read for name under base.
func varsFiles(base, name string) []string {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return nil
	}
	p := filepath.Join(base, name)
	if st, err := os.Stat(p); err == nil && st.IsDir() {
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil
		}
		var out []string
		for _, e := range ents {
			if e.Type().IsRegular() && varsExt(e.Name()) {
				out = append(out, filepath.Join(p, e.Name()))
			}
		}
		return out // ReadDir sorts by name, as Ansible does
	}
	var out []string
	for _, ext := range []string{"", ".yml", ".yaml", ".json"} {
		if st, err := os.Stat(p + ext); err == nil && st.Mode().IsRegular() {
			out = append(out, p+ext)
		}
	}
	return out
}

func varsExt(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".yml", ".yaml", ".json", "":
		return !strings.HasPrefix(name, ".")
	}
	return false
}

func (a *ansInv) mergeVarsFile(path string, into map[string]ansVar, notes *[]string) {
	f, err := os.Open(path)
	if err != nil {
		a.probs = append(a.probs, Problem{File: path, Message: fmt.Sprintf("cannot read: %v", err)})
		return
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxVarsFile+1))
	if err != nil || len(b) > maxVarsFile {
		a.probs = append(a.probs, Problem{File: path, Message: fmt.Sprintf("cannot read (or larger than %d bytes)", maxVarsFile)})
		return
	}
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("$ANSIBLE_VAULT")) {
		*notes = append(*notes, fmt.Sprintf("%s: encrypted with ansible-vault, not read (ftktui decrypts nothing; put what ftktui needs in the settings file or a plain vars file)", path))
		return
	}
	l := &yamlLoader{file: path}
	doc, err := parser.ParseBytes(b, 0)
	if err != nil {
		l.bad(0, "YAML syntax: %v", err)
		a.probs = append(a.probs, l.probs...)
		return
	}
	for _, d := range doc.Docs {
		if d.Body == nil {
			continue
		}
		if _, null := d.Body.(*ast.NullNode); null {
			continue
		}
		for k, v := range ansibleVars(l, d.Body, "vars file") {
			into[k] = v
		}
	}
	a.probs = append(a.probs, l.probs...)
}
