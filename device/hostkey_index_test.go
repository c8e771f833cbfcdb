package device

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// TestKnownHostsIndexMatchesProbe checks that the index answers exactly as
// the probe through knownhosts on random files (plain, bracketed, several
// key types per host, comments), and that files it cannot index (hashed,
// wildcard, negated, marked) fall back to the probe.
func TestKnownHostsIndexMatchesProbe(t *testing.T) {
	var keys []ssh.PublicKey
	_, edk, _ := ed25519.GenerateKey(rand.Reader)
	eck, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []any{edk.Public(), eck.Public(), rsk.Public()} {
		pk, err := ssh.NewPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, pk)
	}
	hosts := []string{"10.0.0.1", "fw1.example.com", "::1", "10.0.0.2"}
	ports := []int{22, 2222, 8022}
	r := mrand.New(mrand.NewPCG(5, 6))
	dir := t.TempDir()
	indexed, fellBack, nonEmpty := 0, 0, 0
	for i := range 300 {
		var b strings.Builder
		b.WriteString("# fleet\n\n")
		for range 1 + r.IntN(6) {
			var pats []string
			for range 1 + r.IntN(2) {
				h, p := hosts[r.IntN(len(hosts))], ports[r.IntN(len(ports))]
				pat := knownhosts.Normalize(fmt.Sprintf("[%s]:%d", h, p))
				switch r.IntN(30) {
				case 0:
					pat = knownhosts.HashHostname(pat)
				case 1:
					pat = "10.0.0.*"
				case 2:
					pat = "!" + pat
				}
				pats = append(pats, pat)
			}
			line := knownhosts.Line(pats, keys[r.IntN(len(keys))])
			if r.IntN(40) == 0 {
				line = "@revoked " + line
			}
			b.WriteString(line + "\n")
		}
		file := filepath.Join(dir, fmt.Sprintf("kh%d", i))
		if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
		cb, err := knownhosts.New(file)
		if err != nil {
			t.Fatalf("%v:\n%s", err, b.String())
		}
		idx := buildKHIndex([]byte(b.String()))
		if idx == nil {
			fellBack++
			continue
		}
		indexed++
		for _, h := range hosts {
			for _, p := range ports {
				addr := fmt.Sprintf("[%s]:%d", h, p)
				if !strings.Contains(h, ":") {
					addr = fmt.Sprintf("%s:%d", h, p)
				}
				got, want := idx.algorithms(addr), knownAlgorithms(cb, addr)
				if !slices.Equal(got, want) {
					t.Fatalf("%s in\n%s: index %q, probe %q", addr, b.String(), got, want)
				}
				if len(want) > 0 {
					nonEmpty++
				}
			}
		}
	}
	if indexed == 0 || fellBack == 0 || nonEmpty == 0 {
		t.Fatalf("indexed %d, fell back %d, non-empty answers %d: both paths must be exercised", indexed, fellBack, nonEmpty)
	}
}
