package sim

import (
	"strconv"
	"strings"

	"github.com/ftktui/ftktui/parse"
)

// cmdSet handles set/unset in an entry or object scope.
func (s *session) cmdSet(args []string, unset bool) result {
	if len(args) == 0 || (!unset && len(args) < 2) {
		return incomplete()
	}
	top := s.top()
	key := args[0]
	val := ""
	if !unset {
		val = strings.Join(args[1:], " ")
	}
	if top.kind == kEntry {
		if top.tok != nil {
			return setToken(top.tok, key, val, unset)
		}
		return s.setAccount(top.acct, key, val, unset)
	}
	d := s.d
	d.mu.Lock()
	defer d.mu.Unlock()
	st := d.st
	switch top.name {
	case "system console":
		switch key {
		case "output":
			if unset {
				val = "more"
			}
			if val != "more" && val != "standard" {
				return valueErr(val)
			}
			st.console = val
		case "baudrate", "mode", "login", "fortiexplorer":
		default:
			return parseErr(key)
		}
	case "system email-server":
		switch key {
		case "server":
			st.email.Server = val
		case "port":
			p, err := strconv.Atoi(val)
			if unset {
				p, err = 25, nil
			}
			if err != nil || p < 1 || p > 65535 {
				return valueErr(val)
			}
			st.email.Port = p
		case "security":
			if unset {
				val = "none"
			}
			if val != "none" && val != "starttls" && val != "smtps" {
				return valueErr(val)
			}
			st.email.Security = val
		case "type", "reply-to", "authenticate", "username", "password", "source-ip", "interface-select-method", "validate-server":
		default:
			return parseErr(key)
		}
	case "system central-management":
		switch key {
		case "type":
			if unset {
				val = "none"
			}
			if val != "none" && val != "fortimanager" && val != "fortiguard" {
				return valueErr(val)
			}
			st.cmType = val
		case "fmg":
			st.cmFMG = val
		case "mode", "serial-number", "allow-push-configuration", "allow-monitor":
		default:
			return parseErr(key)
		}
	}
	return result{}
}

func setToken(t *token, key, val string, unset bool) result {
	switch key {
	case "status":
		if unset {
			val = "active"
		}
		if val != "active" && val != "lock" {
			return valueErr(val)
		}
		t.Locked = val == "lock"
	case "comments":
		t.Comments = val
	case "license":
		t.License = val
	case "activation-code":
		t.ActCode = val
	case "activation-expire":
		n, err := strconv.ParseInt(val, 10, 64)
		if unset {
			n, err = 0, nil
		}
		if err != nil {
			return valueErr(val)
		}
		t.ActExpire = n
	case "reg-id":
		t.RegID = val
	case "os-ver":
		t.OSVer = val
	default:
		return parseErr(key)
	}
	return result{}
}

func (s *session) setAccount(a *account, key, val string, unset bool) result {
	switch key {
	case "two-factor":
		if unset {
			val = "disable"
		}
		if _, ok := match(val, "disable", "fortitoken", "fortitoken-cloud", "email", "sms"); !ok {
			return valueErr(val)
		}
		val, _ = match(val, "disable", "fortitoken", "fortitoken-cloud", "email", "sms")
		a.TwoFactor = val
		if val != "fortitoken" {
			a.Token = ""
		}
	case "fortitoken":
		if a.TwoFactor != "fortitoken" {
			return parseErr(key)
		}
		if unset {
			a.Token = ""
			return result{}
		}
		vdom := a.VDOM
		s.d.mu.Lock()
		t := s.d.st.findToken(vdom, val)
		s.d.mu.Unlock()
		if t == nil {
			return out("entry not found in datasource", "value parse error before '"+val+"'", "Command fail. Return code -3")
		}
		a.Token = val
	case "email-to":
		a.Email = val
	case "status":
		if a.Kind != parse.AccountUser {
			return parseErr(key)
		}
		if unset {
			val = "enable"
		}
		if val != "enable" && val != "disable" {
			return valueErr(val)
		}
		a.Status = val
	case "accprofile":
		if a.Kind != parse.AccountAdmin {
			return parseErr(key)
		}
		a.Profile = val
	case "type", "passwd", "password", "sms-phone", "sms-server", "vdom", "authtimeout":
	default:
		return parseErr(key)
	}
	return result{}
}

// validName accepts the entry names FortiOS would take (no blanks or quotes).
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if r <= ' ' || r == '"' || r == '\'' || r == '\\' || r > 0x7e {
			return false
		}
	}
	return true
}
