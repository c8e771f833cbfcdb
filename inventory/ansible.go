package inventory

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// An Ansible inventory (INI or YAML) is read into ansInv, then resolved the
// way Ansible does: group vars from `all` down the group tree (deeper groups
// win, then by name), host vars last. Groups become tags.

// ansVar is one variable: its text, line, and whether it was a plain scalar
// (a YAML list or mapping is fine for variables ftktui does not read).
type ansVar struct {
	val    string
	line   int
	scalar bool
	vault  bool   // a !vault value: never decrypted
	file   string // a group_vars/host_vars file; "" is the inventory file
}

// badVar reports a problem at v's own file and line.
func (a *ansInv) badVar(v ansVar, format string, args ...any) {
	file := v.file
	if file == "" {
		file = a.file
	}
	a.probs = append(a.probs, Problem{File: file, Line: v.line, Message: fmt.Sprintf(format, args...)})
}

type ansGroup struct {
	name     string
	line     int
	vars     map[string]ansVar
	children []string
	hosts    []string
	hostSet  map[string]bool // hosts, for O(1) "listed already" with thousands of hosts
}

type ansHost struct {
	name string
	line int
	vars map[string]ansVar
}

type ansInv struct {
	file      string
	format    string
	groups    map[string]*ansGroup
	hosts     map[string]*ansHost
	hostOrder []string
	probs     []Problem
}

func newAnsInv(file, format string) *ansInv {
	return &ansInv{file: file, format: format, groups: map[string]*ansGroup{}, hosts: map[string]*ansHost{}}
}

func (a *ansInv) bad(line int, format string, args ...any) {
	a.probs = append(a.probs, Problem{File: a.file, Line: line, Message: fmt.Sprintf(format, args...)})
}

func (a *ansInv) group(name string, line int) *ansGroup {
	g, ok := a.groups[name]
	if !ok {
		g = &ansGroup{name: name, line: line, vars: map[string]ansVar{}, hostSet: map[string]bool{}}
		a.groups[name] = g
	}
	return g
}

// addHost records that group lists host (pattern expanded), with vars; a
// host listed twice keeps one entry and its later vars win, as in Ansible.
func (a *ansInv) addHost(group, pattern string, line int, vars map[string]ansVar) {
	names, err := expandHostPattern(pattern)
	if err != nil {
		a.bad(line, "host %q: %v", pattern, err)
		return
	}
	g := a.group(group, line)
	for _, n := range names {
		h, ok := a.hosts[n]
		if !ok {
			h = &ansHost{name: n, line: line, vars: map[string]ansVar{}}
			a.hosts[n] = h
			a.hostOrder = append(a.hostOrder, n)
		}
		for k, v := range vars {
			h.vars[k] = v
		}
		if !g.hostSet[n] {
			g.hostSet[n] = true
			g.hosts = append(g.hosts, n)
		}
	}
}

func (a *ansInv) addChild(parent, child string, line int) {
	p := a.group(parent, line)
	a.group(child, line)
	if !slices.Contains(p.children, child) {
		p.children = append(p.children, child)
	}
}

// fortiOSNetworkOS are the ansible_network_os values meaning FortiOS.
var fortiOSNetworkOS = map[string]bool{"fortinet.fortios.fortios": true, "fortios": true}

// ansibleSecretVars are never read: a password in an inventory file is what
// ftktui refuses to handle (docs/spec.md §3); the note says where to put it instead.
var ansibleSecretVars = map[string]bool{"ansible_password": true, "ansible_ssh_pass": true,
	"ansible_ssh_password": true, "ansible_httpapi_pass": true, "ansible_httpapi_password": true,
	"ansible_become_password": true, "ansible_become_pass": true}

