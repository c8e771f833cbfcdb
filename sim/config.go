package sim

import (
	"fmt"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

type scopeKind int

const (
	kGlobal  scopeKind = iota // config global
	kVdomSel                  // config vdom
	kVdom                     // edit <vdom>
	kTable                    // config user fortitoken | user local | system admin
	kObject                   // config system console | email-server | central-management
	kEntry                    // edit <name> inside a table
)

// scope is one level of the CLI context stack.
type scope struct {
	kind   scopeKind
	name   string // VDOM name, object path or entry name
	table  string // kEntry: its table path
	tok    *token // kEntry working copies, committed on next/end
	acct   *account
	isNew  bool
	locked bool // the VDOM a VDOM admin is confined to: end does not leave it
}

func (sc *scope) label() string {
	switch sc.kind {
	case kGlobal:
		return "global"
	case kVdomSel:
		return "vdom"
	case kTable, kObject:
		return sc.name[strings.LastIndexByte(sc.name, ' ')+1:]
	}
	return sc.name
}

func (s *session) top() *scope {
	if len(s.scopes) == 0 {
		return nil
	}
	return s.scopes[len(s.scopes)-1]
}

func (s *session) push(sc *scope) { s.scopes = append(s.scopes, sc) }

func (s *session) pop() {
	if len(s.scopes) > 0 {
		s.scopes = s.scopes[:len(s.scopes)-1]
	}
}

// curVDOM is the VDOM commands act on; "" on a multi-VDOM unit outside a VDOM.
func (s *session) curVDOM() string {
	if !s.d.st.multiVDOM {
		return "root"
	}
	for _, sc := range s.scopes {
		if sc.kind == kVdom {
			return sc.name
		}
	}
	return ""
}

func (s *session) inGlobal() bool {
	if !s.d.st.multiVDOM {
		return true
	}
	for _, sc := range s.scopes {
		if sc.kind == kGlobal {
			return true
		}
	}
	return false
}

// objects known to the simulator, by category.
var objects = map[string][]string{
	"system": {"status", "central-management", "console", "email-server", "admin"},
	"user":   {"fortitoken", "local"},
}

func isTable(path string) bool {
	return path == "user fortitoken" || path == "user local" || path == "system admin"
}

// resolveObject reads "sys cent" style paths; it returns the full path, the
// words used, or a result to print on error.
func (s *session) resolveObject(args []string, allowStatus bool) (string, int, *result) {
	cat, ok := match(args[0], "system", "user")
	if !ok {
		r := parseErr(args[0])
		return "", 0, &r
	}
	if len(args) < 2 {
		r := incomplete()
		return "", 0, &r
	}
	opts := objects[cat]
	if !allowStatus {
		opts = opts[1:]
		if cat == "user" {
			opts = objects[cat]
		}
	} else if cat == "system" {
		opts = append(opts[:len(opts):len(opts)], "ha")
	}
	obj, ok := match(args[1], opts...)
	if ok && obj == "ha" {
		// `get system ha status` (read-only, allowed in any scope)
		if len(args) < 3 {
			r := incomplete()
			return "", 0, &r
		}
		if _, ok := match(args[2], "status"); !ok {
			r := parseErr(args[2])
			return "", 0, &r
		}
		return "system ha status", 3, nil
	}
	if !ok {
		r := parseErr(args[1])
		return "", 0, &r
	}
	path := cat + " " + obj
	if path != "system status" && !s.allowed(path) {
		r := parseErr(args[1])
		return "", 0, &r
	}
	return path, 2, nil
}

// allowed applies the multi-VDOM split: globals under config global, user
// objects inside a VDOM.
func (s *session) allowed(path string) bool {
	if !s.d.st.multiVDOM {
		return true
	}
	if strings.HasPrefix(path, "user ") {
		return s.curVDOM() != ""
	}
	return s.inGlobal()
}

func (s *session) cmdConfig(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	if len(s.scopes) == 0 {
		if w, ok := match(args[0], "global", "vdom", "system", "user"); ok && (w == "global" || w == "vdom") {
			if !s.d.st.multiVDOM {
				return parseErr(args[0])
			}
			if w == "global" {
				s.push(&scope{kind: kGlobal})
			} else {
				s.push(&scope{kind: kVdomSel})
			}
			return result{}
		}
	}
	path, _, errRes := s.resolveObject(args, false)
	if errRes != nil {
		return *errRes
	}
	if s.d.st.readonly {
		return permDenied()
	}
	if isTable(path) {
		s.push(&scope{kind: kTable, name: path})
	} else {
		s.push(&scope{kind: kObject, name: path})
	}
	return result{}
}

func (s *session) cmdEdit(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	name := args[0]
	top := s.top()
	if top.kind == kVdomSel {
		d := s.d
		d.mu.Lock()
		idx := d.st.vdomIndex(name)
		d.mu.Unlock()
		if idx < 0 {
			return notFound()
		}
		s.push(&scope{kind: kVdom, name: name})
		return out(fmt.Sprintf("current vf=%s:%d", name, idx))
	}
	if !validName(name) {
		return valueErr(name)
	}
	sc := &scope{kind: kEntry, name: name, table: top.name}
	vdom := s.curVDOM()
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	switch top.name {
	case "user fortitoken":
		if t := d.st.findToken(vdom, name); t != nil {
			c := *t
			sc.tok = &c
		} else {
			sc.tok, sc.isNew = &token{Serial: name, VDOM: vdom, Status: parse.StatusNew}, true
		}
	case "user local":
		if a := d.st.findAccount(parse.AccountUser, vdom, name); a != nil {
			c := *a
			sc.acct = &c
		} else {
			sc.acct, sc.isNew = &account{Name: name, Kind: parse.AccountUser, VDOM: vdom, TwoFactor: "disable", Status: "enable"}, true
		}
	case "system admin":
		if a := d.st.findAccount(parse.AccountAdmin, "", name); a != nil {
			c := *a
			sc.acct = &c
		} else {
			sc.acct, sc.isNew = &account{Name: name, Kind: parse.AccountAdmin, TwoFactor: "disable", Profile: "prof_admin"}, true
		}
	}
	s.push(sc)
	return result{}
}

func (s *session) cmdDelete(args []string) result {
	if len(args) == 0 {
		return incomplete()
	}
	name, table, vdom := args[0], s.top().name, s.curVDOM()
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.st
	switch table {
	case "user fortitoken":
		for i, t := range st.tokens {
			if t.Serial == name && t.VDOM == vdom {
				if n := st.refs(vdom, name); n > 0 {
					return out(fmt.Sprintf("The entry is used by other %d entries", n), "Command fail. Return code -23")
				}
				st.tokens = append(st.tokens[:i], st.tokens[i+1:]...)
				return result{}
			}
		}
	default:
		kind := parse.AccountUser
		if table == "system admin" {
			kind = parse.AccountAdmin
		}
		for i, a := range st.accounts {
			if a.Kind == kind && a.Name == name && (kind == parse.AccountAdmin || a.VDOM == vdom) {
				st.accounts = append(st.accounts[:i], st.accounts[i+1:]...)
				return result{}
			}
		}
	}
	return notFound()
}

func (s *session) cmdNext() result {
	if top := s.top(); top.kind == kEntry {
		r := s.commit(top)
		s.pop()
		return r
	}
	return result{}
}

// cmdEnd leaves the innermost config block (saving unless abort).
func (s *session) cmdEnd(save bool) result {
	top := s.top()
	var r result
	switch top.kind {
	case kEntry:
		if save {
			r = s.commit(top)
		}
		s.pop()
		s.pop()
	case kTable, kObject, kVdomSel:
		s.pop()
	case kGlobal, kVdom:
		s.scopes = s.scopes[:0]
		if top.locked {
			s.scopes = append(s.scopes, top)
		}
	}
	return r
}

// commit stores an edited entry; re-added hardware tokens start their
// activation and newly bound mobile tokens their provisioning by themselves.
func (s *session) commit(sc *scope) result {
	d := s.d
	var activate, provision []string
	vdom := s.curVDOM()
	d.mu.Lock()
	st := d.st
	switch {
	case sc.tok != nil:
		if t := st.findToken(sc.tok.VDOM, sc.tok.Serial); t != nil {
			*t = *sc.tok
		} else if parse.ValidSerial(sc.tok.Serial) {
			t := *sc.tok
			st.tokens = append(st.tokens, &t)
			if !t.mobile() {
				activate = append(activate, t.Serial)
			}
		}
	case sc.acct != nil:
		a := sc.acct
		var old string
		if cur := st.findAccount(a.Kind, a.VDOM, a.Name); cur != nil {
			old = cur.Token
			*cur = *a
		} else {
			c := *a
			st.accounts = append(st.accounts, &c)
		}
		if a.Token != "" && a.Token != old {
			tv := vdom
			if a.Kind == parse.AccountAdmin {
				tv = ""
			}
			if t := st.findToken(tv, a.Token); t != nil && t.mobile() && t.Status == parse.StatusNew {
				provision = append(provision, t.Serial)
			}
		}
	}
	d.mu.Unlock()
	for _, sn := range activate {
		d.startActivation(vdom, sn, false)
	}
	for _, sn := range provision {
		d.startProvision("", sn, "provision")
	}
	return result{}
}
