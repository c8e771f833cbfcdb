package inventory

import (
	"bufio"
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/kevinburke/ssh_config"

	"github.com/ftktui/ftktui/parse"
)

var userNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$`)

// Jump is a parsed `jump:` / ProxyJump value (one hop).
type Jump struct {
	User string
	Host string
	Port int
}

// ParseJump reads [user@]host[:port]; only one hop is supported.
func ParseJump(s string) (Jump, error) {
	j := Jump{Port: DefaultPort}
	if strings.Contains(s, ",") {
		return j, fmt.Errorf("jump %s: only one hop is supported", parse.Quote(s))
	}
	s = strings.TrimPrefix(s, "ssh://")
	if at := strings.LastIndex(s, "@"); at >= 0 {
		j.User, s = s[:at], s[at+1:]
		if !userNameRe.MatchString(j.User) {
			return j, fmt.Errorf("jump: bad user %s", parse.Quote(j.User))
		}
	}
	host := s
	if i := strings.LastIndex(s, ":"); i >= 0 && !strings.HasSuffix(s, "]") && strings.Count(s, ":") == 1 {
		host = s[:i]
		p, err := strconv.Atoi(s[i+1:])
		if err != nil || p < 1 || p > 65535 {
			return j, fmt.Errorf("jump %s: bad port", parse.Quote(s))
		}
		j.Port = p
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	if host == "" || !hostRe.MatchString(host) {
		return j, fmt.Errorf("jump %s: bad host", parse.Quote(s))
	}
	j.Host = host
	return j, nil
}

// loadSSHConfig turns the Host entries of an OpenSSH client config matching
// pattern into devices. Wildcard-only entries only supply settings.
// base (the settings file's defaults) lies under what the config sets.
func loadSSHConfig(path string, b []byte, pattern string, base settings) (*Inventory, []Problem) {
	bad := func(line int, format string, args ...any) Problem {
		return Problem{File: path, Line: line, Message: fmt.Sprintf(format, parse.BoundArgs(args)...)}
	}
	if p := sshConfigShape(path, b); p != nil {
		return nil, []Problem{*p}
	}
	if p := sshIncludesShape(path, b); p != nil {
		return nil, []Problem{*p}
	}
	if pattern == "" {
		pattern = "*"
	}
	if _, err := filepath.Match(pattern, ""); err != nil {
		return nil, []Problem{bad(0, "--hosts %q: bad pattern: %v", pattern, err)}
	}
	cfg, err := ssh_config.DecodeBytes(b)
	if err != nil {
		return nil, []Problem{bad(0, "ssh config: %v", err)}
	}
	hostLines := sshHostLines(b)
	inv := &Inventory{Path: path, Format: "ssh_config"}
	var probs []Problem
	seen := map[string]bool{}
	for _, h := range cfg.Hosts {
		for _, p := range h.Patterns {
			alias := p.String()
			if strings.ContainsAny(alias, "*?!") || seen[alias] {
				continue
			}
			if ok, _ := filepath.Match(pattern, alias); !ok {
				continue
			}
			seen[alias] = true
			d, dp := sshHostDevice(cfg, alias, hostLines[alias], base, bad)
			probs = append(probs, dp...)
			inv.Devices = append(inv.Devices, d)
		}
	}
	if len(inv.Devices) == 0 && len(probs) == 0 {
		probs = append(probs, bad(0, "no Host entry matches %q (wildcard-only entries are not devices)", pattern))
	}
	if len(probs) > 0 {
		return nil, capProblems(path, probs)
	}
	return inv, nil
}

// sshHostDevice is the device of one concrete Host alias, with what is wrong
// in its entry (bad Port, ProxyJump or name).
func sshHostDevice(cfg *ssh_config.Config, alias string, line int, base settings,
	bad func(line int, format string, args ...any) Problem) (Device, []Problem) {
	var probs []Problem
	get := func(key string) string { v, _ := cfg.Get(alias, key); return v }
	d := newDevice(line, base)
	d.Name, d.Host = alias, get("HostName")
	if d.Host == "" {
		d.Host = alias
	}
	d.Host = strings.ReplaceAll(d.Host, "%h", alias)
	if u := get("User"); u != "" {
		d.User = u
	}
	if ps := get("Port"); ps != "" {
		port, err := strconv.Atoi(ps)
		if err != nil || port < 1 || port > 65535 {
			probs = append(probs, bad(line, "Host %s: bad Port %q", alias, ps))
		} else {
			d.Port = port
		}
	}
	if kh := get("UserKnownHostsFile"); kh != "" && !strings.EqualFold(kh, "none") {
		d.KnownHosts = strings.Fields(kh)[0]
	}
	d.KnownHosts = expandHome(d.KnownHosts)
	ids, _ := cfg.GetAll(alias, "IdentityFile")
	if len(ids) > 0 {
		d.IdentityFiles = nil
	}
	for _, id := range ids {
		d.IdentityFiles = append(d.IdentityFiles, expandHome(id))
	}
	if j := get("ProxyJump"); j != "" && !strings.EqualFold(j, "none") {
		if _, err := ParseJump(j); err != nil {
			probs = append(probs, bad(line, "Host %s: %v", alias, err))
		}
		d.Jump = j
	}
	if !deviceNameRe.MatchString(alias) {
		probs = append(probs, bad(line, "Host %s: name has characters ftktui does not accept", alias))
	}
	return d, probs
}

// sshHostLines maps each Host pattern to the line it first appears on; the
// ssh_config package keeps no position for Host lines.
func sshHostLines(b []byte) map[string]int {
	out := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(strings.ReplaceAll(sc.Text(), "=", " "))
		if len(f) < 2 || !strings.EqualFold(f[0], "host") {
			continue
		}
		for _, p := range f[1:] {
			if strings.HasPrefix(p, "#") {
				break
			}
			if _, ok := out[p]; !ok {
				out[p] = n
			}
		}
	}
	return out
}