// resolve turns the groups and hosts into devices.
func (a *ansInv) resolve(base settings) (*Inventory, []Problem) {
	var fileNotes []string
	a.readVarsDirs(&fileNotes)
	names, parents, depth := a.groupTree()
	if len(a.probs) > 0 {
		return nil, a.probs
	}
	memberOf := map[string][]string{} // host → groups listing it directly
	for _, n := range names {
		for _, h := range a.groups[n].hosts {
			memberOf[h] = append(memberOf[h], n)
		}
	}
	inv := &Inventory{Path: a.file, Format: a.format, Notes: fileNotes}
	a.secretNote(inv)
	var skipped []string
	seen := map[string]int{}
	for _, hn := range a.hostOrder {
		direct := memberOf[hn]
		if len(direct) == 0 {
			direct = []string{"ungrouped"}
		}
		d, skip := a.hostDevice(hn, direct, parents, depth, base)
		if skip != "" {
			skipped = append(skipped, skip)
			continue
		}
		finishPaths(a.file, &d)
		a.probs = append(a.probs, checkDevice(a.file, d, seen)...)
		inv.Devices = append(inv.Devices, d)
	}
	if len(skipped) > 0 {
		inv.Notes = append(inv.Notes, fmt.Sprintf("%s: skipped %d host(s) whose ansible_network_os is not FortiOS: %s",
			a.file, len(skipped), strings.Join(capList(skipped, 10), ", ")))
	}
	if len(inv.Devices) == 0 && len(a.probs) == 0 {
		a.bad(0, "no FortiOS host in this Ansible inventory")
	}
	if len(a.probs) > 0 {
		sort.SliceStable(a.probs, func(i, j int) bool { return a.probs[i].Line < a.probs[j].Line })
		return nil, a.probs
	}
	return inv, nil
}

// groupTree links every group to its parents (a group nobody lists as a
// child hangs under all) and measures each group's depth. names is every
// group, sorted.
func (a *ansInv) groupTree() (names []string, parents map[string][]string, depth map[string]int) {
	all := a.group("all", 0)
	a.group("ungrouped", 0)
	parents = map[string][]string{}
	names = make([]string, 0, len(a.groups))
	for n := range a.groups {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		for _, c := range a.groups[n].children {
			parents[c] = append(parents[c], n)
		}
	}
	for _, n := range names {
		if n != "all" && len(parents[n]) == 0 {
			parents[n] = []string{"all"}
			all.children = append(all.children, n)
		}
	}
	return names, parents, a.depths(parents)
}

// hostDevice is host hn with the variables of its groups applied from the
// shallowest (then by name) to the deepest, then its own. A host whose
// ansible_network_os is not FortiOS is skipped: skip says which and why.
func (a *ansInv) hostDevice(hn string, direct []string, parents map[string][]string, depth map[string]int,
	base settings) (d Device, skip string) {
	h := a.hosts[hn]
	chain := ancestors(direct, parents)
	sort.Slice(chain, func(i, j int) bool {
		if depth[chain[i]] != depth[chain[j]] {
			return depth[chain[i]] < depth[chain[j]]
		}
		return chain[i] < chain[j]
	})
	levels := make([]map[string]ansVar, 0, len(chain)+1)
	for _, g := range chain {
		levels = append(levels, a.groups[g].vars)
	}
	levels = append(levels, h.vars)
	merged := map[string]ansVar{}
	for _, l := range levels {
		for k, v := range l {
			merged[k] = v
		}
	}
	if nos, ok := merged["ansible_network_os"]; ok && !fortiOSNetworkOS[strings.ToLower(nos.val)] {
		return Device{}, fmt.Sprintf("%s (%s, %s)", hn, nos.val, a.varAt(nos))
	}
	httpapi := strings.HasSuffix(merged["ansible_connection"].val, "httpapi")
	d = newDevice(h.line, base)
	d.Name, d.Host = hn, hn
	if v, ok := merged["ansible_host"]; ok && a.readable(v, "ansible_host") {
		d.Host = v.val
	}
	for _, l := range levels {
		a.levelSettings(l, httpapi).apply(&d)
	}
	for _, g := range chain {
		if g != "all" && g != "ungrouped" {
			d.Tags = append(d.Tags, g)
		}
	}
	sort.Strings(d.Tags)
	for _, g := range direct {
		if g != "ungrouped" {
			d.Groups = append(d.Groups, g)
		}
	}
	return d, ""
}

func capList(xs []string, n int) []string {
	if len(xs) <= n {
		return xs
	}
	return append(xs[:n:n], fmt.Sprintf("… %d more", len(xs)-n))
}

// depths is each group's distance from `all` along its longest parent path
// (Ansible's group depth); a cycle in children is an error.
func (a *ansInv) depths(parents map[string][]string) map[string]int {
	depth := map[string]int{"all": 0}
	state := map[string]int{} // 1 = on the stack, 2 = done
	var visit func(g string) int
	visit = func(g string) int {
		if g == "all" {
			return 0
		}
		switch state[g] {
		case 1:
			a.bad(a.groups[g].line, "group %q is its own ancestor (children cycle)", g)
			return 0
		case 2:
			return depth[g]
		}
		state[g] = 1
		d := 0
		for _, p := range parents[g] {
			d = max(d, visit(p)+1)
		}
		state[g], depth[g] = 2, d
		return d
	}
	for g := range a.groups {
		visit(g)
	}
	return depth
}

