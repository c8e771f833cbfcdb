package sim

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// enc returns a fresh "ENC <base64>" value: FortiOS re-salts secrets on every show.
func enc(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rand.Uint32())
	}
	return "ENC " + base64.StdEncoding.EncodeToString(b)
}

func q(s string) string {
	if s == "" {
		return "''"
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

const ind1, ind2 = "    ", "        "

func tokenEntry(t *token, full bool) []string {
	l := []string{ind1 + "edit " + q(t.Serial)}
	set := func(k, v string) { l = append(l, ind2+"set "+k+" "+v) }
	if t.Locked {
		set("status", "lock")
	} else if full {
		set("status", "active")
	}
	if t.Seed {
		set("seed", enc(48))
	}
	str := func(k, v string) {
		if v != "" || full {
			set(k, q(v))
		}
	}
	str("comments", t.Comments)
	str("license", t.License)
	str("activation-code", t.ActCode)
	if t.ActExpire != 0 || full {
		set("activation-expire", strconv.FormatInt(t.ActExpire, 10))
	}
	str("reg-id", t.RegID)
	str("os-ver", t.OSVer)
	return append(l, ind1+"next")
}

func accountEntry(a *account, full bool) []string {
	l := []string{ind1 + "edit " + q(a.Name)}
	set := func(k, v string) { l = append(l, ind2+"set "+k+" "+v) }
	if a.Kind == "user" {
		if full || a.Status == "disable" {
			set("status", a.Status)
		}
		set("type", "password")
	} else {
		set("accprofile", q(a.Profile))
		set("vdom", q("root"))
	}
	if a.TwoFactor != "disable" && a.TwoFactor != "" || full {
		tf := a.TwoFactor
		if tf == "" {
			tf = "disable"
		}
		set("two-factor", tf)
	}
	if a.TwoFactor == "fortitoken" && (a.Token != "" || full) {
		set("fortitoken", q(a.Token))
	}
	if a.Email != "" || full {
		set("email-to", q(a.Email))
	}
	if a.Kind == "user" {
		if full {
			set("sms-server", "fortiguard")
			set("authtimeout", "0")
		}
		set("passwd", enc(36))
	} else {
		set("password", "ENC SH2"+strings.TrimPrefix(enc(45), "ENC "))
	}
	return append(l, ind1+"next")
}

// block renders one configuration object as `show` prints it.
func (s *session) block(path string, full bool, only string) []string {
	st := s.d.st
	l := []string{"config " + path}
	set := func(k, v string) { l = append(l, ind1+"set "+k+" "+v) }
	switch path {
	case "system central-management":
		centralMgmtSettings(st, full, set)
	case "system console":
		consoleSettings(st, full, set)
	case "system email-server":
		emailServerSettings(st, full, set)
	case "user fortitoken":
		vdom := s.curVDOM()
		for _, t := range st.tokens {
			if (vdom == "" || t.VDOM == vdom) && (only == "" || t.Serial == only) {
				l = append(l, tokenEntry(t, full)...)
			}
		}
	case "user local", "system admin":
		vdom := s.curVDOM()
		kind := "user"
		if path == "system admin" {
			kind = "admin"
		}
		for _, a := range st.accounts {
			if a.Kind == kind && (kind == "admin" || vdom == "" || a.VDOM == vdom) && (only == "" || a.Name == only) {
				l = append(l, accountEntry(a, full)...)
			}
		}
	}
	return append(l, "end")
}

// centralMgmtSettings are the set lines of system central-management (all of them when full).
func centralMgmtSettings(st *devState, full bool, set func(k, v string)) {
	if full {
		set("mode", "normal")
	}
	if st.cmType != "none" || full {
		set("type", st.cmType)
	}
	if full {
		for _, k := range []string{"schedule-config-restore", "schedule-script-restore", "allow-push-configuration",
			"allow-push-firmware", "allow-remote-firmware-upgrade", "allow-monitor"} {
			set(k, "enable")
		}
		set("serial-number", q(""))
	}
	if st.cmFMG != "" || full {
		set("fmg", q(st.cmFMG))
	}
	if full {
		set("fmg-source-ip", "0.0.0.0")
		set("fmg-source-ip6", "::")
		set("vdom", q("root"))
		set("fmg-update-port", "8890")
		set("include-default-servers", "enable")
		set("enc-algorithm", "high")
	}
}

// consoleSettings are the set lines of system console.
func consoleSettings(st *devState, full bool, set func(k, v string)) {
	if full {
		set("mode", "line")
		set("baudrate", "9600")
	}
	if st.console != "more" || full {
		set("output", st.console)
	}
	if full {
		set("login", "enable")
		set("fortiexplorer", "enable")
	}
}

// emailServerSettings are the set lines of system email-server.
func emailServerSettings(st *devState, full bool, set func(k, v string)) {
	if full {
		set("type", "custom")
		set("reply-to", q(""))
	}
	if st.email.Server != "" || full {
		set("server", q(st.email.Server))
	}
	if st.email.Port != 25 || full {
		set("port", strconv.Itoa(st.email.Port))
	}
	if full {
		set("source-ip", "0.0.0.0")
		set("source-ip6", "::")
		set("authenticate", "disable")
		set("validate-server", "disable")
	}
	if st.email.Security != "none" || full {
		set("security", st.email.Security)
	}
	if full {
		set("ssl-min-proto-version", "default")
		set("interface-select-method", "auto")
	}
}

// scopePaths lists the objects `show` prints with no argument in this scope.
func (s *session) scopePaths() []string {
	var p []string
	if s.inGlobal() || len(s.scopes) == 0 {
		p = append(p, "system central-management", "system console", "system email-server", "system admin")
	}
	if !s.d.st.multiVDOM || s.curVDOM() != "" || len(s.scopes) == 0 {
		p = append(p, "user fortitoken", "user local")
	}
	return p
}

func (s *session) cmdShow(args []string) result {
	full := false
	if len(args) > 0 {
		if w, ok := match(args[0], "full-configuration", "system", "user"); ok && w == "full-configuration" {
			full, args = true, args[1:]
		}
	}
	d := s.d
	if len(args) == 0 {
		if top := s.top(); top != nil && top.kind >= kTable {
			return s.showScope(top, full)
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		var l []string
		for _, p := range s.scopePaths() {
			l = append(l, s.block(p, full, "")...)
		}
		return result{lines: l, token: true}
	}
	path, n, errRes := s.resolveObject(args, false)
	if errRes != nil {
		return *errRes
	}
	only := ""
	if len(args) > n {
		only = args[n]
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return result{lines: s.block(path, full, only), token: path == "user fortitoken"}
}

// showScope prints the object or entry being edited (working copy included).
func (s *session) showScope(top *scope, full bool) result {
	if top.kind != kEntry {
		s.d.mu.Lock()
		defer s.d.mu.Unlock()
		return out(s.block(top.name, full, "")...)
	}
	l := []string{"config " + top.table}
	if top.tok != nil {
		l = append(l, tokenEntry(top.tok, full)...)
	} else {
		l = append(l, accountEntry(top.acct, full)...)
	}
	return out(append(l, "end")...)
}

// kv renders `get` style "name : value" lines with FortiOS' column padding.
func kv(pairs ...string) []string {
	var l []string
	for i := 0; i+1 < len(pairs); i += 2 {
		l = append(l, fmt.Sprintf("%-20s: %s", pairs[i], pairs[i+1]))
	}
	return l
}

func (s *session) cmdGet(args []string) result {
	top := s.top()
	if len(args) == 0 {
		if top != nil && top.kind >= kTable {
			return s.getScope(top)
		}
		return incomplete()
	}
	path, _, errRes := s.resolveObject(args, true)
	if errRes != nil {
		return *errRes
	}
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	return s.getObject(path)
}

func (s *session) getScope(top *scope) result {
	s.d.mu.Lock()
	defer s.d.mu.Unlock()
	switch {
	case top.tok != nil:
		t := top.tok
		exp := "0"
		if t.ActExpire != 0 {
			exp = time.Unix(t.ActExpire, 0).UTC().Format("Mon Jan 2 15:04:05 2006")
		}
		status := "active"
		if t.Locked {
			status = "lock"
		}
		return out(kv("serial-number", t.Serial, "status", status, "comments", t.Comments, "license", t.License,
			"activation-code", t.ActCode, "activation-expire", exp, "reg-id", t.RegID, "os-ver", t.OSVer)...)
	case top.acct != nil:
		a := top.acct
		return out(kv("name", a.Name, "two-factor", a.TwoFactor, "fortitoken", a.Token, "email-to", a.Email)...)
	}
	return s.getObject(top.name)
}

// getObject must be called with d.mu held.
func (s *session) getObject(path string) result {
	st := s.d.st
	switch path {
	case "system status":
		return out(s.statusLines()...)
	case "system ha status":
		return out(st.haStatusLines()...)
	case "system console":
		return out(kv("mode", "line", "baudrate", "9600", "output", st.console, "login", "enable", "fortiexplorer", "enable")...)
	case "system email-server":
		return out(kv("type", "custom", "reply-to", "", "server", st.email.Server, "port", strconv.Itoa(st.email.Port),
			"source-ip", "0.0.0.0", "source-ip6", "::", "authenticate", "disable", "validate-server", "disable",
			"username", "", "security", st.email.Security, "ssl-min-proto-version", "default",
			"interface-select-method", "auto")...)
	case "system central-management":
		return out(kv("mode", "normal", "type", st.cmType, "fmg", q(st.cmFMG), "fmg-source-ip", "0.0.0.0", "vdom", "root")...)
	}
	var l []string
	for _, e := range s.block(path, false, "") {
		if strings.HasPrefix(e, ind1+"edit ") && !strings.HasPrefix(e, ind2) {
			l = append(l, "== [ "+strings.Trim(strings.TrimPrefix(e, ind1+"edit "), `"`)+" ]")
		}
	}
	return result{lines: l, token: path == "user fortitoken"}
}

// statusLines is `get system status` (must hold d.mu).
func (s *session) statusLines() []string {
	st := s.d.st
	p := st.plat
	vmode, cur := "disable", "root"
	if st.multiVDOM {
		vmode = "multiple"
		if v := s.curVDOM(); v != "" {
			cur = v
		}
	}
	tag, sig := p.Tag, "certified"
	if st.interim {
		tag, sig = "interim", "not-certified"
	}
	return []string{
		fmt.Sprintf("Version: %s %s,build%s,%s (%s)", p.Model, p.Version, p.Build, p.Date, tag),
		"Firmware Signature: " + sig,
		"Virus-DB: 92.08924(2024-11-27 13:25)",
		"Extended DB: 92.08924(2024-11-27 13:25)",
		"IPS-DB: 29.00911(2024-11-27 00:53)",
		"Serial-Number: " + st.serial,
		"BIOS version: 05000009",
		"Log hard disk: Not available",
		"Hostname: " + st.hostname,
		"Private Encryption: Disable",
		"Operation Mode: NAT",
		"Current virtual domain: " + cur,
		"Max number of virtual domains: 10",
		fmt.Sprintf("Virtual domains status: %d in NAT mode, 0 in TP mode", len(st.vdoms)),
		"Virtual domain configuration: " + vmode,
		"FIPS-CC mode: disable",
		st.haModeLine(),
		"Branch point: " + p.Build,
		"Release Version Information: GA",
		"System time: " + time.Now().Format("Mon Jan 2 15:04:05 2006"),
		"Last reboot reason: warm reboot",
	}
}
