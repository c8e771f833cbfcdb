package inventory

import (
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml/ast"

	"github.com/ftktui/ftktui/parse"
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
func (l *yamlLoader) settings(n ast.Node, what string, extra map[string]ast.Node) settings {
	var s settings
	mvs, ok := l.pairs(n, what)
	if !ok {
		return s
	}
	str := func(mv *ast.MappingValueNode, key string) *string {
		v, ok := l.scalar(mv.Value, what+": "+key)
		if !ok {
			return nil
		}
		return &v
	}
	var envLine, cmdLine int
	for _, mv := range mvs {
		k, line := keyOf(mv), lineOf(mv.Key)
		switch k {
		case "user":
			if v := str(mv, k); v != nil {
				if !userNameRe.MatchString(*v) {
					l.bad(line, "%s: user %q has characters an SSH user name cannot have", what, *v)
				}
				s.user = v
			}
		case "port":
			if v := str(mv, k); v != nil {
				p, err := strconv.Atoi(*v)
				if err != nil || p < 1 || p > 65535 {
					l.bad(line, "%s: bad port %q (want 1-65535)", what, *v)
				} else {
					s.port = &p
				}
			}
		case "password_env":
			if v := str(mv, k); v != nil {
				if !envNameRe.MatchString(*v) {
					l.bad(line, "%s: password_env %q is not an environment variable name", what, *v)
				}
				s.passwordEnv, envLine = v, line
			}
		case "password_command":
			if v := str(mv, k); v != nil {
				if strings.TrimSpace(*v) == "" {
					l.bad(line, "%s: password_command is empty", what)
				}
				s.passwordCommand, cmdLine = v, line
			}
		case "identity_file", "identity_files":
			if v, ok := l.list(mv.Value, what+": "+k); ok {
				s.identityFiles = v
			}
		case "known_hosts":
			s.knownHosts = str(mv, k)
		case "vdom":
			if v := str(mv, k); v != nil {
				if !vdomNameRe.MatchString(*v) || !parse.ValidName(*v) {
					l.bad(line, "%s: bad vdom name %q", what, *v)
				}
				s.vdom = v
			}
		case "timeout":
			if v := str(mv, k); v != nil {
				t, err := time.ParseDuration(*v)
				if err != nil || t <= 0 {
					l.bad(line, "%s: bad duration %q for timeout (e.g. 20s, 1m)", what, *v)
				} else {
					s.timeout = &t
				}
			}
		case "jump":
			if v := str(mv, k); v != nil {
				if _, err := ParseJump(*v); err != nil {
					l.bad(line, "%s: %v", what, err)
				}
				s.jump = v
			}
		case "legacy_algorithms":
			if v := str(mv, k); v != nil {
				b, err := strconv.ParseBool(*v)
				if err != nil {
					l.bad(line, "%s: legacy_algorithms must be true or false, not %q", what, *v)
				} else {
					s.legacy = &b
				}
			}
		default:
			if extra != nil && deviceOnlyKeys[k] {
				extra[k] = mv.Value
				continue
			}
			l.bad(line, "%s: unknown key %q", what, k)
		}
	}
	if s.passwordEnv != nil && s.passwordCommand != nil {
		l.bad(max(envLine, cmdLine), "%s: password_env and password_command are both set; keep one", what)
	}
	return s
}
