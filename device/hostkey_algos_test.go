package device

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

// knownAlgorithms is the reference: the key types x/crypto's knownhosts
// holds for addr, asked with a throwaway key (the KeyError lists them).
func knownAlgorithms(cb ssh.HostKeyCallback, addr string) []string {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	probe, _ := ssh.NewSignerFromKey(priv)
	err := cb(addr, &net.TCPAddr{IP: net.IPv4zero}, probe.PublicKey())
	var ke *knownhosts.KeyError
	if !errors.As(err, &ke) || len(ke.Want) == 0 {
		return nil
	}
	types := make([]string, 0, len(ke.Want))
	for _, k := range ke.Want {
		types = append(types, k.Key.Type())
	}
	return algorithmsFor(types)
}

// TestKnownHostsAlgorithmsMatchKnownhosts checks that the database offers
// the same algorithms as x/crypto's knownhosts on random files where the
// two agree (plain, bracketed, hashed, host globs, negations, @revoked,
// several key types per host, comments; not @cert-authority, which
// knownhosts wrongly takes as a host key).
func TestKnownHostsAlgorithmsMatchKnownhosts(t *testing.T) {
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
	nonEmpty := 0
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
		db := parseKnownHostsDB(file, []byte(b.String()))
		for _, h := range hosts {
			for _, p := range ports {
				addr := fmt.Sprintf("[%s]:%d", h, p)
				if !strings.Contains(h, ":") {
					addr = fmt.Sprintf("%s:%d", h, p)
				}
				got, want := db.algorithms(addr), knownAlgorithms(cb, addr)
				if !slices.Equal(got, want) {
					t.Fatalf("%s in\n%s: db %q, knownhosts %q", addr, b.String(), got, want)
				}
				if len(want) > 0 {
					nonEmpty++
				}
			}
		}
	}
	if nonEmpty == 0 {
		t.Fatal("no host had a key: the comparison proved nothing")
	}
}
