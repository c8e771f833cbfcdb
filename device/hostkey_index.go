package device

import (
	"errors"
	"io"
	"net"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// khIndex maps the plain host patterns of a known_hosts file to their key
// types in file order. It answers knownAlgorithms without a probe through
// the callback, which scans every line of the file per dial (5 % of a
// 1,000-device scan). It only chooses which host-key algorithms to offer
// first; the key itself is still checked by the knownhosts callback.
type khIndex map[khAddr][]string

type khAddr struct{ host, port string }

// buildKHIndex indexes b, or returns nil when some line is hashed, uses a
// wildcard or negation, carries a marker or does not parse: the probe then
// answers, as before.
func buildKHIndex(b []byte) khIndex {
	idx := khIndex{}
	for {
		marker, hosts, key, _, rest, err := ssh.ParseKnownHosts(b)
		if errors.Is(err, io.EOF) {
			return idx
		}
		if err != nil || marker != "" {
			return nil
		}
		b = rest
		for _, h := range hosts {
			if h == "" {
				continue
			}
			if strings.ContainsAny(h, "|*?!") {
				return nil
			}
			a, ok := patternAddr(h)
			if !ok {
				return nil
			}
			idx[a] = append(idx[a], key.Type())
		}
	}
}

// patternAddr parses a plain host pattern as knownhosts does: "[h]:p",
// "h:p" or a bare host on port 22.
func patternAddr(p string) (khAddr, bool) {
	host, port, err := net.SplitHostPort(p)
	if err != nil {
		if p[0] == '[' {
			return khAddr{}, false
		}
		return khAddr{host: p, port: "22"}, true
	}
	return khAddr{host: host, port: port}, true
}

// algorithms is knownAlgorithms answered from the index.
func (idx khIndex) algorithms(addr string) []string {
	host, port, err := net.SplitHostPort(knownhosts.Normalize(addr))
	if err != nil {
		return nil // the probe's check fails the same way
	}
	types := idx[khAddr{host, port}]
	if len(types) == 0 {
		return nil
	}
	return algorithmsFor(types)
}

// algorithmsFor turns known key types into host-key algorithms, in order.
func algorithmsFor(types []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		if !seen[a] {
			seen[a] = true
			out = append(out, a)
		}
	}
	for _, t := range types {
		switch t {
		case ssh.KeyAlgoRSA:
			add(ssh.KeyAlgoRSASHA512)
			add(ssh.KeyAlgoRSASHA256)
			add(ssh.KeyAlgoRSA)
		default:
			add(t)
		}
	}
	return out
}
