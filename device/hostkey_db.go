package device

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// khDB is a parsed known_hosts file, matched as OpenSSH matches it
// (hostfile.c, match.c), which golang.org/x/crypto/ssh/knownhosts does not:
//   - the name looked up is "host" on port 22 and "[host]:port" otherwise,
//     lower-cased; each comma-separated pattern is a glob (* and ?) over that
//     whole string, so "[fw1]:*" matches fw1 on any port but 22, and "*"
//     matches every host on every port; a matching "!pattern" excludes the line;
//   - "@cert-authority" lines only vouch for host certificates, which ftktui
//     does not request: a plain key check ignores them (knownhosts accepted
//     such a CA key as if it were the host's own key);
//   - "@revoked" lines whose host matches refuse that key;
//   - lines that do not parse are skipped, and reported when the host then
//     turns out unknown; a file with no valid line at all is refused.
type khDB struct {
	file  string
	lines []khLine
	exact map[string][]int // literal pattern → lines naming it
	other []int            // lines with globs, negations or hashed names
	bad   []khBad          // lines skipped
}

type khLine struct {
	marker string // "", "cert-authority" or "revoked"
	hosts  []string
	key    ssh.PublicKey
	num    int // 1-based line number
}

type khBad struct {
	num int
	err error
}

// maxKnownHostsBytes bounds what is read of a known_hosts file.
const maxKnownHostsBytes = 64 << 20

// parseKnownHostsDB parses b (the contents of file).
func parseKnownHostsDB(file string, b []byte) *khDB {
	db := &khDB{file: file, exact: map[string][]int{}}
	for num := 1; len(b) > 0; num++ {
		line := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		t := bytes.TrimSpace(line)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		marker, hosts, key, _, _, err := ssh.ParseKnownHosts(t)
		switch {
		case errors.Is(err, io.EOF):
			err = errors.New("not a known_hosts entry")
		case err == nil && marker != "" && marker != "cert-authority" && marker != "revoked":
			err = fmt.Errorf("unknown marker @%s", marker)
		}
		if err != nil {
			db.bad = append(db.bad, khBad{num: num, err: err})
			continue
		}
		idx := len(db.lines)
		db.lines = append(db.lines, khLine{marker: marker, hosts: hosts, key: key, num: num})
		literal := true
		for _, h := range hosts {
			if h != "" && strings.ContainsAny(h, "*?!|") {
				literal = false
			}
		}
		if !literal {
			db.other = append(db.other, idx)
			continue
		}
		for _, h := range hosts {
			if h != "" {
				k := strings.ToLower(h)
				db.exact[k] = append(db.exact[k], idx)
			}
		}
	}
	return db
}

// unusable reports why the file cannot be used at all: it has lines and
// none of them parses.
func (db *khDB) unusable() error {
	if len(db.lines) > 0 || len(db.bad) == 0 {
		return nil
	}
	return fmt.Errorf("no valid entry; line %d: %v", db.bad[0].num, db.bad[0].err)
}

// lookupName is the name OpenSSH looks a host up by: "host" on port 22,
// "[host]:port" otherwise, lower case.
func lookupName(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("known_hosts lookup of %q: %w", addr, err)
	}
	host = strings.ToLower(host)
	if port == "22" {
		return host, nil
	}
	return "[" + host + "]:" + port, nil
}

// matching returns the lines whose host patterns match name, in file order.
func (db *khDB) matching(name string) []int {
	out := append([]int(nil), db.exact[name]...)
	added := false
	for _, i := range db.other {
		if matchHosts(db.lines[i].hosts, name) {
			out = append(out, i)
			added = true
		}
	}
	if added {
		slices.Sort(out)
		out = slices.Compact(out)
	}
	return out
}