// ancestors is direct plus every group above them, `all` included.
func ancestors(direct []string, parents map[string][]string) []string {
	seen := map[string]bool{}
	var out []string
	var walk func(string)
	walk = func(g string) {
		if seen[g] {
			return
		}
		seen[g] = true
		out = append(out, g)
		for _, p := range parents[g] {
			walk(p)
		}
	}
	for _, g := range direct {
		walk(g)
	}
	return out
}

// readable: a variable ftktui reads must be a plain value, not a template.
func (a *ansInv) readable(v ansVar, key string) bool {
	switch {
	case v.vault:
		a.badVar(v, "%s is encrypted with ansible-vault; ftktui decrypts nothing: write it plain or set it in the settings file", key)
	case !v.scalar:
		a.badVar(v, "%s must be a single value", key)
	case strings.Contains(v.val, "{{"):
		a.badVar(v, "%s: Jinja templates are not evaluated by ftktui; write the value", key)
	default:
		return true
	}
	return false
}

var sshJumpArg = regexp.MustCompile(`(?:-o\s*ProxyJump[= ]\s*|-J\s*)([^\s'"]+)`)

// levelSettings maps one level's variables to settings. ansible_port is the
// HTTPS port when the connection is httpapi (how fortinet.fortios connects),
// not SSH's, so it is not used then.
func (a *ansInv) levelSettings(vars map[string]ansVar, httpapi bool) settings {
	var s settings
	keys := make([]string, 0, len(vars))
	for k := range vars {
		keys = append(keys, k)
	}
	sort.Strings(keys) // ansible_* first, then ftktui_*: ftktui_ wins at one level
	set := func(key string, v ansVar, as string) {
		if !a.readable(v, key) {
			return
		}
		if err := setKV(&s, as, v.val); err != nil {
			a.badVar(v, "%s: %v", key, err)
		}
	}
	for _, k := range keys {
		v := vars[k]
		switch {
		case k == "ansible_user" || k == "ansible_ssh_user":
			set(k, v, "user")
		case (k == "ansible_port" || k == "ansible_ssh_port") && !httpapi:
			set(k, v, "port")
		case k == "ansible_ssh_private_key_file" || k == "ansible_private_key_file":
			set(k, v, "identity_file")
		case k == "ansible_ssh_common_args" || k == "ansible_ssh_extra_args":
			if m := sshJumpArg.FindStringSubmatch(v.val); m != nil {
				set(k, ansVar{val: m[1], line: v.line, scalar: v.scalar, file: v.file}, "jump")
			}
		case strings.HasPrefix(k, "ftktui_"):
			key := strings.TrimPrefix(k, "ftktui_")
			if !isSettingKey(key) {
				a.badVar(v, "unknown variable %q (ftktui_ variables: ftktui_%s)", k, strings.Join(settingKeys, ", ftktui_"))
				continue
			}
			set(k, v, key)
		}
	}
	return s
}

// secretNote says, once, that password variables in the file were not read.
func (a *ansInv) secretNote(inv *Inventory) {
	var where []string
	add := func(vars map[string]ansVar) {
		for k, v := range vars {
			if ansibleSecretVars[k] {
				where = append(where, fmt.Sprintf("%s (%s)", k, a.varAt(v)))
			}
		}
	}
	for _, g := range a.groups {
		add(g.vars)
	}
	for _, h := range a.hosts {
		add(h.vars)
	}
	if len(where) == 0 {
		return
	}
	sort.Strings(where)
	inv.Notes = append(inv.Notes, fmt.Sprintf("%s: %s never read: ftktui takes no password from an inventory file; set password_env or password_command (settings file defaults, or ftktui_password_env), or use --ask-pass",
		a.file, strings.Join(capList(where, 5), ", ")))
}

// varAt is where a variable was set, for notes: "line N" in the inventory
// file, "FILE:N" in a vars file.
func (a *ansInv) varAt(v ansVar) string {
	if v.file != "" && v.file != a.file {
		return fmt.Sprintf("%s:%d", v.file, v.line)
	}
	return fmt.Sprintf("line %d", v.line)
}
