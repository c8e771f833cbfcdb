package inventory

import (
	"time"

	"github.com/goccy/go-yaml/ast"
)

// settings is one level of the precedence chain (defaults, a group, a device);
// nil fields are "not set here".
type settings struct {
	user, passwordEnv, passwordCommand, knownHosts, vdom, jump *string
	port                                                       *int
	timeout                                                    *time.Duration
	identityFiles                                              []string
	legacy                                                     *bool
}

// apply overlays s on d. Setting one password source clears the other, so a
// device can switch from the defaults' password_env to a password_command.
func (s settings) apply(d *Device) {
	if s.user != nil {
		d.User = *s.user
	}
	if s.passwordEnv != nil {
		d.PasswordEnv, d.PasswordCommand = *s.passwordEnv, ""
	}
	if s.passwordCommand != nil {
		d.PasswordCommand, d.PasswordEnv = *s.passwordCommand, ""
	}
	if s.knownHosts != nil {
		d.KnownHosts = *s.knownHosts
	}
	if s.vdom != nil {
		d.VDOM = *s.vdom
	}
	if s.jump != nil {
		d.Jump = *s.jump
	}
	if s.port != nil {
		d.Port = *s.port
	}
	if s.timeout != nil {
		d.Timeout = *s.timeout
	}
	if s.identityFiles != nil {
		d.IdentityFiles = s.identityFiles
	}
	if s.legacy != nil {
		d.LegacyAlgorithms = *s.legacy
	}
}

// deviceOnlyKeys are accepted in a device entry on top of the settings keys.
var deviceOnlyKeys = map[string]bool{"name": true, "host": true, "groups": true, "tags": true}

// settings reads one level's settings. extra, when non-nil, receives the
// device-only keys (name, host, groups, tags); elsewhere they are unknown.
// Values are checked by setKV, the rules every format shares.
func (l *yamlLoader) settings(n ast.Node, what string, extra map[string]ast.Node) settings {
	var s settings
	mvs, ok := l.pairs(n, what)
	if !ok {
		return s
	}
	envLine, cmdLine := -1, -1
	for _, mv := range mvs {
		k, line := keyOf(mv), lineOf(mv.Key)
		switch {
		case k == "identity_file" || k == "identity_files": // a YAML list, or one path
			if v, ok := l.list(mv.Value, what+": "+k); ok {
				s.identityFiles = v
			}
			continue
		case extra != nil && deviceOnlyKeys[k]:
			extra[k] = mv.Value
			continue
		case !isSettingKey(k):
			l.bad(line, "%s: unknown key %q", what, k)
			continue
		}
		v, ok := l.scalar(mv.Value, what+": "+k)
		if !ok {
			continue
		}
		switch k {
		case "password_env":
			envLine = line
		case "password_command":
			cmdLine = line
		}
		if err := setKV(&s, k, v); err != nil {
			l.bad(line, "%s: %v", what, err)
		}
	}
	// setKV lets the last source win (flat formats override by level); in
	// one YAML level both is a mistake.
	if envLine >= 0 && cmdLine >= 0 {
		l.bad(max(envLine, cmdLine), "%s: password_env and password_command are both set; keep one", what)
	}
	return s
}