// matchHosts is OpenSSH's host match for one line: a field that starts
// with '|' is one hashed entry ("|1|salt|hash"; with anything after it, it
// matches nothing); any other field is a pattern list (match_hostname), in
// which "|…" is only a literal.
func matchHosts(patterns []string, name string) bool {
	if strings.HasPrefix(patterns[0], "|") {
		return len(patterns) == 1 && matchHashed(patterns[0], name)
	}
	matched := false
	for _, p := range patterns {
		negate := strings.HasPrefix(p, "!")
		if negate {
			p = p[1:]
		}
		if p == "" {
			continue
		}
		ok := globMatch(strings.ToLower(p), name)
		if ok && negate {
			return false
		}
		matched = matched || ok
	}
	return matched
}

// matchHashed checks a "|1|salt|hash" entry (HMAC-SHA1 of the name).
func matchHashed(p, name string) bool {
	parts := strings.Split(p, "|")
	if len(parts) != 4 || parts[1] != "1" {
		return false
	}
	salt, err1 := base64.StdEncoding.DecodeString(parts[2])
	want, err2 := base64.StdEncoding.DecodeString(parts[3])
	if err1 != nil || err2 != nil {
		return false
	}
	mac := hmac.New(sha1.New, salt)
	mac.Write([]byte(name))
	return hmac.Equal(mac.Sum(nil), want)
}

// globMatch is OpenSSH's match_pattern: * matches any run (also empty), ?
// one byte, over the whole string. Iterative, linear in practice.
func globMatch(pat, s string) bool {
	p, i := 0, 0
	star, mark := -1, 0
	for i < len(s) {
		switch {
		case p < len(pat) && (pat[p] == '?' || pat[p] == s[i]):
			p++
			i++
		case p < len(pat) && pat[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// check is an ssh.HostKeyCallback over the file. It answers with the
// knownhosts error types: *knownhosts.KeyError (Want empty: unknown;
// otherwise the keys on file) or *knownhosts.RevokedError.
func (db *khDB) check(hostname string, remote net.Addr, key ssh.PublicKey) error {
	addr := hostname
	if addr == "" && remote != nil {
		addr = remote.String()
	}
	name, err := lookupName(addr)
	if err != nil {
		return err
	}
	lines := db.matching(name)
	for _, i := range lines {
		l := db.lines[i]
		if l.marker == "revoked" && keyEqual(l.key, key) {
			return &knownhosts.RevokedError{Revoked: knownhosts.KnownKey{Key: l.key, Filename: db.file, Line: l.num}}
		}
	}
	ke := &knownhosts.KeyError{}
	for _, i := range lines {
		l := db.lines[i]
		if l.marker != "" {
			continue // @cert-authority vouches for certificates only
		}
		if keyEqual(l.key, key) {
			return nil
		}
		ke.Want = append(ke.Want, knownhosts.KnownKey{Key: l.key, Filename: db.file, Line: l.num})
	}
	return ke
}

// algorithms lists the host-key algorithms of the plain keys on file for
// addr, in file order, to offer them first.
func (db *khDB) algorithms(addr string) []string {
	name, err := lookupName(addr)
	if err != nil {
		if name, err = lookupName(net.JoinHostPort(addr, "22")); err != nil {
			return nil
		}
	}
	var types []string
	for _, i := range db.matching(name) {
		if db.lines[i].marker == "" {
			types = append(types, db.lines[i].key.Type())
		}
	}
	if len(types) == 0 {
		return nil
	}
	return algorithmsFor(types)
}

// skippedNote names the first unparsable line, for an unknown host.
func (db *khDB) skippedNote() string {
	if len(db.bad) == 0 {
		return ""
	}
	return fmt.Sprintf("%d line(s) of %s could not be read and were skipped, the first at line %d: %v", len(db.bad), db.file, db.bad[0].num, db.bad[0].err)
}

func keyEqual(a, b ssh.PublicKey) bool {
	return a.Type() == b.Type() && bytes.Equal(a.Marshal(), b.Marshal())
}
