package inventory

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ftktui/ftktui/parse"
)

// errUnknownSetting is returned by setKV for a key that is not a settings key,
// so callers decide whether that is an error (CSV, ftktui_ vars) or not.
var errUnknownSetting = errors.New("unknown setting")

// settingKeys are the keys of the YAML inventory's defaults block, in the order
// the docs and `ftktui config` list them. CSV columns and Ansible ftktui_ vars
// use the same names.
var settingKeys = []string{"user", "port", "password_env", "password_command", "known_hosts",
	"identity_file", "vdom", "timeout", "jump", "legacy_algorithms"}

// isSettingKey reports whether k is one of settingKeys (or the plural alias).
func isSettingKey(k string) bool {
	for _, s := range settingKeys {
		if s == k {
			return true
		}
	}
	return k == "identity_files"
}

// setKV validates one textual setting and stores it in s: the rules and
// messages of every format (yamlLoader.settings uses it for the YAML
// inventory's scalars; CSV cells and Ansible variables are all strings).
func setKV(s *settings, key, val string) error {
	switch key {
	case "user":
		if !userNameRe.MatchString(val) {
			return fmt.Errorf("user %q has characters an SSH user name cannot have", val)
		}
		s.user = &val
	case "port":
		p, err := strconv.Atoi(val)
		if err != nil || p < 1 || p > 65535 {
			return fmt.Errorf("bad port %q (want 1-65535)", val)
		}
		s.port = &p
	case "password_env":
		if !envNameRe.MatchString(val) {
			return fmt.Errorf("password_env %q is not an environment variable name", val)
		}
		s.passwordEnv, s.passwordCommand = &val, nil
	case "password_command":
		if strings.TrimSpace(val) == "" {
			return fmt.Errorf("password_command is empty")
		}
		s.passwordCommand, s.passwordEnv = &val, nil
	case "identity_file", "identity_files":
		var ids []string
		for _, f := range strings.Split(val, ";") {
			if f = strings.TrimSpace(f); f != "" {
				ids = append(ids, f)
			}
		}
		s.identityFiles = ids
	case "known_hosts":
		s.knownHosts = &val
	case "vdom":
		if !vdomNameRe.MatchString(val) || !parse.ValidName(val) {
			return fmt.Errorf("bad vdom name %q", val)
		}
		s.vdom = &val
	case "timeout":
		t, err := time.ParseDuration(val)
		if err != nil || t <= 0 {
			return fmt.Errorf("bad duration %q for timeout (e.g. 20s, 1m)", val)
		}
		s.timeout = &t
	case "jump":
		if _, err := ParseJump(val); err != nil {
			return err
		}
		s.jump = &val
	case "legacy_algorithms":
		b, err := strconv.ParseBool(val)
		if err != nil {
			return fmt.Errorf("legacy_algorithms must be true or false, not %q", val)
		}
		s.legacy = &b
	default:
		return errUnknownSetting
	}
	return nil
}

// newDevice is a device at line with the built-in defaults and then base (the
// settings file's defaults block) applied: the bottom of every format's
// precedence chain.
func newDevice(line int, base settings) Device {
	d := Device{User: DefaultUser, Port: DefaultPort, VDOM: parse.DefaultVDOM, Timeout: DefaultTimeout,
		KnownHosts: "~/.ssh/known_hosts", Line: line}
	base.apply(&d)
	return d
}

// finishPaths resolves known_hosts and identity files against the inventory
// file's directory (values from the settings file are already absolute).
func finishPaths(file string, d *Device) {
	d.KnownHosts = localPath(file, d.KnownHosts)
	ids := make([]string, len(d.IdentityFiles))
	for i, f := range d.IdentityFiles {
		ids[i] = localPath(file, f)
	}
	d.IdentityFiles = ids
}

// checkDevice reports a bad name or host the way the YAML loader does.
func checkDevice(file string, d Device, names map[string]int) []Problem {
	var probs []Problem
	bad := func(format string, args ...any) {
		probs = append(probs, Problem{File: file, Line: d.Line, Message: fmt.Sprintf(format, args...)})
	}
	label := "device " + strconv.Quote(d.Name)
	switch {
	case d.Name == "":
		bad("device: missing name")
		label = "device"
	case !deviceNameRe.MatchString(d.Name):
		bad("device name %q: use letters, digits and . _ - : @ only", d.Name)
	default:
		if first, dup := names[d.Name]; dup {
			bad("duplicate device name %q (first at line %d)", d.Name, first)
		} else {
			names[d.Name] = d.Line
		}
	}
	if d.Host == "" {
		bad("%s: missing host", label)
	} else if !hostRe.MatchString(d.Host) {
		bad("%s: host %q is not a host name or address", label, d.Host)
	}
	return probs
}
